package dev.eventual;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The typed combines of two and three futures: {@link Futures#combine(List)} over the inputs (so
 * its rules for failures and cancellation hold unchanged), then the user's function over the
 * results, which is the only place the element types are restored.
 */
final class TypedCombine {
  private TypedCombine() {}

  @SuppressWarnings("unchecked") // the list holds a's then b's result, in input order
  static <A, B, R> ConcurrentFuture<R> of(
      ConcurrentFuture<? extends A> a,
      ConcurrentFuture<? extends B> b,
      BiFunction<? super A, ? super B, ? extends R> fn) {
    Objects.requireNonNull(a, "a must not be null");
    Objects.requireNonNull(b, "b must not be null");
    Objects.requireNonNull(fn, "fn must not be null");
    return then(Futures.combine(List.of(a, b)), r -> fn.apply((A) r.get(0), (B) r.get(1)));
  }

  @SuppressWarnings("unchecked") // the list holds a's, b's then c's result, in input order
  static <A, B, C, R> ConcurrentFuture<R> of(
      ConcurrentFuture<? extends A> a,
      ConcurrentFuture<? extends B> b,
      ConcurrentFuture<? extends C> c,
      Function3<? super A, ? super B, ? super C, ? extends R> fn) {
    Objects.requireNonNull(a, "a must not be null");
    Objects.requireNonNull(b, "b must not be null");
    Objects.requireNonNull(c, "c must not be null");
    Objects.requireNonNull(fn, "fn must not be null");
    return then(
        Futures.combine(List.of(a, b, c)), r -> fn.apply((A) r.get(0), (B) r.get(1), (C) r.get(2)));
  }

  /**
   * Applies {@code fn} to the combined results once they are all there; a failed or cancelled
   * combination passes on as it is (the very exception, or the cancel message). What {@code fn}
   * throws becomes the returned future's exception; {@code fn} is skipped if the returned future
   * was cancelled first.
   */
  private static <R> ConcurrentFuture<R> then(
      ConcurrentFuture<? extends List<?>> all, Function<List<?>, ? extends R> fn) {
    ConcurrentFuture<R> out = new ConcurrentFuture<>();
    all.addDoneCallback(
        f -> {
          if (!f.isSuccess()) {
            out.completeFrom(f.rawState());
            return;
          }
          if (out.isDone()) {
            return;
          }
          R value;
          try {
            value = fn.apply(f.resultNow());
          } catch (Throwable t) {
            out.trySetException(t);
            return;
          }
          out.trySetResult(value);
        });
    return out;
  }
}
