package dev.eventual;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;

/**
 * The future of a submitted task, and the task itself: executors queue this very object as the
 * {@link Runnable} (CPython's {@code _WorkItem} and its future in one allocation).
 *
 * <p>{@link #run()} acknowledges a cancellation or marks the future RUNNING ({@link
 * #setRunningOrNotifyCancel()}), calls the callable, and sets its result or exception. It never
 * throws, and runs the callable at most once however often it is called.
 *
 * <p>A JDK {@link #cancel(boolean) cancel(true)} of the RUNNING task interrupts the thread running
 * it, and only while it runs this task: a worker never carries the interrupt into its next task.
 *
 * @param <V> the result type
 */
class TaskFuture<V> extends ConcurrentFuture<V> implements Runnable {
  /*
   * Who runs the task is decided by the future's own state: the one call that moves it out of
   * PENDING (to RUNNING) or out of CANCELLED (to CANCELLED_AND_NOTIFIED) owns the task; every
   * other run() does nothing. So a run costs two CASes on the state (start, result) and one
   * release store of the runner, not a CAS of its own.
   *
   * The runner field, for cancel(true) (after FutureTask's INTERRUPTING/INTERRUPTED states):
   *
   *   null --the owner, right after its RUNNING CAS--> its Thread --run() ends--> DONE
   *                                                       `--cancel(true)--> INTERRUPTING
   *                                                          --interrupt sent--> INTERRUPTED
   *                                                          --run() ends--> DONE
   *   null --setRunningOrNotifyCancel() called from outside--> NO_THREAD (nothing to interrupt)
   *
   * An interrupter acts only after its cancel(true) moved the RUNNING future to cancelled. The
   * RUNNING state was set by exactly one owner, which stores the runner right after its CAS, so
   * an interrupter that reads null waits (briefly) for that store instead of missing the thread.
   * The owner stores the runner and only then reads the state once more before it calls: a
   * cancel that came first is seen there, and one that comes later finds the thread. A runner
   * whose own completion succeeded simply writes DONE: no cancel(true) can succeed on a FINISHED
   * future, so no interrupt is on its way. Otherwise (cancelled under it) the runner CASes its
   * thread to DONE; if it lost that race an interrupt is (being) delivered for this task, so it
   * waits for INTERRUPTED and clears its interrupt flag before the worker moves on.
   */

  private static final VarHandle RUNNER;

