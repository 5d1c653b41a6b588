package dev.eventual;

import java.time.Duration;
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

  /** Returns a deadline on the System.nanoTime() scale, saturated. */
  static long deadline(long nanos) {
    long now = System.nanoTime();
    long d = now + nanos;
    return d - now < 0 ? now + Long.MAX_VALUE : d;
  }

  /** Describes a duration for people: "250 ms", "1.5 s", "0 s". */
  static String describe(Duration d) {
    if (d.isNegative()) {
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
    return (millis / 1000) + "." + String.format("%03d", millis % 1000).replaceAll("0+$", "") + " s";
  }
}
