package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The check can fail: the very operations and model of {@link ConcurrentFutureLincheckTest}, run on
 * {@link CheckThenSetFuture} (completion by check-then-set), are rejected by the model checker,
 * which reports two completions that both succeeded. (Stress mode finds it too, but only by luck of
 * timing, so it is not asserted.) Lincheck's scenario generator is seeded, so the run is
 * repeatable; 30 scenarios reach the race where the default budget may not.
 */
public class BrokenFutureLincheckTest extends FutureOperations {
  public BrokenFutureLincheckTest() {
    super(new CheckThenSetFuture<>());
  }

  @Test
  @Timeout(180)
  void modelCheckingRejectsCheckThenSet() {
    assertThatThrownBy(
            () ->
                LinChecker.check(
                    BrokenFutureLincheckTest.class,
                    Lincheck.modelChecking(FutureModel.class)
                        .iterations(30)
                        .invocationsPerIteration(50)
                        .minimizeFailedScenario(false)))
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageContaining("Invalid execution results");
  }
}
