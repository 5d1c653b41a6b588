package dev.eventual.loop;

import dev.eventual.BlockingGuard;
import dev.eventual.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link TaskBody} running on an event loop: Python's {@code asyncio.Task}. A task is a {@link
 * LoopFuture} that completes with what its body returns or throws. Create one with {@link
 * EventLoop#createTask} or {@link Asyncio#createTask}.
 *
 * <p>The body runs in direct style on a thread of its own (a virtual thread on Java 21+, a platform
 * thread on 17), but never at the same time as the loop: the loop's thread hands a single run
 * permit to the task for each step, and waits until the task {@linkplain Await#await awaits} a
 * pending future or ends. So at any instant one callback or one task runs on a loop, and code on
 * the loop needs no locks (asyncio's single-threaded guarantee). A step is scheduled with {@code
 * callSoon}, as asyncio's {@code Task.__step}; the future a task awaits wakes it with a done
 * callback.
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
 *       <td>a {@link TaskBody} on its own thread, calling {@link Await#await}; {@link
 *       Asyncio#sleep} with zero yields to the loop.</td></tr>
 *   <tr><td>{@code asyncio.Task(coro, loop=...)}</td>
 *       <td>{@link EventLoop#createTask}; no public constructor.</td></tr>
 *   <tr><td>{@code set_result}, {@code set_exception}: {@code RuntimeError}</td>
 *       <td>{@link IllegalStateException}.</td></tr>
 *   <tr><td>the context is entered for each step</td>
 *       <td>the task's thread enters its context for the task's whole life, so two pending tasks
 *       cannot share one context ({@link IllegalStateException} at the second one's start).</td></tr>
 *   <tr><td>awaiting itself or a future of another loop: {@code RuntimeError}</td>
 *       <td>{@link IllegalStateException}, raised at the {@code await}.</td></tr>
 *   <tr><td>a pending task of a closed loop is reported when collected ("Task was destroyed but it
 *       is pending!") and its coroutine closed</td>
 *       <td>{@link EventLoop#close()} reports it at once with that message and unwinds its body:
 *       every {@code await} then throws {@link CancellationException}; the task ends cancelled
 *       (or as its body ends), so that no thread is left waiting.</td></tr>
 *   <tr><td>{@code get_coro()}, {@code get_stack()}, {@code print_stack()}, eager tasks</td>
 *       <td>Not offered; the task's thread shows up in thread dumps.</td></tr>
 *   <tr><td>"Task exception was never retrieved"</td>
 *       <td>Reported as for every {@link LoopFuture}, when the task is collected.</td></tr>
 * </table>
 *
 * @param <V> the result type
 */
public class Task<V> extends LoopFuture<V> {
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final ThreadLocal<Task<?>> CURRENT = new ThreadLocal<>();

  /** A suspending task spins for its next turn only if at most this many callbacks are ready. */
  private static final int SPIN_WHEN_READY_AT_MOST = 2;

  private TaskBody<V> body;
  private final Context context;
  private final Context stepContext = new Context();
  private final Step step = new Step(this);
  private String name;
  private Thread thread;
  private Baton turn;
  private boolean suspended;
  private boolean closing;
  private LoopFuture<?> waiter;
  private boolean mustCancel;
  private String mustCancelMessage;
  private int cancelsRequested;

  Task(EventLoop loop, TaskBody<V> body, String name, Context context) {
    super(loop);
    this.body = body;
    this.context = context;
    this.name = name != null ? name : "Task-" + COUNTER.incrementAndGet();
    loop.callSoon(step, stepContext);
    loop.scheduler.tasks.add(this);
  }

  /**
   * The task running on the current thread: Python's {@code asyncio.current_task()}.
   *
   * @return the task, or null when called outside a task (for example in a plain callback)
   */
  public static Task<?> currentTask() {
    return CURRENT.get();
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
    return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(loop.scheduler.tasks));
  }

  /**
   * The task's name: Python's {@code get_name()}.
   *
   * @return the name given, or {@code Task-<n>}
   */
  public String getName() {
    return name;
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
   * @throws IllegalStateException (debug mode) if called from another thread than the loop's
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
    mustCancel = true;
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
        mustCancel = false;
      }
    }
    return cancelsRequested;
  }

  // ---------------------------------------------------------------- stepping (loop's thread)

  /** Runs one step: starts the body or resumes it, and waits until it suspends or ends. */
  private void step() {
    if (isDone() || (thread != null && !suspended)) {
      return;
    }
    if (thread == null) {
      if (mustCancel) { // cancelled before it started: the body never runs
        mustCancel = false;
        finish(null, new CancellationException(mustCancelMessage));
        return;
      }
      turn = new Baton();
      thread = Carriers.newThread(this::main);
    }
    Scheduler s = getLoop().scheduler;
    Thread previous = s.carrier;
    s.carrier = thread;
    try {
      if (suspended) {
        turn.release();
      } else {
        thread.start();
      }
      s.handback.acquire();
    } finally {
      s.carrier = previous;
    }
  }

  /** The task's thread: runs the body in the task's context, then completes the task. */
  private void main() {
    EventLoop loop = getLoop();
    try {
      Scheduler.bindRunning(loop);
      CURRENT.set(this);
      BlockingGuard.forbidBlocking("task " + name + " of " + loop);
      Body<V> run = new Body<>(body);
      try {
        context.run(run);
      } catch (IllegalStateException contextInUse) {
        run.failure = contextInUse;
      }
      finish(run.value, run.failure);
    } catch (Throwable bug) {
      loop.callExceptionHandler(new ExceptionContext("Exception in task " + name, bug, this, null));
    } finally {
      loop.scheduler.handback.release();
    }
  }

  /** Runs the body, keeping what it returns or throws. */
  private static final class Body<V> implements Runnable {
    private final TaskBody<V> body;
    V value;
    Throwable failure;

    Body(TaskBody<V> body) {
      this.body = body;
    }

    @Override
    public void run() {
      try {
        value = body.run();
      } catch (Throwable t) {
        failure = t;
      }
    }
  }

  private void finish(V value, Throwable failure) {
    body = null;
    getLoop().scheduler.tasks.remove(this);
    if (failure == null) {
      if (mustCancel) { // cancelled after its last await: it still ends cancelled (as asyncio)
        mustCancel = false;
        super.cancel(mustCancelMessage);
      } else {
        super.setResult(value);
      }
    } else if (failure instanceof CancellationException) {
      super.cancel(failure.getMessage());
    } else {
      super.setException(failure);
    }
  }

  // ---------------------------------------------------------------- suspending (task's thread)

  /** Awaits {@code future} on the task's thread; see {@link Await#await(LoopFuture)}. */
  <T> T await(LoopFuture<T> future) {
    if (future == this) {
      throw new IllegalStateException("Task cannot await on itself: " + this);
    }
    if (future.getLoop() != getLoop()) {
      throw new IllegalStateException(
          "Task " + name + " got Future " + future + " attached to a different loop");
    }
    if (closing) {
      throw closedError();
    }
    if (!future.isDone()) {
      future.addDoneCallback(step, stepContext);
      waiter = future;
      if (mustCancel && future.cancel(mustCancelMessage)) {
        mustCancel = false;
      }
      try {
        suspend();
      } finally {
        waiter = null;
      }
      deliverCancel();
    }
    return future.result();
  }

  /** Lets the loop run the other callbacks once, then resumes: asyncio's bare {@code yield}. */
  void yieldOnce() {
    if (closing) {
      throw closedError();
    }
    getLoop().callSoon(step, stepContext);
    suspend();
    deliverCancel();
  }

  private void deliverCancel() {
    if (mustCancel) {
      mustCancel = false;
      throw new CancellationException(mustCancelMessage);
    }
  }

  private void suspend() {
    suspended = true;
    Scheduler s = getLoop().scheduler;
    // Spin for the next turn only when the loop has next to nothing else to run first: with many
    // tasks ready, the spinning would take a processor from the ones that run now.
    boolean soon = s.readyCount() <= SPIN_WHEN_READY_AT_MOST;
    s.handback.release();
    turn.acquire(soon);
    suspended = false;
    if (closing) {
      throw closedError();
    }
  }

  private static CancellationException closedError() {
    return new CancellationException("Task was destroyed but it is pending: the loop was closed");
  }

  /** The task of the current thread, for await; fails clearly outside a task. */
  static Task<?> require(String what) {
    Task<?> t = CURRENT.get();
    if (t == null) {
      throw new IllegalStateException(
          what
              + " must be called inside a task (EventLoop.createTask, Asyncio.run): a plain thread"
              + " or a loop callback cannot suspend");
    }
    return t;
  }

  // ---------------------------------------------------------------- closing the loop

  /** Called by EventLoop.close (not running, still open): reports and unwinds pending tasks. */
  static void abandonAll(EventLoop loop) {
    List<Task<?>> pending = new ArrayList<>(loop.scheduler.tasks);
    for (Task<?> t : pending) {
      if (t.isDone()) {
        continue;
      }
      loop.callExceptionHandler(
          new ExceptionContext("Task was destroyed but it is pending!", null, t, null));
      t.closing = true;
      if (t.thread == null) {
        t.finish(null, closedError());
      } else {
        t.step();
      }
    }
    loop.scheduler.tasks.clear();
  }

  // ---------------------------------------------------------------- describing

  @Override
  String stateName() {
    return !isDone() && cancelsRequested > 0 ? "CANCELLING" : super.stateName();
  }

  @Override
  void describeTask(StringBuilder b) {
    b.append(" name='").append(name).append('\'');
    if (waiter != null) {
      b.append(" wait_for=").append(waiter);
    }
  }

  /** The step callback: scheduled with callSoon, and the done callback of awaited futures. */
  private static final class Step implements Runnable, Consumer<LoopFuture<?>>, Handle.Described {
    private final Task<?> task;

    Step(Task<?> task) {
      this.task = task;
    }

    @Override
    public void run() {
      task.step();
    }

    @Override
    public void accept(LoopFuture<?> awaited) {
      task.step();
    }

    @Override
    public String toString() {
      return "Task.step of " + task.name;
    }
  }
}
