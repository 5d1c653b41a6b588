package dev.eventual.hazelcast;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How often, and after what pause, a task is tried again when an attempt fails for a reason that is
 * not the task's own: a member refused it (its queue was full), the member running it was lost
 * (only under {@link MemberLossPolicy#AT_LEAST_ONCE}), or no member could take it for now (the
 * owner of its key's partition is unknown, or the cluster has no data member). The task's own
 * exception is never retried.
 *
 * <p>The pause before attempt {@code n + 1} is {@code initialBackoff * 2^(n-1)}, at most {@code
 * maxBackoff}. Once {@code maxAttempts} attempts have failed, the future fails with the last
 * failure: {@link WorkerLostException} for a lost member, {@link
 * java.util.concurrent.RejectedExecutionException} for a refusal, {@link IllegalStateException} for
 * no member. A task that was certainly never sent (its member had already left) is sent to a live
 * member without counting an attempt, whatever its policy.
 *
 * <pre>{@code
 * RetryPolicy patient = RetryPolicy.of(20, Duration.ofMillis(100), Duration.ofSeconds(2));
 * RetryPolicy queueOnly = RetryPolicy.defaults().retryingOn(RetryPolicy.Failure.MEMBER_QUEUE_FULL);
 * }</pre>
 *
 * <p>Immutable; the {@code retryingOn} and {@code of} methods return new policies.
 */
public final class RetryPolicy {
  /** The failures a policy may retry. */
  public enum Failure {
    /**
     * The member refused the task: its executor's queue was full ({@link
     * java.util.concurrent.RejectedExecutionException}). The task did not run there.
     */
    MEMBER_QUEUE_FULL,
    /**
     * The member running the task left the cluster or failed (ran out of memory): the task may have
     * run. Retried only under {@link MemberLossPolicy#AT_LEAST_ONCE} (the task again) and {@link
     * MemberLossPolicy#DURABLE} (the request for its result; the cluster runs the task again).
     */
    MEMBER_LOST,
    /**
     * No member can take the task for now: the owner of its key's partition is unknown or lost, or
     * the cluster has no data member. Nothing was sent.
     */
    NO_MEMBER
  }

  private static final RetryPolicy DEFAULTS =
      new RetryPolicy(
          10, Duration.ofMillis(50), Duration.ofSeconds(1), EnumSet.allOf(Failure.class));

  private static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, EnumSet.noneOf(Failure.class));

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Set<Failure> retryOn;

  private RetryPolicy(int maxAttempts, Duration initial, Duration max, Set<Failure> retryOn) {
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initial;
    this.maxBackoff = max;
    this.retryOn = retryOn;
  }

  /**
   * The default: 10 attempts, 50 ms doubling up to 1 s (about 5.5 s in all), on every failure.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * No retries: the first failure ends the task (a task never sent is still sent elsewhere).
   *
   * @return the policy of one attempt
   */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * A policy of {@code maxAttempts} attempts with exponential back-off, on every failure.
   *
   * @param maxAttempts attempts in all, the first one included; at least 1
   * @param initialBackoff the pause before the second attempt; zero or positive
   * @param maxBackoff the longest pause; at least {@code initialBackoff}
   * @return the policy
   * @throws NullPointerException if {@code initialBackoff} or {@code maxBackoff} is null
   * @throws IllegalArgumentException if {@code maxAttempts} is less than 1, {@code initialBackoff}
   *     is negative, or {@code maxBackoff} is shorter than {@code initialBackoff}
   */
  public static RetryPolicy of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    Objects.requireNonNull(initialBackoff, "initialBackoff must not be null");
    Objects.requireNonNull(maxBackoff, "maxBackoff must not be null");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must not be negative: " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must be at least initialBackoff (" + initialBackoff + "): " + maxBackoff);
    }
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, EnumSet.allOf(Failure.class));
  }

  /**
   * This policy, retrying only the given failures.
   *
   * @param failures the failures to retry; none means no retries
   * @return the new policy
   * @throws NullPointerException if {@code failures} or one of them is null
   */
  public RetryPolicy retryingOn(Failure... failures) {
    Objects.requireNonNull(failures, "failures must not be null");
    Set<Failure> on = EnumSet.noneOf(Failure.class);
    for (int i = 0; i < failures.length; i++) {
      on.add(Objects.requireNonNull(failures[i], "failures[" + i + "] must not be null"));
    }
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, on);
  }

  /**
   * Returns the number of attempts in all, the first one included.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns whether this policy retries {@code failure} (under {@code policy}) after {@code
   * attempts} failed attempts.
   *
   * @param failure the failure
   * @param policy the task's member-loss policy
   * @param attempts attempts made so far, the failed one included
   * @return whether to try again
   */
  boolean retries(Failure failure, MemberLossPolicy policy, int attempts) {
    if (attempts >= maxAttempts || !retryOn.contains(failure)) {
      return false;
    }
    return failure != Failure.MEMBER_LOST || policy != MemberLossPolicy.FAIL_FAST;
  }

  /**
   * Returns the pause after {@code attempts} failed attempts.
   *
   * @param attempts at least 1
   * @return the pause in nanoseconds
   */
  long backoffNanos(int attempts) {
    long initial = initialBackoff.toNanos();
    long max = maxBackoff.toNanos();
    int shift = Math.min(attempts - 1, 40);
    long pause = initial << shift;
    return pause < 0 || pause > max || (initial != 0 && pause >> shift != initial) ? max : pause;
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", retryOn="
        + retryOn
        + "]";
  }
}
