package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop check can fail: the very operations and model of {@link
 * LoopCallSoonThreadsafeLincheckTest}, run on {@link RacyPostLoop} (whose {@code
 * callSoonThreadsafe} appends without a compare-and-set), are rejected by both Lincheck modes: two
 * posts that both returned "accepted", of which a turn runs only one. Stress mode gets a wider race
 * window ({@link RacyPostLoop#window}) so that real threads on two busy cores overlap there.
 */
public class BrokenLoopLincheckTest extends LoopOperations {
  /** A turn reporting fewer callbacks than the model, or the final check finding one lost. */
  private static final String LOST_CALLBACK =
      "(?s).*(Invalid execution results"
          + "|everyAcceptedCallbackRanAtMostOnce has failed.*a final turn ran \\d+; \\d+ of \\d+ ran).*";

  public BrokenLoopLincheckTest() {
    super(new RacyPostLoop());
  }

  @AfterEach
  void closeWindow() {
    RacyPostLoop.window = 0;
  }

  @Test
  @Timeout(180)
  void modelCheckingRejectsPostWithoutCompareAndSet() {
    RacyPostLoop.window = 0;
    assertThatThrownBy(
            () ->
                LinChecker.check(
                    BrokenLoopLincheckTest.class,
                    Lincheck.modelChecking(LoopModel.class)
                        .iterations(30)
                        .invocationsPerIteration(50)
                        .minimizeFailedScenario(false)))
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageMatching(LOST_CALLBACK);
  }

  @Test
  @Timeout(180)
  void stressModeRejectsPostWithoutCompareAndSet() {
    RacyPostLoop.window = 20_000;
    assertThatThrownBy(
            () ->
                LinChecker.check(
                    BrokenLoopLincheckTest.class,
                    Lincheck.stress(LoopModel.class)
                        .iterations(30)
                        .invocationsPerIteration(500)
                        .minimizeFailedScenario(false)))
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageMatching(LOST_CALLBACK);
  }
}
