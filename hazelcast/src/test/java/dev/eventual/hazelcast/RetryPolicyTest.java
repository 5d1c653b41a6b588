package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.hazelcast.RetryPolicy.Failure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry policy's arithmetic and its checks; its use is tested with a cluster elsewhere. */
class RetryPolicyTest {
  private static final long MS = 1_000_000L;

  @Test
  void theBackOffDoublesFromTheInitialPauseUpToTheLongest() {
    RetryPolicy p = RetryPolicy.of(10, Duration.ofMillis(50), Duration.ofMillis(300));
    assertThat(p.backoffNanos(1)).isEqualTo(50 * MS);
    assertThat(p.backoffNanos(2)).isEqualTo(100 * MS);
    assertThat(p.backoffNanos(3)).isEqualTo(200 * MS);
    assertThat(p.backoffNanos(4)).isEqualTo(300 * MS);
    assertThat(p.backoffNanos(60)).as("no overflow").isEqualTo(300 * MS);
  }

  @Test
  void aMemberLossIsRetriedOnlyUnderAtLeastOnceAndOnlyWithinTheAttempts() {
    RetryPolicy p = RetryPolicy.of(3, Duration.ZERO, Duration.ZERO);
    assertThat(p.retries(Failure.MEMBER_LOST, MemberLossPolicy.AT_LEAST_ONCE, 1)).isTrue();
    assertThat(p.retries(Failure.MEMBER_LOST, MemberLossPolicy.FAIL_FAST, 1)).isFalse();
    assertThat(p.retries(Failure.MEMBER_QUEUE_FULL, MemberLossPolicy.FAIL_FAST, 2)).isTrue();
    assertThat(p.retries(Failure.MEMBER_QUEUE_FULL, MemberLossPolicy.FAIL_FAST, 3)).isFalse();
    assertThat(p.retryingOn(Failure.NO_MEMBER).retries(Failure.MEMBER_QUEUE_FULL, null, 1))
        .isFalse();
    assertThat(RetryPolicy.none().retries(Failure.NO_MEMBER, MemberLossPolicy.FAIL_FAST, 1))
        .isFalse();
    assertThat(RetryPolicy.defaults().maxAttempts()).isEqualTo(10);
  }

  @Test
  void badArgumentsAreRefusedNamingTheParameter() {
    assertThatThrownBy(() -> RetryPolicy.of(0, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> RetryPolicy.of(1, Duration.ofMillis(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialBackoff");
    assertThatThrownBy(() -> RetryPolicy.of(1, Duration.ofMillis(5), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> RetryPolicy.of(1, null, Duration.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("initialBackoff");
    assertThatThrownBy(() -> RetryPolicy.defaults().retryingOn((Failure) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("failures[0]");
  }
}
