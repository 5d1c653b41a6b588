package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Validation and wording of the Python-named timeouts. */
class TimeoutsTest {

  @Test
  void describeChoosesAReadableUnit() {
    assertThat(Timeouts.describe(Duration.ZERO)).isEqualTo("0 ms");
    assertThat(Timeouts.describe(Duration.ofNanos(500))).isEqualTo("500 ns");
    assertThat(Timeouts.describe(Duration.ofMillis(250))).isEqualTo("250 ms");
    assertThat(Timeouts.describe(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    assertThat(Timeouts.describe(Duration.ofMillis(1005))).isEqualTo("1.005 s");
    assertThat(Timeouts.describe(Duration.ofSeconds(3))).isEqualTo("3 s");
    assertThat(Timeouts.describe(Duration.ofMillis(-250))).isEqualTo("-250 ms");
    assertThat(Timeouts.describe(Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(Long.MAX_VALUE + " s");
  }

  @Test
  void toNanosSaturatesAndRejectsNegativeOrNull() {
    assertThat(Timeouts.toNanos(Duration.ofSeconds(2), "timeout")).isEqualTo(2_000_000_000L);
    assertThat(Timeouts.toNanos(Duration.ofSeconds(Long.MAX_VALUE), "timeout"))
        .isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> Timeouts.toNanos(Duration.ofNanos(-1), "delay"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be negative: -1 ns");
    assertThatThrownBy(() -> Timeouts.toNanos(null, "delay"))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessage("delay must not be null");
  }

  @Test
  void theMostNegativeDurationIsRejectedWithAClearMessage() {
    Duration min = Duration.ofSeconds(Long.MIN_VALUE);
    assertThatThrownBy(() -> Timeouts.toNanos(min, "timeout"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must not be negative: " + Long.MIN_VALUE + " s");
    assertThatThrownBy(() -> new ConcurrentFuture<>().result(min))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDeadlineComparedBySubtractionSurvivesTheLongestTimeout() {
    long deadline = Timeouts.deadline(Long.MAX_VALUE);
    assertThat(deadline - System.nanoTime()).isPositive();
    assertThat(Timeouts.deadline(0) - System.nanoTime()).isLessThanOrEqualTo(0);
  }
}
