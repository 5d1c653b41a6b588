package dev.eventual.loop;

import dev.eventual.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The task runtime of one {@link EventLoop}: how a task's body runs, suspends at an {@link
 * Await#await} and resumes, which tasks are pending, and how they are abandoned when the loop
 * closes. The loop owns one; every task of the loop steps through it.
 *
 * <h2>Three ways to run a body, chosen once per JVM</h2>
 *
 * <table>
 *   <caption>The strands a task's body can run on</caption>
 *   <tr><th>kind</th><th>needs</th><th>a suspend and resume cost</th><th>how it fails</th></tr>
 *   <tr><td>{@link Kind#CONTINUATION}: the body runs on the loop's own thread inside a {@code
 *       jdk.internal.vm.Continuation}, the engine under virtual threads; an {@code await}
 *       yields it back to the loop, as a coroutine does in CPython.</td>
 *       <td>JDK 21+, started with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (or
 *       the {@code Add-Exports} manifest attribute of an executable jar).</td>
 *       <td>a few hundred nanoseconds, on one thread; no thread per task</td>
 *       <td>An {@code await} inside a native frame, or (JDK 21-23) inside {@code synchronized},
 *       cannot yield: it throws {@link IllegalStateException} naming the reason, and the task goes
 *       on. A blocking call in the body blocks the loop, as in CPython; debug mode reports every
 *       step slower than the slow-callback duration. A suspended body resumes only on the thread
 *       it suspended on: a run of the loop on another thread, while one is suspended, throws
 *       {@link IllegalStateException} ({@link #checkRunner}).</td></tr>
 *   <tr><td>{@link Kind#VIRTUAL_THREAD}: a virtual thread per task, which takes turns with the
 *       loop's thread through a run permit.</td>
 *       <td>JDK 21+.</td>
 *       <td>two cross-thread hand-offs, microseconds; one when the turn runs the steps of several
 *       tasks in a row ({@link #takeChainedStep})</td>
 *       <td>A body that blocks while pinned (JDK 21-23: in {@code synchronized}) holds a carrier;
 *       JFR records {@code jdk.VirtualThreadPinned}. The loop waits for the step in every case;
 *       debug mode reports slow steps.</td></tr>
 *   <tr><td>{@link Kind#PLATFORM_THREAD}: a platform thread per pending task, reused after its
 *       task ends, taking turns with the loop's thread.</td>
 *       <td>any JDK (the only choice on 17).</td>
 *       <td>two OS wake-ups when the other side is parked; one when the turn runs the steps of
 *       several tasks in a row</td>
 *       <td>The number of pending tasks is capped by the OS's threads: a task whose thread cannot be
 *       created ends with that error ({@link OutOfMemoryError}).</td></tr>
 * </table>
 *
 * <p>The choice: {@code -Ddev.eventual.loop.taskRuntime=continuation}, {@code virtual} or {@code
 * platform} asks for one, {@code threads} for virtual threads where the JDK has them and platform
 * threads otherwise; the default, {@code auto}, takes the first of those three that works here. A
 * kind that was asked for and does not work falls back the same way, with a warning logged once.
 * {@link #kind()} tells which was chosen.
 *
 * <p>Whatever the kind, only one task or callback runs on a loop at a time, cancellation is raised
 * at the {@code await}, and a task's context is entered for each step of its body and left between
 * them, as CPython's {@code Task.__step} does.
 */
final class TaskRuntime {
  private static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");

  /** How task bodies run in this JVM. */
  enum Kind {
    /** On the loop's thread, in a {@code jdk.internal.vm.Continuation}. */
    CONTINUATION,
    /** On a virtual thread per task. */
    VIRTUAL_THREAD,
    /** On a platform thread per pending task, reused. */
    PLATFORM_THREAD
  }

  private static final Kind KIND = choose(System.getProperty("dev.eventual.loop.taskRuntime"));

  private final EventLoop loop;

  /**
   * The pending tasks, strongly reachable while they are pending (asyncio's {@code _tasks}), in
   * creation order: a list linked through the tasks themselves, so that adding and removing one
   * costs two stores and no allocation.
   */
  private Task<?> first;

  private Task<?> last;

  /** The task whose step runs now, or null; written by the loop's thread around each step. */
  private Task<?> current;

  /**
   * The rest of the turn whose entry runs now as a thread strand's step, or null: see {@link
   * #takeChainedStep}. Loop's thread, or the strand acting for it.
   */
  private ReadyQueue.Cursor chainable;

  /** How many steps {@link #takeChainedStep} handed on so far: for tests and diagnostics. */
  long stepsHandedOn;

  /**
   * The task groups whose {@code TaskGroup.run} has not returned, for the call graph (their tasks
   * are awaited by their parent); created with the first group.
   */
  private java.util.Set<TaskGroup> openGroups;

  /** The run permit a task's thread hands back to the loop's thread (thread strands only). */
  final Baton handback = new Baton();

  /** The thread of the thread strand running a step now, or null; it acts for the loop's thread. */
  volatile Thread carrier;

  /**
   * The thread that ran the last step of a continuation task ({@link Kind#CONTINUATION} only), or
   * null; loop's thread only. A continuation may resume only on the thread it suspended on: the JIT
   * keeps {@code Thread.currentThread()} in a compiled frame across the calls it makes,
   * continuation yields included (the JDK's virtual threads are safe because their current thread
   * is the virtual thread itself, whatever the carrier). A body resumed on another thread sees the
   * old thread as its current one: its thread-locals are the other thread's, and the loop's own
   * thread checks fail inside it (a task was lost that way: see {@link #checkRunner}).
   */
  private Thread continuationHome;

  /**
   * What the task's context replaced on the loop's thread during a step that the turn runs itself
   * (between {@link #beginTurnStep} and {@link #endTurnStep}); such steps do not nest.
   */
  private Context turnStepBase;

  TaskRuntime(EventLoop loop) {
    this.loop = loop;
  }

  /**
   * The kind of strand task bodies run on in this JVM.
   *
   * @return the kind
   */
  static Kind kind() {
    return KIND;
  }

  static Kind choose(String asked) {
    String a = asked == null ? "auto" : asked.trim().toLowerCase(Locale.ROOT);
    boolean virtual = TaskThreads.virtualAvailable();
    switch (a) {
      case "continuation":
        if (Continuations.AVAILABLE) {
          return Kind.CONTINUATION;
        }
        warn(a, Continuations.UNAVAILABLE_REASON);
        break;
      case "virtual":
        if (virtual) {
          return Kind.VIRTUAL_THREAD;
        }
        warn(a, "this JDK has no virtual threads (JDK 21+ has)");
        return Kind.PLATFORM_THREAD;
      case "platform":
        return Kind.PLATFORM_THREAD;
      case "threads":
        return virtual ? Kind.VIRTUAL_THREAD : Kind.PLATFORM_THREAD;
      case "auto":
        break;
      default:
        warn(a, "unknown value; expected auto, continuation, virtual, platform or threads");
    }
    if (Continuations.AVAILABLE) {
      return Kind.CONTINUATION;
    }
    return virtual ? Kind.VIRTUAL_THREAD : Kind.PLATFORM_THREAD;
  }

  private static void warn(String asked, String why) {
    LOG.log(
        System.Logger.Level.WARNING,
        "dev.eventual.loop.taskRuntime=" + asked + " cannot be used (" + why + "); falling back");
  }

  /** Adds a new task to the pending ones. */
  void addPending(Task<?> t) {
    t.listedPending(true);
    t.pendingPrev = last;
    if (last == null) {
      first = t;
    } else {
      last.pendingNext = t;
    }
    last = t;
  }

  /** Removes a task that ended from the pending ones (once; later calls do nothing). */
  void removePending(Task<?> t) {
    if (!t.listedPending()) {
      return;
    }
    t.listedPending(false);
    Task<?> p = t.pendingPrev;
    Task<?> n = t.pendingNext;
    if (p == null) {
      first = n;
    } else {
      p.pendingNext = n;
    }
    if (n == null) {
      last = p;
    } else {
      n.pendingPrev = p;
    }
    t.pendingPrev = null;
    t.pendingNext = null;
  }

  /** A task group's run began (loop's thread). */
  void openGroup(TaskGroup g) {
    if (openGroups == null) {
      openGroups = new java.util.LinkedHashSet<>();
    }
    openGroups.add(g);
  }

  /** A task group's run returned (loop's thread). */
  void closeGroup(TaskGroup g) {
    openGroups.remove(g);
  }

  /** The task groups whose run has not returned, in the order they began. */
  List<TaskGroup> openGroups() {
    return openGroups == null ? List.of() : new ArrayList<>(openGroups);
  }

  /** The pending tasks now, in creation order. */
  List<Task<?>> pending() {
    List<Task<?>> all = new ArrayList<>();
    for (Task<?> t = first; t != null; t = t.pendingNext) {
      all.add(t);
    }
    return all;
  }

  /** The task whose step runs now on this loop, or null. */
  Task<?> current() {
    return current;
  }

  /**
   * The task whose step runs now, if the calling thread runs it (the loop's thread, or the thread
   * of a thread strand acting for it); otherwise null. What {@link Task#require} finds through the
   * thread's running loop, found through a future's loop instead: no thread-local lookup on the way
   * to every {@code await}.
   */
  Task<?> currentHere() {
    Task<?> t = current;
    if (t == null) {
      return null;
    }
    Thread me = Thread.currentThread();
    return loop.scheduler.owner.get() == me || carrier == me ? t : null;
  }

  /** A new strand for {@code task}'s body, of this JVM's kind (made with the task). */
  Strand newStrand(Task<?> task) {
    return KIND == Kind.CONTINUATION
        ? new ContinuationStrand(task)
        : new ThreadStrand(task, this, KIND == Kind.VIRTUAL_THREAD);
  }

  /**
   * Runs one step of {@code task}'s body: until it suspends or ends. Loop's thread.
   *
   * @param slot the calling thread's context slot
   */
  void step(Task<?> task, Strand strand, Object slot) {
    Task<?> previous = current;
    current = task;
    if (KIND == Kind.CONTINUATION) {
      continuationHome = Thread.currentThread(); // outside the continuation: never stale
    }
    try {
      strand.resume(slot);
    } finally {
      current = previous;
    }
  }

  /**
   * The first half of a step that the loop's turn runs in its own frame ({@code
   * Scheduler.runTurns}): a task switch, where every frame of the library between the turn and the
   * continuation would cost a mispredicted return after the switch. Does what {@link #step} does
   * before the body runs, and returns the continuation for the turn to run; the turn then calls
   * {@link #endTurnStep}. On task threads, or inside another step, runs the whole step as {@link
   * Strand#step} does and returns null; also null if the step has nothing to run.
   *
   * @param strand the step
   * @param slot the calling thread's context slot
   * @param rest the turn's entries after this one, which a thread strand's step may go on with
   *     ({@link #takeChainedStep}); null if it must not (a lone entry, debug mode)
   * @return the continuation to run, or null
   */
  Object beginTurnStep(Strand strand, Object slot, ReadyQueue.Cursor rest) {
    if (KIND != Kind.CONTINUATION || current != null) {
      if (current == null) {
        chainable = rest;
        try {
          strand.step(slot);
        } finally {
          chainable = null;
        }
      } else {
        strand.step(slot);
      }
      return null;
    }
    Task<?> task = strand.task;
    if (!TaskSteps.beginStep(task)) {
      return null;
    }
    Object c = ((ContinuationStrand) strand).continuation();
    current = task;
    continuationHome = Thread.currentThread();
    turnStepBase = TaskSteps.enterSlice(task, slot);
    return c;
  }

  /**
   * Called by a thread strand whose body suspends at the end of a step that the loop's turn ran
   * directly: if the turn's next entry is the step of another suspended thread strand, takes that
   * entry and makes its task the current one, so that the suspending thread hands the turn straight
   * to that strand's thread. The loop's thread, which waits for the turn to come back, is then
   * woken once for a run of such steps instead of once per step: one OS wake-up per step instead of
   * two. Returns null, taking nothing, when the next entry is anything else (a callback, a future
   * with more callbacks, a task not started, a stale entry, a step that would do nothing): the
   * loop's thread runs it, so the turn's order is kept.
   *
   * @param suspending the strand that suspends
   * @return the strand whose step was taken, or null
   */
  ThreadStrand takeChainedStep(ThreadStrand suspending) {
    ReadyQueue.Cursor rest = chainable;
    if (rest == null || !rest.hasNext()) {
      return null;
    }
    Object entry = rest.peek();
    Strand step;
    LoopFuture<?> awaited = null;
    if (entry instanceof LoopFuture<?> f) {
      awaited = f;
      step = f.soleStep();
    } else if (entry instanceof Strand queued && !queued.hasStaleQueuedSteps()) {
      step = queued;
    } else {
      return null;
    }
    if (!(step instanceof ThreadStrand next) || next == suspending || !next.started()) {
      return null;
    }
    Task<?> task = next.task;
    if ((task.flags & (Task.STARTED | Task.SUSPENDED)) != (Task.STARTED | Task.SUSPENDED)
        || task.isDone()) {
      return null;
    }
    rest.advance();
    if (awaited != null) {
      awaited.takeSoleStep();
    }
    current = task;
    stepsHandedOn++;
    return next;
  }

  /**
   * The second half of a step that {@link #beginTurnStep} began: the body suspended or ended.
   *
   * @param slot the calling thread's context slot
   */
  void endTurnStep(Object slot) {
    Task<?> task = current;
    Context base = turnStepBase;
    current = null;
    turnStepBase = null;
    TaskSteps.exitSlice(task, slot, base);
  }

  /**
   * Called by the thread that starts running the loop, once it owns it: refuses a thread other than
   * the one on which the loop's continuations are suspended (see {@link #continuationHome}). A loop
   * with no suspended continuation may move to any thread.
   *
   * @param runner the thread that is about to run the loop
   * @throws IllegalStateException if a continuation task of this loop is suspended on another
   *     thread
   */
  void checkRunner(Thread runner) {
    Thread home = continuationHome;
    if (home == null || home == runner) {
      return;
    }
    Task<?> stuck = firstSuspended();
    if (stuck == null) {
      continuationHome = null;
      return;
    }
    throw new IllegalStateException(
        "Cannot run "
            + loop
            + " on thread '"
            + runner.getName()
            + "': task "
            + stuck.getName()
            + " is suspended on thread '"
            + home.getName()
            + "', and a task on a continuation can resume only on the thread it suspended on (the"
            + " JIT keeps Thread.currentThread() in its compiled frames); run the loop on '"
            + home.getName()
            + "', or start the JVM with -Ddev.eventual.loop.taskRuntime=threads to give each task"
            + " a thread of its own");
  }

  /** The first pending task whose body is suspended, or null. */
  private Task<?> firstSuspended() {
    for (Task<?> t = first; t != null; t = t.pendingNext) {
      if (t.suspendedStrand() != null) {
        return t;
      }
    }
    return null;
  }

  /** How many callbacks are ready on the loop now (a suspending thread strand spins if few). */
  int readyCount() {
    return loop.scheduler.readyCount();
  }

  /**
   * Called by {@link EventLoop#close()} (the loop is not running): reports every pending task and
   * unwinds it, in bounded time whatever its body does. A task that has not started ends cancelled
   * without running. A started one is resumed once with a {@link
   * java.util.concurrent.CancellationException} raised at its {@code await}, so that its {@code
   * finally} blocks run; if it awaits again, it is abandoned there: it ends cancelled, and its body
   * never resumes (a continuation is dropped; a thread is left parked, a daemon, and reported).
   *
   * <p>Unlike a run of the loop ({@link #checkRunner}), a close on another thread than the one the
   * continuations suspended on still unwinds them there, so that their {@code finally} blocks run:
   * the loop's own code in that path does not depend on the thread (the loop is not running), but a
   * {@code finally} block's compiled frames may see the thread the task suspended on as the current
   * one (its thread-locals, its {@link dev.eventual.ContextVar} values).
   */
  void abandonAll() {
    List<Task<?>> tasks = pending();
    EventLoop running = Scheduler.runningLoop();
    Scheduler.bindRunning(loop);
    try {
      for (Task<?> t : tasks) {
        if (!t.isDone()) {
          loop.callExceptionHandler(
              new ExceptionContext("Task was destroyed but it is pending!", null, t, null));
          TaskSteps.unwindForClose(t);
        }
      }
    } finally {
      Scheduler.bindRunning(running);
    }
    for (Task<?> t : tasks) {
      removePending(t);
    }
  }
}
