package dev.eventual.hazelcast;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The pauses of one executor's retry policies: runs each second attempt (and each new look for a
 * durable task's result) on a completer thread once its pause is over. One daemon thread, which
 * only hands the work over; once stopped, work runs at once.
 */
final class RetryTimer {
  private final HazelcastFutureExecutor owner;
  private final ScheduledThreadPoolExecutor timer;

  /**
   * Creates the timer of one executor.
   *
   * @param owner the executor, whose completer threads run the work
   * @param executorId the executor's number, in the thread's name
   */
  RetryTimer(HazelcastFutureExecutor owner, int executorId) {
    this.owner = owner;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "eventual-hazelcast-" + executorId + "-retry-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Runs {@code r} on a completer thread after {@code nanos} (at once once the timer stopped).
   *
   * @param r what to run
   * @param nanos the pause
   */
  void later(Runnable r, long nanos) {
    Runnable onCompleter = () -> owner.runOnCompleter(r);
    try {
      timer.schedule(onCompleter, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      owner.runOnCompleter(r);
    }
  }

  /** Stops the timer thread (once no task is left); work it still held is dropped. */
  void stop() {
    timer.shutdownNow();
  }
}
