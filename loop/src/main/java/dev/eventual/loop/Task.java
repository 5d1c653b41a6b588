package dev.eventual.loop;

import dev.eventual.Context;
import dev.eventual.internal.ContextAccess;
import java.io.PrintStream;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TaskBody} running on an event loop: Python's {@code asyncio.Task}. A task is a {@link
 * LoopFuture} that completes with what its body returns or throws. Create one with {@link
 * EventLoop#createTask} or {@link Asyncio#createTask}.
 *
 * <p>The body runs in direct style on a strand that {@link EventLoop#taskRuntime()} names: on JDK
 * 21+ started with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, a continuation on
 * the loop's own thread, which an {@code await} suspends as a coroutine is suspended; otherwise a
 * virtual thread (JDK 21+) or a reused platform thread (JDK 17), which takes turns with the loop's
 * thread through a single run permit. Either way the body never runs at the same time as the loop:
 * a step runs it until it {@linkplain Await#await awaits} a pending future or ends. So at any
 * instant one callback or one task runs on a loop, and code on the loop needs no locks (asyncio's
 * single-threaded guarantee). A step is scheduled with {@code callSoon}, as asyncio's {@code
 * Task.__step}; the future a task awaits wakes it with a done callback. Each step enters the task's
 * context and leaves it when the body suspends, as in CPython.
 *
 * <p>{@link #cancel(String)} raises a {@link CancellationException} carrying the message at the
 * {@code await} where the task is suspended (or, if the task has not started, the body never runs).
 * The body may catch it; if it escapes, the task ends cancelled. {@link #cancelling()} and {@link
 * #uncancel()} count cancel requests, as in Python 3.11+.
 *
 * <h2>Differences from Python</h2>
 *
 * <table>
 *   <caption>asyncio.Task and this class</caption>
 *   <tr><th>asyncio</th><th>here</th></tr>
 *   <tr><td>a coroutine, {@code await} and {@code yield}</td>
 *       <td>a {@link TaskBody} calling {@link Await#await}; {@link Asyncio#sleep} with zero yields
 *       to the loop. Any method may await (no "colour"); an {@code await} inside a native frame, or
 *       inside {@code synchronized} on JDK 21-23, cannot suspend a continuation and throws {@link
 *       IllegalStateException}.</td></tr>
 *   <tr><td>{@code threading.local} is shared by every task of a loop</td>
 *       <td>The same with continuations ({@link ThreadLocal}s are the loop thread's); on task
 *       threads, each task has its own, and a reused platform thread keeps what the previous task
 *       left in them. Use {@link dev.eventual.ContextVar} for per-task state.</td></tr>
 *   <tr><td>{@code asyncio.Task(coro, loop=...)}</td>
 *       <td>{@link EventLoop#createTask}; no public constructor.</td></tr>
 *   <tr><td>{@code set_result}, {@code set_exception}: {@code RuntimeError}</td>
 *       <td>{@link IllegalStateException}.</td></tr>
 *   <tr><td>a step whose context is entered elsewhere: {@code RuntimeError} from the step</td>
 *       <td>the {@link IllegalStateException} is raised in the body (at its start, or at the
 *       {@code await} it resumes from), which then runs that slice outside its context.</td></tr>
 *   <tr><td>awaiting itself or a future of another loop: {@code RuntimeError}</td>
 *       <td>{@link IllegalStateException}, raised at the {@code await}.</td></tr>
 *   <tr><td>a pending task of a closed loop is reported when collected ("Task was destroyed but it
 *       is pending!") and its coroutine closed</td>
 *       <td>{@link EventLoop#close()} reports it at once with that message and unwinds its body:
 *       the {@code await} it is suspended at throws {@link CancellationException}; an {@code await}
 *       that would suspend after that throws an {@link Error} (CPython: {@code RuntimeError:
 *       coroutine ignored GeneratorExit}), and one more abandons the body where it is (reported;
 *       a continuation is dropped, a task thread stays parked). The task ends cancelled, and
 *       {@code close()} returns in bounded time whatever the body does.</td></tr>
 *   <tr><td>{@code get_stack()}, {@code print_stack()}: one frame per suspended coroutine</td>
 *       <td>{@link #getStack()} returns the Java frames of the body from its entry to the {@code
 *       await} where it is suspended (every frame, not only the coroutines'); read only when asked,
 *       on the loop's thread. {@link #printStack()} prints them in Java's {@code at ...} form.</td></tr>
 *   <tr><td>{@code get_coro()}</td>
 *       <td>Not offered yet.</td></tr>
 *   <tr><td>"Task exception was never retrieved"</td>
 *       <td>Reported as for every {@link LoopFuture}, when the task is collected.</td></tr>
 * </table>
 *
 * @param <V> the result type
 */
public class Task<V> extends LoopFuture<V> {
  /*
   * The stepping protocol, carried out by TaskSteps (the steps on the loop's side, the awaits and
   * yields on the body's) on the fields below, which are package-private for it. Every field below
   * belongs to the loop's thread, or to the strand that runs a step for it (a thread strand's
   * accesses are ordered by the run permit it receives and hands back, see ThreadStrand). The
   * booleans are bits of one byte (flags), so that a suspended task, of which there may be a
   * hundred thousand, takes 88 bytes here.
   *
   *   state       STARTED  SUSPENDED  waiter           what happens next
   *   ---------   -------  ---------  ---------------  ----------------------------------------
   *   NEW         0        0          null             the first step, scheduled by the
   *                                                    constructor, starts the body (or, if
   *                                                    MUST_CANCEL, ends the task cancelled)
   *   STEPPING    1        0          null             the body runs (inside strand.resume())
   *   SUSPENDED   1        1          the future, or   the strand, as the done callback of waiter
   *                                   null (a yield)   (or its entry in the ready queue, queued
   *                                                    by yieldOnce), runs the next step
   *   DONE        any      any        null             finish() completed the future; steps
   *                                                    that still arrive do nothing
   *
   * Transitions: NEW -> STEPPING (step), STEPPING -> SUSPENDED (await of a pending future,
   * yieldOnce), SUSPENDED -> STEPPING (step), STEPPING -> DONE (the body returned or threw),
   * NEW -> DONE (cancelled before it started, a context in use, no thread for it).
   *
   * cancel() in SUSPENDED cancels waiter, whose done callback resumes the body with the
   * CancellationException; otherwise it sets MUST_CANCEL, delivered at the next await (or, in NEW,
   * instead of the body). CLOSING is set by EventLoop.close(): the body is resumed once with
   * closedError() at its await; an await that would suspend again gets an AbandonedError
   * (ABANDON_WARNED), and one more abandons the strand (TaskSteps.abandon), so that close() ends in
   * bounded time. LISTED_PENDING: the task is in the runtime's list of pending tasks.
   */
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final ContextAccess CONTEXTS = ContextAccess.get();

  static final int STARTED = 1;
  static final int SUSPENDED = 1 << 1;
  static final int MUST_CANCEL = 1 << 2;
  static final int CLOSING = 1 << 3;
  static final int ABANDON_WARNED = 1 << 4;
  static final int LISTED_PENDING = 1 << 5;

  private TaskBody<V> body;
  private final Context context;

  /** What the body runs on; also the step callback (see Strand). */
  final Strand strand;

  /** The name, or null for {@code Task-<seq>}, made when first asked for. */
  private String name;

  private final long seq;

  /** Neighbours in the runtime's list of pending tasks (see TaskRuntime). */
  Task<?> pendingPrev;

  Task<?> pendingNext;

  LoopFuture<?> waiter;
  String mustCancelMessage;
  private int cancelsRequested;

  /** The context current when the body was suspended, if not its own (TaskSteps.exitSlice). */
  Context heldContext;

  /** Why the slice running now could not enter the task's context, raised at the body. */
  IllegalStateException sliceRefused;

  /** STARTED, SUSPENDED, MUST_CANCEL, CLOSING, ABANDON_WARNED, LISTED_PENDING: see above. */
  byte flags;

  /**
   * A task whose first step is scheduled to run soon, or (eagerStart) left to the creator, who
   * calls {@link #startEagerly()} at once (see {@link TaskFactory#newTask}).
   */
  Task(EventLoop loop, TaskBody<V> body, String name, Context context, boolean eagerStart) {
    super(loop);
    this.body = body;
    this.context = context;
    this.name = name;
    this.seq = name == null ? COUNTER.incrementAndGet() : 0L;
    this.strand = loop.runtime.newStrand(this);
    if (!eagerStart) {
      scheduleStep();
    }
    loop.runtime.addPending(this);
  }

  boolean is(int flag) {
    return (flags & flag) != 0;
  }

  void set(int flag) {
    flags |= (byte) flag;
  }

  void unset(int flag) {
    flags &= (byte) ~flag;
  }

  /** Whether the task is in its runtime's list of pending tasks (TaskRuntime). */
  boolean listedPending() {
    return is(LISTED_PENDING);
  }

  /** Marks the task in (or out of) its runtime's list of pending tasks (TaskRuntime). */
  void listedPending(boolean listed) {
    if (listed) {
      set(LISTED_PENDING);
    } else {
      unset(LISTED_PENDING);
    }
  }

  /**
   * Schedules the next step to run soon, as {@code callSoon(step)} would, but without a handle: the
   * strand itself goes into the loop's ready queue (CPython allocates a handle for the step of a
   * bare {@code yield}; this costs nothing). In debug mode the step gets a handle, so that its time
   * is measured as every callback's.
   *
   * @return the debug-mode handle, or null
   */
  Handle scheduleStep() {
    EventLoop loop = getLoop();
    if (loop.getDebug()) {
      Handle h = new Handle(strand, context);
      loop.scheduler.schedule(h);
      return h;
    }
    loop.scheduler.scheduleStep(strand);
    return null;
  }

  /**
   * Runs the first step now, in the creator, instead of at a later loop turn: Python's {@code
   * Task.__eager_start}. Returns when the body suspends for the first time or ends; a body that
   * ends here never costs a loop turn.
   */
  final void startEagerly() {
    TaskSteps.step(this, CONTEXTS.slot());
  }

  /**
   * The task running on the current thread: Python's {@code asyncio.current_task()}.
   *
   * @return the task, or null when called outside a task (for example in a plain callback)
   */
  public static Task<?> currentTask() {
    EventLoop loop = Scheduler.runningLoop();
    return loop == null ? null : loop.runtime.current();
  }

  /**
   * The pending tasks of {@code loop}: Python's {@code asyncio.all_tasks(loop)}.
   *
   * @param loop the loop
   * @return a snapshot, in creation order
   * @throws NullPointerException if {@code loop} is null
   */
  public static Set<Task<?>> allTasks(EventLoop loop) {
    Objects.requireNonNull(loop, "loop must not be null");
    return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(loop.runtime.pending()));
  }

  /**
   * The task's name: Python's {@code get_name()}.
   *
   * @return the name given, or {@code Task-<n>}
   */
  public String getName() {
    String n = name;
    if (n == null) {
      n = "Task-" + seq;
      name = n;
    }
    return n;
  }

  /**
   * Renames the task: Python's {@code set_name()}.
   *
   * @param name the new name
   * @throws NullPointerException if {@code name} is null
   */
  public void setName(String name) {
    this.name = Objects.requireNonNull(name, "name must not be null");
  }

  /**
   * The context the body runs in: Python's {@code get_context()}.
   *
   * @return the context
   */
  public Context getContext() {
    return context;
  }

  /**
   * The frames of the task's body: Python's {@code get_stack()}. See {@link #getStack(int)}.
   *
   * @return the frames, oldest first
   * @throws IllegalStateException if called from another thread while the loop runs
   */
  public List<StackTraceElement> getStack() {
    return TaskStacks.get(this, Integer.MAX_VALUE);
  }

  /**
   * The frames of the task's body: Python's {@code get_stack(limit=limit)}. For a suspended task,
   * the frames from the body's entry to the {@code await} where it waits (the newest {@code limit}
   * of them); for the task that calls it, its own frames up to the call; for a task that ended with
   * an exception, the exception's frames inside the body (the oldest {@code limit}); otherwise (not
   * started, cancelled, or returned) none. Always ordered oldest to newest, as in Python (the
   * reverse of {@link Throwable#getStackTrace()}).
   *
   * <p>Nothing is recorded when a task suspends; the frames are read from the parked continuation
   * or thread when asked (see {@code TaskStacks}), which costs microseconds per task.
   *
   * @param limit the most frames to return
   * @return the frames, oldest first
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws IllegalStateException if called from another thread while the loop runs (the body could
   *     move under the reader); hop onto the loop with {@link EventLoop#callSoonThreadsafe}
   */
  public List<StackTraceElement> getStack(int limit) {
    return TaskStacks.get(this, limit);
  }

  /**
   * Prints the task's stack or traceback to {@link System#err}: Python's {@code print_stack()}.
   *
   * @throws IllegalStateException if called from another thread while the loop runs
   */
  public void printStack() {
    TaskStacks.print(this, Integer.MAX_VALUE, System.err);
  }

  /**
   * Prints at most {@code limit} frames of the task's stack or traceback ({@link #getStack(int)})
   * to {@code out}: Python's {@code print_stack(limit=limit, file=out)}. The header says {@code
   * Stack for <task> (most recent call last):} (or {@code Traceback for}, followed by the exception
   * after the frames; or {@code No stack for}); each frame is printed in Java's {@code at ...}
   * form.
   *
   * @param limit the most frames to print
   * @param out where to print
   * @throws NullPointerException if {@code out} is null
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws IllegalStateException if called from another thread while the loop runs
   */
  public void printStack(int limit, PrintStream out) {
    TaskStacks.print(this, limit, out);
  }

  /** The strand of a suspended body (for TaskStacks), or null if it is not suspended. */
  Strand suspendedStrand() {
    return is(SUSPENDED) && !isDone() ? strand : null;
  }

  /** The future the suspended body awaits (for the call graph), or null. */
  LoopFuture<?> awaiting() {
    return waiter;
  }

  /**
   * Not supported: a task completes with what its body returns. Python raises {@code RuntimeError}.
   *
   * @param result ignored
   * @throws IllegalStateException always
   */
  @Override
  public void setResult(V result) {
    throw new IllegalStateException("Task does not support setResult operation");
  }

  /**
   * Not supported: a task completes with what its body throws. Python raises {@code RuntimeError}.
   *
   * @param exception ignored
   * @throws IllegalStateException always
   */
  @Override
  public void setException(Throwable exception) {
    throw new IllegalStateException("Task does not support setException operation");
  }

  /**
   * Requests that the task be cancelled: Python's {@code Task.cancel(msg)}. If the task waits for a
   * future, that future is cancelled, and the task wakes up with a {@link CancellationException}
   * carrying {@code message}; otherwise the exception is raised at the task's next {@code await}
   * (or, if it has not started, the body never runs). Unlike a plain future's, this does not make
   * the task cancelled at once: the body may catch the exception.
   *
   * @param message the message, or null
   * @return false if the task is already done; true otherwise
   * @throws IllegalStateException if called from another thread than the loop's while it runs
   *     (always checked)
   */
  @Override
  public boolean cancel(String message) {
    getLoop().checkThread("cancel");
    if (isDone()) {
      return false;
    }
    cancelsRequested++;
    if (waiter != null && waiter.cancel(message)) {
      return true; // the wakeup delivers the cancellation
    }
    set(MUST_CANCEL);
    mustCancelMessage = message;
    return true;
  }

  /**
   * The number of pending cancel requests: Python's {@code cancelling()}. Every {@link
   * #cancel(String)} of a pending task adds one, every {@link #uncancel()} takes one away.
   *
   * @return the count
   */
  public int cancelling() {
    return cancelsRequested;
  }

  /**
   * Takes back one cancel request: Python's {@code uncancel()} (3.13 semantics: when the count
   * reaches zero, a cancellation not yet delivered is dropped).
   *
   * @return the remaining count
   */
  public int uncancel() {
    if (cancelsRequested > 0) {
      cancelsRequested--;
      if (cancelsRequested == 0) {
        unset(MUST_CANCEL);
      }
    }
    return cancelsRequested;
  }

  // ---------------------------------------------------------------- the body's start and end

  /** Runs the body once, in the strand's first slice (see {@link TaskSteps#runBody}). */
  final V callBody() throws Exception {
    return body.run();
  }

  /** Completes the task with what its body returned ({@code value}) or threw ({@code failure}). */
  @SuppressWarnings("unchecked")
  final void endBody(Object value, Throwable failure) {
    finish((V) value, failure);
  }

  /** No strand could be had for the body (no thread): the task ends with that error. */
  final void failToStart(Throwable error) {
    finish(null, error);
  }

  /** Completes the task, once: with the body's value or failure, or cancelled (see above). */
  final void finish(V value, Throwable failure) {
    body = null;
    getLoop().runtime.removePending(this);
    if (failure == null) {
      if (is(MUST_CANCEL)) { // cancelled after its last await: it still ends cancelled (as asyncio)
        unset(MUST_CANCEL);
        super.cancel(mustCancelMessage);
      } else {
        super.setResult(value);
      }
    } else if (failure instanceof CancellationException) {
      super.cancel(failure.getMessage());
    } else if (failure instanceof TaskSteps.AbandonedError && is(CLOSING)) {
      super.cancel(TaskSteps.closedError().getMessage());
    } else {
      super.setException(failure);
    }
  }

  /** The task of the current thread, for await; fails clearly outside a task. */
  static Task<?> require(String what) {
    Task<?> t = currentTask();
    if (t == null) {
      throw new IllegalStateException(
          what
              + " must be called inside a task (EventLoop.createTask, Asyncio.run): a plain thread"
              + " or a loop callback cannot suspend");
    }
    return t;
  }

  // ---------------------------------------------------------------- describing

  @Override
  String stateName() {
    return !isDone() && cancelsRequested > 0 ? "CANCELLING" : super.stateName();
  }

  @Override
  void describeTask(StringBuilder b) {
    b.append(" name='").append(getName()).append('\'');
    if (waiter != null) {
      b.append(" wait_for=").append(waiter);
    }
  }
}
