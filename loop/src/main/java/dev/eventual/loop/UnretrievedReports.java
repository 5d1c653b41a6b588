package dev.eventual.loop;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The reports of loop futures whose exception nobody retrieved (asyncio's "Future exception was
 * never retrieved"), on their way from the cleaner's thread, which finds them, to the loop's
 * exception handler, which must never run there: a handler is user code written for the loop's
 * thread.
 *
 * <p>A report is queued here, and a drain is posted to the loop with {@code callSoonThreadsafe}: it
 * runs on the loop's thread at its next turn, whether the loop is running now or runs later. Each
 * report is taken from the queue once, by whichever comes first:
 *
 * <ul>
 *   <li>the drain, on the loop's thread: the loop's exception handler;
 *   <li>{@code close()}, which drops the pending callbacks (the drain among them) and then hands
 *       what is left to the exception handler on the thread that closes the loop;
 *   <li>the cleaner's thread itself, when the loop was closed before the report could be posted:
 *       only the default handler, which logs, runs there.
 * </ul>
 *
 * <p>So nothing is lost and no user handler runs on the cleaner's thread. Difference from Python:
 * CPython's {@code Future.__del__} calls the handler at once, on whatever thread drops the last
 * reference, usually the loop's own.
 */
final class UnretrievedReports implements Runnable {
  private final BaseEventLoop loop;
  private final ConcurrentLinkedQueue<ExceptionContext> pending = new ConcurrentLinkedQueue<>();

  UnretrievedReports(BaseEventLoop loop) {
    this.loop = loop;
  }

  /** From the cleaner's thread: queues the report and posts its delivery to the loop's thread. */
  void report(ExceptionContext context) {
    pending.add(context);
    if (!loop.callSoonThreadsafeIfOpen(this)) {
      ExceptionContext c;
      while ((c = pending.poll()) != null) {
        loop.defaultExceptionHandler(c); // logs; no user code on the cleaner's thread
      }
    }
  }

  /** On the loop's thread: every pending report to the exception handler. */
  @Override
  public void run() {
    ExceptionContext c;
    while ((c = pending.poll()) != null) {
      loop.callExceptionHandler(c);
    }
  }

  /** Whether no report waits for delivery. */
  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** From {@code close()}, after the pending callbacks were dropped: what is left, now. */
  void flushAtClose() {
    run();
  }
}
