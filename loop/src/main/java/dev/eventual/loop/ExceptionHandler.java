package dev.eventual.loop;

/**
 * Receives the errors an {@link EventLoop} cannot hand to anyone else: callbacks that threw, loop
 * futures whose exception was never retrieved. The handler of asyncio's {@code
 * loop.set_exception_handler(handler)}, called as {@code handler(loop, context)}.
 */
@FunctionalInterface
public interface ExceptionHandler {
  /**
   * Handles one error. Runs on the loop's thread; the report of a future whose exception was never
   * retrieved runs there at the loop's next turn after the future was collected, or on the thread
   * that calls {@link EventLoop#close()} if the loop closes first. What it throws is logged.
   *
   * @param loop the loop that reports
   * @param context what happened
   */
  void handle(EventLoop loop, ExceptionContext context);
}
