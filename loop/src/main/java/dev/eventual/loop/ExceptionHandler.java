package dev.eventual.loop;

/**
 * Receives the errors an {@link EventLoop} cannot hand to anyone else: callbacks that threw, loop
 * futures whose exception was never retrieved. The handler of asyncio's {@code
 * loop.set_exception_handler(handler)}, called as {@code handler(loop, context)}.
 */
@FunctionalInterface
public interface ExceptionHandler {
  /**
   * Handles one error. Runs on the loop's thread, except for the reports of futures collected while
   * their loop was not running (then on the JVM's cleaner thread). What it throws is logged.
   *
   * @param loop the loop that reports
   * @param context what happened
   */
  void handle(EventLoop loop, ExceptionContext context);
}
