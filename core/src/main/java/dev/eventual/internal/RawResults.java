package dev.eventual.internal;

import java.util.function.Consumer;

/**
 * Decides, per class, whether a successful result may be stored in a future's state field as it is.
 * A result can be stored raw unless it could be mistaken for a state: a {@link Consumer} (a lone
 * callback is stored raw too), a {@link CallbackStack} or an {@link Outcome}. Those are boxed.
 *
 * <p>The answer is cached per class, so neither the completing nor the reading path pays for an
 * {@code instanceof} test against an interface, which before JDK 23 scans the class's secondary
 * supertypes on every miss. The commonest result classes are answered by identity first. From JDK
 * 23 on (JDK-8180450, hashed secondary supertypes) a failing {@code instanceof} is cheaper than the
 * cache's lookup, so {@link #isResult} uses it there: {@code
 * CreateCompleteBenchmark.eventualRecord} took 9.2–9.9 ns with the lookup on JDK 25 and 8.0–8.4
 * with {@code instanceof}; on JDK 17, 9.0–9.5 with the lookup and 17.8–19.9 with {@code instanceof}
 * (2026-12-07, 2 forks × 2 rounds each). Both answers depend on the class alone, never on what ran
 * before.
 */
public final class RawResults {
  private RawResults() {}

  private static final ClassValue<Boolean> RAW =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return !Consumer.class.isAssignableFrom(type)
              && !CallbackStack.class.isAssignableFrom(type)
              && !Outcome.class.isAssignableFrom(type);
        }
      };

  /**
   * Whether an object of this class is stored raw when it is a result; equivalently, whether a raw
   * object of this class in a state field is a result rather than a lone callback.
   *
   * @param type the object's class
   * @return true if it may be stored raw
   */
  public static boolean isRaw(Class<?> type) {
    return isCommon(type) || RAW.get(type);
  }

  /** Whether a failing {@code instanceof} against an interface is a hashed lookup (JDK 23+). */
  private static final boolean HASHED_SUPERTYPES = Runtime.version().feature() >= 23;

  /**
   * Whether a raw object found in a future's state field is a result rather than a lone callback.
   * Only for an object that is neither a {@link CallbackStack} nor an {@link Outcome} (those are
   * told apart first): then it is a callback exactly when it is a {@link Consumer}, since results
   * that are Consumers are boxed.
   *
   * @param state the raw state, not null, not a {@code CallbackStack}, not an {@code Outcome}
   * @return true if it is a result (for a null state the answer is undefined: callers test for null
   *     first, and the hot path checks nothing twice)
   */
  public static boolean isResult(Object state) {
    return HASHED_SUPERTYPES ? !(state instanceof Consumer) : isRaw(state.getClass());
  }

  /**
   * Whether the class is one of the commonest result classes, all stored raw: answered by identity,
   * without any lookup.
   *
   * @param type the object's class
   * @return true for {@code Integer}, {@code String}, {@code Long} and {@code Boolean}
   */
  public static boolean isCommon(Class<?> type) {
    return type == Integer.class
        || type == String.class
        || type == Long.class
        || type == Boolean.class;
  }
}
