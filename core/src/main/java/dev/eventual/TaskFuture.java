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
   * The runner protocol (after FutureTask's INTERRUPTING/INTERRUPTED states):
   *
   *   null --run()--> Thread --run() ends--> DONE
   *                     `--cancelRunningTask(true)--> INTERRUPTING --sent--> INTERRUPTED
   *                                                                 --run() ends--> DONE
   *
   * run() claims the task by CASing null to its thread, before the future turns RUNNING, so a
   * cancel(true) of a RUNNING future always finds the thread. The interrupter CASes the thread to
   * INTERRUPTING, interrupts, and publishes INTERRUPTED. An interrupter only acts after its
   * cancel(true) moved the RUNNING future to cancelled, so a runner whose own completion succeeded
   * simply writes DONE (release): no interrupt can be on its way. Otherwise (the future was
   * cancelled under it) the runner CASes its thread to DONE; if it lost that race an interrupt is
   * (being) delivered for this task, so it waits for INTERRUPTED and clears its interrupt flag
   * before the worker moves on.
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
   * Does what {@link #run()} does, and says whether this call was the one that claimed the task.
   *
   * @return true if this call claimed the task (ran it, or found it cancelled); false if another
   *     call had claimed it before, or {@link #claimWithoutRunning()} did
   */
  final boolean runOnce() {
    Thread me = Thread.currentThread();
    if (!RUNNER.compareAndSet(this, null, me)) {
      return false;
    }
    try {
      if (!start() || isDone()) {
        return true;
      }
      Callable<? extends V> c = callable;
      callable = null;
      boolean completed;
      try {
        completed = trySetResultOfRun(c.call());
      } catch (Throwable t) {
        completed = trySetException(t);
      }
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
   * Claims the task so that no {@code run()} will ever call it: for a task its executor refused.
   *
   * @return true if no run had claimed it before
   */
  final boolean claimWithoutRunning() {
    if (!RUNNER.compareAndSet(this, null, DONE)) {
      return false;
    }
    callable = null;
    return true;
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

  /** setRunningOrNotifyCancel, false instead of an exception when the future is already done. */
  private boolean start() {
    try {
      return setRunningOrNotifyCancel();
    } catch (InvalidStateException alreadyDone) {
      // Failed by a broken executor, or cancelled and notified by shutdown(cancelFutures=true).
      return false;
    }
  }

  /** Leaves the runner DONE; swallows only an interrupt that was sent for this task. */
  private void endRun(Thread me) {
    if (RUNNER.compareAndSet(this, me, DONE)) {
      return;
    }
    while (runner == INTERRUPTING) {
      Thread.onSpinWait();
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
    Object r = runner;
    if (r instanceof Thread && RUNNER.compareAndSet(this, r, INTERRUPTING)) {
      try {
        ((Thread) r).interrupt();
      } finally {
        runner = INTERRUPTED;
      }
    }
  }

  /**
   * Cancels the task if it has not started, and acknowledges the cancellation at once, so that
   * {@code wait} and {@code asCompleted} see it done: what {@code shutdown(cancelFutures=true)}
   * does to every task it takes back.
   *
   * @return true if the future is now cancelled (by this call or before)
   */
  final boolean cancelAndNotify() {
    if (!cancel()) {
      return false;
    }
    try {
      setRunningOrNotifyCancel();
    } catch (InvalidStateException alreadyNotified) {
      // A worker (or an earlier shutdown) acknowledged it first: one notification is enough.
    }
    return true;
  }
}
