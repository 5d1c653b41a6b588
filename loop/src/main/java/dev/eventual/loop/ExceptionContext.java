package dev.eventual.loop;

/**
 * What an {@link ExceptionHandler} receives: the context dictionary of asyncio's {@code
 * call_exception_handler}, with its most common keys. Every component except {@code message} may be
 * null.
 *
 * @param message what happened, for example {@code "Exception in callback ..."}
 * @param exception the exception, if any
 * @param future the future concerned, if any (asyncio's {@code future} and {@code task} keys)
 * @param handle the handle whose callback failed, if any
 */
public record ExceptionContext(
    String message, Throwable exception, LoopFuture<?> future, Handle handle) {
  /**
   * Creates a context; {@code message} is required.
   *
   * @param message what happened
   * @param exception the exception, may be null
   * @param future the future concerned, may be null
   * @param handle the handle whose callback failed, may be null
   * @throws NullPointerException if {@code message} is null
   */
  public ExceptionContext {
    java.util.Objects.requireNonNull(message, "message must not be null");
  }

  /**
   * Creates a context with a message and an exception only.
   *
   * @param message what happened
   * @param exception the exception, may be null
   * @throws NullPointerException if {@code message} is null
   */
  public ExceptionContext(String message, Throwable exception) {
    this(message, exception, null, null);
  }
}
