package dev.eventual;

/**
 * A function of three arguments, for {@link Futures#combine(ConcurrentFuture, ConcurrentFuture,
 * ConcurrentFuture, Function3)}: the three-argument sibling of {@link
 * java.util.function.BiFunction}.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <C> the third argument's type
 * @param <R> the result type
 */
@FunctionalInterface
public interface Function3<A, B, C, R> {
  /**
   * Applies the function.
   *
   * @param a the first argument
   * @param b the second argument
   * @param c the third argument
   * @return the result
   */
  R apply(A a, B b, C c);
}
