package dev.eventual.internal;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * How a future's {@code toString} shows its result, one rule for the thread-safe and the loop-bound
 * futures: the value itself for the JDK's own immutable value types, whose text cannot run user
 * code, and {@code Class@hash} for everything else (whose {@code toString} or {@code hashCode}
 * might block, throw, recurse into the future, or leak secrets into logs).
 *
 * <p>Shown by value:
 *
 * <ul>
 *   <li>{@code Boolean}, {@code Character}, {@code Byte}, {@code Short}, {@code Integer}, {@code
 *       Long}, {@code Float}, {@code Double}: as {@code String.valueOf} writes them;
 *   <li>{@code String}: in double quotes with {@code \}, {@code "} and control characters escaped;
 *       one longer than {@value #MAX_STRING} characters is cut in the middle, as Python's {@code
 *       reprlib} does ({@code "abcdefghijklmnopqrstuvwxyz..."} becomes {@code "abcdefghijklm...
 *       nopqrstuvwxyz"});
 *   <li>{@code BigInteger} and {@code BigDecimal}, only of exactly those classes (both can be
 *       subclassed, and a subclass's {@code toString} is user code) and of at most {@value
 *       #MAX_BITS} bits (a longer one's decimal text costs time): plain {@code toString};
 *   <li>an enum constant: its enum's class name and {@link Enum#name()} (final, never user code),
 *       for example {@code java.util.concurrent.TimeUnit.SECONDS}.
 * </ul>
 */
public final class ResultRepr {
  private ResultRepr() {}

  /** The longest string shown whole; longer ones are cut in the middle. */
  static final int MAX_STRING = 30;

  /** The largest BigInteger (and BigDecimal unscaled value) shown by value, in bits. */
  static final int MAX_BITS = 256;

  /**
   * Describes a result for a future's {@code toString}.
   *
   * @param value the result, may be null
   * @return {@code null}, the value for the types listed above, else {@code Class@hash}
   */
  public static String of(Object value) {
    if (value == null) {
      return "null";
    }
    Class<?> type = value.getClass();
    if (type == Integer.class
        || type == Long.class
        || type == Boolean.class
        || type == Double.class
        || type == Float.class
        || type == Short.class
        || type == Byte.class) {
      return String.valueOf(value);
    }
    if (type == String.class) {
      return quote((String) value, '"');
    }
    if (type == Character.class) {
      return quote(String.valueOf(value), '\'');
    }
    if (type == BigInteger.class && ((BigInteger) value).bitLength() <= MAX_BITS) {
      return value.toString();
    }
    if (type == BigDecimal.class && ((BigDecimal) value).unscaledValue().bitLength() <= MAX_BITS) {
      return value.toString();
    }
    if (value instanceof Enum) {
      Enum<?> constant = (Enum<?>) value;
      return constant.getDeclaringClass().getName() + "." + constant.name();
    }
    return identity(value);
  }

  /**
   * {@code Class@hash}, without calling the object's own {@code toString} or {@code hashCode}.
   *
   * @param o any object, may be null
   * @return {@code null} or the class name and identity hash
   */
  public static String identity(Object o) {
    return o == null
        ? "null"
        : o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
  }

  private static String quote(String s, char quote) {
    if (s.length() > MAX_STRING) {
      int head = (MAX_STRING - 3) / 2;
      int tail = MAX_STRING - 3 - head;
      s = s.substring(0, head) + "..." + s.substring(s.length() - tail);
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append(quote);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        case '\\':
          b.append("\\\\");
          break;
        default:
          if (c == quote) {
            b.append('\\').append(c);
          } else if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append(quote).toString();
  }
}
