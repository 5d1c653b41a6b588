/**
 * eventual-guava: Guava's {@code ListenableFuture} and {@code ListeningExecutorService} meet
 * eventual's {@code ConcurrentFuture} and {@code FutureExecutor}.
 *
 * <p>Exports only {@code dev.eventual.guava}; start with {@link dev.eventual.guava.GuavaFutures}.
 * Guava's types appear in the API, so reading this module reads Guava too.
 */
module dev.eventual.guava {
  requires transitive dev.eventual;
  requires transitive com.google.common;

  exports dev.eventual.guava;
}
