package dev.eventual;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/** Checks and describes the timeouts of the Python-named waits. */
final class Timeouts {
  private Timeouts() {}

  /**
   * Converts a timeout to nanoseconds, saturating at {@code Long.MAX_VALUE}.
   *
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  static long toNanos(Duration timeout, String name) {
    Objects.requireNonNull(timeout, () -> name + " must not be null");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + describe(timeout));
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Returns a deadline {@code nanos} from now on the {@link System#nanoTime()} scale. As with
   * nanoTime itself, compare it only by subtraction ({@code deadline - System.nanoTime() > 0}):
   * then every {@code nanos} up to {@code Long.MAX_VALUE} works, although the sum may wrap.
   *
   * @param nanos zero or positive
   */
  static long deadline(long nanos) {
    return System.nanoTime() + nanos;
  }

  /** Describes a duration for people: "250 ms", "1.5 s", "0 ms", "500 ns". */
  static String describe(Duration d) {
    if (d.isNegative()) {
      if (d.getSeconds() == Long.MIN_VALUE) {
        return d.getSeconds() + " s"; // cannot be negated
      }
      return "-" + describe(d.negated());
    }
    long millis;
    try {
      millis = d.toMillis();
    } catch (ArithmeticException tooLong) {
      return d.getSeconds() + " s";
    }
    if (millis == 0 && !d.isZero()) {
      return d.toNanos() + " ns";
    }
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis % 1000 == 0) {
      return (millis / 1000) + " s";
    }
    String fraction = String.format(Locale.ROOT, "%03d", millis % 1000).replaceAll("0+$", "");
    return (millis / 1000) + "." + fraction + " s";
  }
}
