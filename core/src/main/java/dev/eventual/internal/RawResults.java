package dev.eventual.internal;

import java.util.function.Consumer;

/**
 * Decides, per class, whether a successful result may be stored in a future's state field as it is.
 * A result can be stored raw unless it could be mistaken for a state: a {@link Consumer} (a lone
 * callback is stored raw too), a {@link CallbackStack} or an {@link Outcome}. Those are boxed.
 *
 * <p>The answer is cached per class, so neither the completing nor the reading path pays for an
 * {@code instanceof} test against an interface, which on JDK 17 scans the class's secondary
 * supertypes on every miss. The commonest result classes are answered by identity first.
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
