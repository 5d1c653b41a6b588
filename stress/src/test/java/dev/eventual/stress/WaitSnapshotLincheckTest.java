package dev.eventual.stress;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Zero-timeout {@code Futures.wait} and {@code asCompleted} on two futures, checked against an
 * atomic snapshot of their states, which is what CPython gives (its {@code wait} and {@code
 * as_completed} hold every future's condition while they look). Before core's scan became a double
 * collect, Lincheck found: {@code cancel(1)}; then {@code waitZero()} concurrent with {@code
 * complete(0); notifyCancel(1)} returning {@code [1]} although future 0 was done before future 1.
 */
public class WaitSnapshotLincheckTest extends WaitOperations {
  static {
    Lincheck.warmUp();
  }

  public WaitSnapshotLincheckTest() {
    super(2);
  }

  @Test
  @Timeout(300)
  void modelCheckingFindsZeroTimeoutWaitsOnTwoFuturesLinearizable() {
    LinChecker.check(
        WaitSnapshotLincheckTest.class, Lincheck.modelChecking(WaitModel.Two.class).iterations(60));
  }
}
