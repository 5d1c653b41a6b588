package dev.eventual.stress;

import dev.eventual.loop.EventLoop;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code callSoonThreadsafe} from any thread racing {@code stop()} from any thread and the loop's
 * own thread running one turn ({@code stop(); runForever()}, which runs what is scheduled and
 * returns without parking) or closing the loop, model-checked and stress-tested by Lincheck: the
 * operations of {@link LoopOperations} on an {@link EventLoop}, against {@link LoopModel}. A post
 * is accepted until the close, a turn runs every callback accepted before it, once, and close drops
 * those still pending. After each scenario every accepted callback ran at most once, and exactly
 * the ones posted before the last turn and not dropped by the close ran.
 */
public class LoopCallSoonThreadsafeLincheckTest extends LoopOperations {
  public LoopCallSoonThreadsafeLincheckTest() {
    super(of(new EventLoop()));
  }

  @Test
  @Timeout(180)
  void modelCheckingFindsCallSoonThreadsafeTurnAndCloseLinearizable() {
    LinChecker.check(
        LoopCallSoonThreadsafeLincheckTest.class,
        Lincheck.modelChecking(LoopModel.class).iterations(3 * Lincheck.SCALE));
  }

  @Test
  @Timeout(180)
  void stressModeFindsCallSoonThreadsafeTurnAndCloseLinearizable() {
    LinChecker.check(LoopCallSoonThreadsafeLincheckTest.class, Lincheck.stress(LoopModel.class));
  }
}
