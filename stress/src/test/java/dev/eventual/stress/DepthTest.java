package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Futures;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A million stages, each completed by the one before, complete without {@link StackOverflowError}
 * (the surefire JVMs run with {@code -Xss1m}): chains of {@code continueWith} and {@code
 * continueWithFuture} built on a pending future and completed at once, and nested {@code
 * Futures.combine}.
 */
class DepthTest {
  private static final int DEPTH = 1_000_000;

  @Test
  @Timeout(120)
  void millionStageContinueWithChainCompletesWithoutStackOverflow() {
    ConcurrentFuture<Integer> first = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> last = first;
    for (int i = 0; i < DEPTH; i++) {
      last = last.continueWith(f -> f.result() + 1);
    }
    first.setResult(0);
    assertThat(last.result(Duration.ZERO)).isEqualTo(DEPTH);
  }

  @Test
  @Timeout(120)
  void millionStageFailingContinueWithChainPassesTheFailureDown() {
    ConcurrentFuture<Integer> first = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> last = first;
    for (int i = 0; i < DEPTH; i++) {
      last = last.continueWith(ConcurrentFuture::result); // rethrows the one exception
    }
    IllegalStateException boom = new IllegalStateException("boom");
    first.setException(boom);
    assertThat(last.exception(Duration.ZERO)).isSameAs(boom);
  }

  @Test
  @Timeout(120)
  void millionStageContinueWithFutureChainCompletesWithoutStackOverflow() {
    ConcurrentFuture<Integer> first = new ConcurrentFuture<>();
    ConcurrentFuture<Integer> last = first;
    for (int i = 0; i < DEPTH; i++) {
      last = last.continueWithFuture(f -> Futures.completed(f.result() + 1));
    }
    first.setResult(0);
    assertThat(last.result(Duration.ZERO)).isEqualTo(DEPTH);
  }

  @Test
  @Timeout(120)
  void millionLevelNestedCombineCompletesWithoutStackOverflow() {
    ConcurrentFuture<Object> first = new ConcurrentFuture<>();
    ConcurrentFuture<?> last = first;
    for (int i = 0; i < DEPTH; i++) {
      last = Futures.combine(List.of(last));
    }
    first.setResult("leaf");
    Object value = last.result(Duration.ZERO);
    int depth = 0;
    while (value instanceof List) {
      value = ((List<?>) value).get(0);
      depth++;
    }
    assertThat(depth).isEqualTo(DEPTH);
    assertThat(value).isEqualTo("leaf");
  }
}
