package dev.eventual.loop;

import dev.eventual.FutureExecutor;
import java.time.Duration;

/**
 * asyncio's {@code loop.shutdown_default_executor(timeout)}: the executor's {@code shutdown(wait)}
 * runs on a thread of its own, which reports back to the loop through {@code callSoonThreadsafe};
 * the loop future ends when it has, or when the timeout passes (then the executor is shut down
 * without waiting, and a warning is logged).
 */
final class ExecutorShutdown {
  private static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");

  private ExecutorShutdown() {}

  static LoopFuture<Void> start(EventLoop loop, FutureExecutor executor, Duration timeout) {
    LoopFuture<Void> done = loop.createFuture();
    if (executor == null) {
      done.setResult(null);
      return done;
    }
    Thread joiner =
        new Thread(
            () -> {
              try {
                executor.shutdown(true, false);
              } finally {
                loop.callSoonThreadsafeIfOpen(() -> finish(done));
              }
            },
            "eventual-loop-executor-shutdown");
    joiner.setDaemon(true);
    joiner.start();
    if (timeout != null) {
      TimerHandle timer =
          loop.callLater(
              timeout,
              () -> {
                if (!done.isDone()) {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "The executor did not finish joining its threads within "
                          + timeout
                          + "; it is shut down without waiting");
                  executor.shutdown(false, false);
                  done.setResult(null);
                }
              });
      done.addDoneCallback(f -> timer.cancel());
    }
    return done;
  }

  private static void finish(LoopFuture<Void> done) {
    if (!done.isDone()) {
      done.setResult(null);
    }
  }
}
