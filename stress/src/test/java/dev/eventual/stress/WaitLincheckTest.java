package dev.eventual.stress;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Zero-timeout {@code Futures.wait} and {@code asCompleted} on one future, racing its completion,
 * cancellation and notification, are linearizable: a future only CANCELLED is never reported done,
 * and one FINISHED or CANCELLED_AND_NOTIFIED before the call always is.
 */
public class WaitLincheckTest extends WaitOperations {
  static {
    Lincheck.warmUp();
  }

  public WaitLincheckTest() {
    super(1);
  }

  @Test
  @Timeout(180)
  void modelCheckingFindsZeroTimeoutWaitsLinearizable() {
    LinChecker.check(WaitLincheckTest.class, Lincheck.modelChecking(WaitModel.One.class));
  }

  @Test
  @Timeout(180)
  void stressModeFindsZeroTimeoutWaitsLinearizable() {
    LinChecker.check(WaitLincheckTest.class, Lincheck.stress(WaitModel.One.class));
  }
}