  static {
    try {
      RUNNER = MethodHandles.lookup().findVarHandle(TaskFuture.class, "runner", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Object INTERRUPTING = new Object();
  private static final Object INTERRUPTED = new Object();
  private static final Object DONE = new Object();
  private static final Object NO_THREAD = new Object();

  /** The call; cleared once it ran so that the queue and the future keep nothing alive. */
  private Callable<? extends V> callable;

  @SuppressWarnings("unused") // accessed through RUNNER
  private volatile Object runner;

  /**
   * Creates the future of {@code callable}.
   *
   * @param callable the call, not null (checked by the executors, which name the parameter)
   */
  TaskFuture(Callable<? extends V> callable) {
    this.callable = callable;
  }

  /**
   * Runs the task unless it was cancelled: CPython's {@code _WorkItem.run}. Never throws; a second
   * call does nothing.
   */
  @Override
  public void run() {
    runOnce();
  }

  /**
   * Does what {@link #run()} does, and says whether this call ran the task. Each task ends once:
   * either a run that moved it from PENDING to RUNNING returns true, or the one call that
   * acknowledged its cancellation calls {@link #endedWithoutRunning()}.
   *
   * @return true if this call moved the future from PENDING to RUNNING (and ran the task); false if
   *     it found the task cancelled (and acknowledged it), or already started, settled or
   *     acknowledged
   */
  final boolean runOnce() {
    int start = start();
    if (start != OWNER_RUNNING) {
      if (start == OWNER_CANCELLED) {
        cancelAcknowledged();
      }
      return false;
    }
    Thread me = Thread.currentThread();
    RUNNER.setRelease(this, me);
    try {
      if (isDone()) {
        callEnded();
        return true; // cancel(true) came between the RUNNING CAS and the store of the runner
      }
      Callable<? extends V> c = callable;
      callable = null;
      V value = null;
      Throwable thrown = null;
      try {
        value = c.call();
      } catch (Throwable t) {
        thrown = t;
      }
      callEnded();
      // Outside the catch: a fatal error from a callback of this completion goes to the worker
      // (dev.eventual.internal.FatalErrors), it does not become the task's outcome.
      boolean completed = thrown == null ? trySetResultOfRun(value) : trySetException(thrown);
      if (completed) {
        // No cancel(true) can succeed on a FINISHED future, so no interrupt is on its way.
        RUNNER.setRelease(this, DONE);
        return true;
      }
    } finally {
      callable = null;
      if (runner != DONE) {
        endRun(me);
      }
    }
    return true;
  }

  /**
   * Called once, by the call that acknowledged the cancellation of a task that never ran ({@link
   * #cancelAndNotify()} or a run that found it cancelled), for an executor that counts the tasks
   * still to end. Does nothing here.
   */
  void endedWithoutRunning() {}

  /**
   * Called once by the run that started the task, when its call has returned or thrown and before
   * the outcome is published (so before any callback of the future runs), for an executor that must
   * know, by the time a callback sees the future done, that the task is over. Does nothing here.
   */
  void callEnded() {}

  /**
   * {@inheritDoc}
   *
   * <p>Called from outside on an executor's task (executors start their tasks themselves), it takes
   * the task from the executor: no run will call it, and {@code cancel(true)} has no thread to
   * interrupt.
   *
   * @return true if the future is now RUNNING; false if it was CANCELLED and is now
   *     CANCELLED_AND_NOTIFIED
   * @throws InvalidStateException if the future is RUNNING, FINISHED or already notified
   */
  @Override
  public boolean setRunningOrNotifyCancel() {
    boolean running = super.setRunningOrNotifyCancel();
    if (running) {
      callable = null;
      RUNNER.setRelease(this, NO_THREAD);
    }
    return running;
  }

  /**
   * Whether the task needs nothing more from an executor's shutdown: it is RUNNING, FINISHED, or
   * CANCELLED_AND_NOTIFIED (a CANCELLED task still waits for its notification).
   *
   * @return true once the task has started or settled
   */
  final boolean hasStartedOrSettled() {
    Object s = rawState();
    return isSettled(s) || isRunning();
  }

  /**
   * Never: a worker completes the task, and on a busy machine the processor a waiter would spin on
   * is the one a worker needs. A queued task cannot finish before a worker reaches it, and even a
   * running one is better left the processor (measured on {@code TinyTasksBenchmark}; the JDK's
   * {@code FutureTask} and {@code CompletableFuture} do not spin either).
   */
  @Override
  final boolean spinBeforeBlocking() {
    return false;
  }

  private static final int OWNER_RUNNING = NOW_RUNNING;
  private static final int OWNER_CANCELLED = NOW_NOTIFIED;

  /**
   * Python's set_running_or_notify_cancel, telling whether this call took the task over; without an
   * exception when it did not (started or acknowledged before: by another run(), by a broken
   * executor that failed it, or by shutdown(cancelFutures=true)), a race every executor can lose.
   */
  private int start() {
    return startOrAcknowledge();
  }

  /**
   * Whether the task was started: a run moved it to RUNNING (and called it, or is calling it), or
   * {@link #setRunningOrNotifyCancel()} took it from outside. Once the future is done, false means
   * that it settled without ever running (cancelled, or failed by its executor).
   *
   * @return true once a start was recorded
   */
  final boolean wasStarted() {
    return runner != null;
  }

  /** Leaves the runner DONE; swallows only an interrupt that was sent for this task. */
  private void endRun(Thread me) {
    if (RUNNER.compareAndSet(this, me, DONE)) {
      return;
    }
    for (int round = 0; runner == INTERRUPTING; round++) {
      SpinWait.pause(round);
    }
    Thread.interrupted(); // the cancel(true) interrupt of this task: not the next task's business
    runner = DONE;
  }

  /** Interrupts the thread running this task, if it still runs it. */
  @Override
  protected void cancelRunningTask(boolean mayInterruptIfRunning) {
    if (!mayInterruptIfRunning) {
      return;
    }
    Object r = awaitRunner();
    if (r instanceof Thread && RUNNER.compareAndSet(this, r, INTERRUPTING)) {
      try {
        ((Thread) r).interrupt();
      } finally {
        runner = INTERRUPTED;
      }
    }
  }

  /**
   * The runner of a future that was RUNNING: its owner stores it right after its RUNNING CAS, so a
   * null here is a store still on its way, a few instructions long (unless the owner's thread was
   * descheduled right there).
   */
  private Object awaitRunner() {
    Object r;
    for (int round = 0; (r = runner) == null; round++) {
      SpinWait.pause(round);
    }
    return r;
  }

  /**
   * The cancellation was acknowledged (by a run that found the task cancelled, or by {@link
   * #cancelAndNotify()}): no run will ever call the task.
   */
  @Override
  final void cancelAcknowledged() {
    callable = null;
    endedWithoutRunning();
  }
}
