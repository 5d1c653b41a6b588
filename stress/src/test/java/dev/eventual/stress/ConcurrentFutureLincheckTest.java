package dev.eventual.stress;

import dev.eventual.ConcurrentFuture;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ConcurrentFuture} is linearizable against {@link FutureModel}: Lincheck's model checker
 * (interleavings of generated scenarios, switching threads at every shared-memory access, up to a
 * bound) and its stress mode (the same scenarios on real threads) find no execution whose results
 * the sequential Python state machine could not have produced, and callbacks run exactly once.
 */
public class ConcurrentFutureLincheckTest extends FutureOperations {
  public ConcurrentFutureLincheckTest() {
    super(new ConcurrentFuture<>());
  }

  @Test
  @Timeout(180)
  void modelCheckingFindsEveryInterleavingLinearizable() {
    LinChecker.check(ConcurrentFutureLincheckTest.class, Lincheck.modelChecking(FutureModel.class));
  }

  @Test
  @Timeout(180)
  void stressModeFindsEveryExecutionLinearizable() {
    LinChecker.check(ConcurrentFutureLincheckTest.class, Lincheck.stress(FutureModel.class));
  }
}
