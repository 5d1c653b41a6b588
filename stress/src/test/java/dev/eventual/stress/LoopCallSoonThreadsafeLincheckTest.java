package dev.eventual.stress;

import dev.eventual.loop.EventLoop;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code callSoonThreadsafe} from any thread racing {@code stop()} from any thread and the loop's
 * own thread running one turn ({@code stop(); runForever()}, which runs what is scheduled and
 * returns without parking) or closing the loop, model-checked and stress-tested by Lincheck. The
 * loop's operations share one {@code nonParallelGroup}, so they run on one Lincheck thread, as the
 * loop's contract asks. Against {@link Model}: a post is accepted until the close, a turn runs
 * every callback accepted before it, once, and close drops those still pending. After each scenario
 * every accepted callback ran at most once, and exactly the ones posted before the last turn and
 * not dropped by the close ran.
 */
public class LoopCallSoonThreadsafeLincheckTest {
  static {
    Lincheck.warmUp();
    try (EventLoop warm = new EventLoop()) {
      warm.callSoonThreadsafe(() -> {});
      warm.stop();
      warm.runForever();
    }
  }

  private final EventLoop loop = new EventLoop();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger ran = new AtomicInteger();
  private final AtomicInteger twice = new AtomicInteger();

  @Operation
  public String post() {
    AtomicInteger runs = new AtomicInteger();
    try {
      loop.callSoonThreadsafe(
          () -> {
            if (runs.incrementAndGet() > 1) {
              twice.incrementAndGet();
            }
            ran.incrementAndGet();
          });
      accepted.incrementAndGet();
      return "accepted";
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  @Operation
  public void stop() {
    loop.stop();
  }

  @Operation(nonParallelGroup = "loop")
  public String turn() {
    int before = ran.get();
    try {
      loop.stop();
      loop.runForever();
      return "ran " + (ran.get() - before);
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  @Operation(nonParallelGroup = "loop")
  public void close() {
    loop.close();
  }

  /** No callback ran twice, and none ran that was not accepted. */
  @Validate
  public void everyAcceptedCallbackRanAtMostOnce() {
    if (twice.get() != 0 || ran.get() > accepted.get()) {
      throw new AssertionError(
          twice.get() + " callbacks ran twice; " + ran + " ran of " + accepted + " accepted");
    }
    if (!loop.isClosed()) {
      int before = ran.get();
      loop.stop();
      loop.runForever();
      if (ran.get() != accepted.get()) {
        throw new AssertionError(
            "a final turn ran " + (ran.get() - before) + "; " + ran + " of " + accepted + " ran");
      }
    }
  }

  /** The sequential specification. */
  public static final class Model {
    private boolean closed;
    private int pending;

    public String post() {
      if (closed) {
        return "Event loop is closed";
      }
      pending++;
      return "accepted";
    }

    public void stop() {}

    public String turn() {
      if (closed) {
        return "Event loop is closed";
      }
      int n = pending;
      pending = 0;
      return "ran " + n;
    }

    public void close() {
      closed = true;
      pending = 0;
    }
  }

  @Test
  @Timeout(180)
  void modelCheckingFindsCallSoonThreadsafeTurnAndCloseLinearizable() {
    LinChecker.check(
        LoopCallSoonThreadsafeLincheckTest.class,
        Lincheck.modelChecking(Model.class).iterations(3 * Lincheck.SCALE));
  }

  @Test
  @Timeout(180)
  void stressModeFindsCallSoonThreadsafeTurnAndCloseLinearizable() {
    LinChecker.check(LoopCallSoonThreadsafeLincheckTest.class, Lincheck.stress(Model.class));
  }
}
