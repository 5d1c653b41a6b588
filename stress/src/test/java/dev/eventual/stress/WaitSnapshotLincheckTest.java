package dev.eventual.stress;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * KNOWN BUG (tag {@code known-bug}, excluded from the default build): zero-timeout {@code
 * Futures.wait} and {@code asCompleted} on two futures against an atomic snapshot of their states,
 * which is what CPython gives: its {@code wait} and {@code as_completed} hold every future's
 * condition ({@code _AcquireFutures}) while they look. Core's scan reads one future after the other
 * without a lock, so Lincheck finds, for example: {@code cancel(1)}; then {@code waitZero()}
 * concurrent with {@code complete(0); notifyCancel(1)} returns {@code [1]} although future 0 was
 * done before future 1. Run: {@code mvn -B -o verify -pl stress -am -Dstress.excludedGroups=none
 * -Dgroups=known-bug -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("known-bug")
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
