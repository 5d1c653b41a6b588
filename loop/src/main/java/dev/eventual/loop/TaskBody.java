package dev.eventual.loop;

/**
 * The code of a {@link Task}, written in direct style: it runs on the task's own thread, may call
 * {@link Await#await} to wait for futures without blocking the loop, and returns the task's result
 * or throws its exception. Python's coroutine ({@code async def}).
 *
 * @param <V> the result type
 */
@FunctionalInterface
public interface TaskBody<V> {
  /**
   * Runs the task's code.
   *
   * @return the task's result
   * @throws Exception the task's exception; a {@link java.util.concurrent.CancellationException}
   *     that escapes marks the task cancelled
   */
  V run() throws Exception;
}
