package dev.eventual.loop;

import dev.eventual.loop.internal.Cleaners;
import java.lang.ref.Cleaner;

/**
 * The outcome of a failed {@link LoopFuture}: its exception, and the report of that exception if
 * nobody retrieves it before the future is collected (asyncio's {@code __del__} warning). Holds the
 * loop and a description, never the future.
 */
final class FailedOutcome implements Runnable {
  private final EventLoop loop;
  final Throwable exception;
  private String description;
  private volatile boolean retrieved;
  private Cleaner.Cleanable cleanable;

  FailedOutcome(EventLoop loop, Throwable exception) {
    this.loop = loop;
    this.exception = exception;
  }

  /**
   * Reports the exception once {@code future} is collected, unless retrieved before.
   *
   * @param future the future whose outcome this is
   * @param description the future as it describes itself now, failed
   */
  void watch(LoopFuture<?> future, String description) {
    this.description = description;
    cleanable = Cleaners.register(future, this);
  }

  /** The exception was seen: no report (the first time only; the future's thread only). */
  void markRetrieved() {
    Cleaner.Cleanable c = cleanable;
    if (c != null) {
      cleanable = null;
      retrieved = true;
      c.clean();
    }
  }

  @Override
  public void run() {
    if (retrieved) {
      return;
    }
    ExceptionContext context =
        new ExceptionContext(
            "Future exception was never retrieved: " + description, exception, null, null);
    if (!loop.isRunning()
        || !loop.callSoonThreadsafeIfOpen(() -> loop.callExceptionHandler(context))) {
      loop.callExceptionHandler(context);
    }
  }
}
