package dev.eventual.stress;

import dev.eventual.ConcurrentFuture;
import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Asyncio.wrapFuture(source, loop)} racing cancellation on both sides, model-checked and
 * stress-tested by Lincheck against {@link Model}. The source is a {@link ConcurrentFuture} that a
 * thread sets ({@code trySetResult}), cancels and reads (group {@code source}); any thread asks the
 * loop, through {@code callSoonThreadsafe}, to cancel the loop future, or calls {@code stop()}. The
 * loop's thread is a Lincheck thread (group {@code loop}) that runs turns ({@code stop();
 * runForever()}, which runs what is scheduled and returns without parking), cancels the loop future
 * directly, and reads it.
 *
 * <p>The model is asyncio's: the loop has one FIFO queue; a turn runs the callbacks queued before
 * it (what they schedule runs in the next turn). The source's completion queues a copy of its
 * outcome, which the loop future takes unless it is done by then; a cancelled loop future schedules
 * (with {@code callSoon}) the cancellation of the source with its message. After each scenario,
 * once final turns have run, both futures are pending or both are done, and consistently.
 *
 * <p>Why the source's operations share one thread: completing the source and queueing its outcome
 * on the loop are two steps (the source runs its callbacks after its state changed, as CPython's
 * {@code concurrent.futures.Future} does after releasing its lock), so another thread can see the
 * source done, and a loop turn it causes can still find nothing queued. With the source's
 * operations in any thread the model checker reports exactly that: {@code setSourceResult(): true}
 * on one thread, paused inside the source's callback; on the loop's thread {@code
 * setSourceResult(): false}, then {@code turn(): pending}, where the atomic model would have the
 * result arrive in that turn. It is not a bug (the outcome arrives in a later turn, and {@code
 * wrapFuture} promises only delivery through {@code callSoonThreadsafe}); it only means that the
 * source's completion is not atomic with its delivery, which the model keeps atomic.
 */
public class WrapFutureLincheckTest {
  static final String PENDING = "pending";
  static final String RESULT = "result 7";

  static {
    Lincheck.warmUp();
    try (EventLoop warm = new EventLoop()) {
      ConcurrentFuture<Integer> s = new ConcurrentFuture<>();
      LoopFuture<Integer> d = Asyncio.wrapFuture(s, warm);
      warm.callSoonThreadsafe(() -> d.cancel("warm-up"));
      for (int i = 0; i < 3; i++) {
        warm.stop();
        warm.runForever();
      }
      describe(s);
      describe(d);
    }
  }

  private final EventLoop loop = new EventLoop();
  private final ConcurrentFuture<Integer> source = new ConcurrentFuture<>();
  // reached through a lambda: when it creates the test instance, Lincheck 2.39's model checker
  // reads every field reachable from it with Unsafe, which cannot read the fields of a record (the
  // loop future's callback registrations are records); a lambda's fields it leaves alone
  private final Supplier<LoopFuture<Integer>> destinationRef =
      hide(Asyncio.wrapFuture(source, loop));

  private static Supplier<LoopFuture<Integer>> hide(LoopFuture<Integer> f) {
    return () -> f;
  }

  @Operation(nonParallelGroup = "source")
  public boolean setSourceResult() {
    return source.trySetResult(7);
  }

  @Operation(nonParallelGroup = "source")
  public boolean cancelSource() {
    return source.cancel("source");
  }

  @Operation(nonParallelGroup = "source")
  public String readSource() {
    return describe(source);
  }

  @Operation
  public void requestDestinationCancel() {
    loop.callSoonThreadsafe(() -> destinationRef.get().cancel("loop"));
  }

  @Operation
  public void stop() {
    loop.stop();
  }

  /** One turn of the loop; returns the loop future's state after it. */
  @Operation(nonParallelGroup = "loop")
  public String turn() {
    loop.stop();
    loop.runForever();
    return describe(destinationRef.get());
  }

  @Operation(nonParallelGroup = "loop")
  public boolean cancelDestination() {
    return destinationRef.get().cancel("direct");
  }

  @Operation(nonParallelGroup = "loop")
  public String readDestination() {
    return describe(destinationRef.get());
  }

  /**
   * After each scenario: final turns deliver whatever is in flight; then both futures are pending
   * or both are done, and consistently (the invariants of {@link WrapFutureRaceTest}). A pending
   * pair is then completed through the source, to show the link still works.
   */
  @Validate
  public void bothFuturesEndDoneAndConsistent() {
    settle();
    String src = describe(source);
    String dst = describe(destinationRef.get());
    if (src.equals(PENDING) && dst.equals(PENDING)) {
      source.trySetResult(7);
      settle();
      src = describe(source);
      dst = describe(destinationRef.get());
      if (!src.equals(RESULT) || !dst.equals(RESULT)) {
        throw new AssertionError("a result set at the end did not arrive: " + src + " / " + dst);
      }
      return;
    }
    if (!consistent(src, dst)) {
      throw new AssertionError("inconsistent after the final turns: " + src + " / " + dst);
    }
  }

  private void settle() {
    // the longest chain: a loop future cancel, then the source cancel, then the copy (a no-op)
    for (int i = 0; i < 3; i++) {
      loop.stop();
      loop.runForever();
    }
  }

  /**
   * The outcome pairs wrapFuture allows once nothing is in flight: the same result; the same
   * cancellation; or a loop future cancelled on the loop's side first (by {@code cancel("loop")} or
   * {@code cancel("direct")}) while the source got its result or its own cancellation before the
   * loop's cancellation reached it.
   */
  static boolean consistent(String src, String dst) {
    if (src.equals(PENDING) || dst.equals(PENDING)) {
      return false;
    }
    if (src.equals(dst)) {
      return true;
    }
    boolean loopCancelledFirst = dst.equals("cancelled: loop") || dst.equals("cancelled: direct");
    return loopCancelledFirst && (src.equals(RESULT) || src.equals("cancelled: source"));
  }

  static String describe(ConcurrentFuture<Integer> f) {
    if (!f.isDone()) {
      return PENDING;
    }
    try {
      return "result " + f.result(Duration.ZERO);
    } catch (CancellationException e) {
      return "cancelled: " + e.getMessage();
    }
  }

  static String describe(LoopFuture<Integer> f) {
    if (!f.isDone()) {
      return PENDING;
    }
    try {
      return "result " + f.result();
    } catch (CancellationException e) {
      return "cancelled: " + e.getMessage();
    }
  }

  /**
   * The sequential specification: both futures' outcomes and the loop's queue of callbacks, each
   * one of {@code COPY} (the source's outcome to the loop future), {@code CANCEL_SOURCE} (the loop
   * future's done-callback) or a message (cancel the loop future with it).
   */
  public static final class Model {
    private static final String COPY = "copy";
    private static final String CANCEL_SOURCE = "cancel-source";

    private String source = PENDING;
    private String destination = PENDING;
    private final ArrayDeque<String> queue = new ArrayDeque<>();

    public boolean setSourceResult() {
      if (!source.equals(PENDING)) {
        return false;
      }
      source = RESULT;
      queue.add(COPY);
      return true;
    }

    public boolean cancelSource() {
      return cancelSource("source");
    }

    private boolean cancelSource(String message) {
      if (source.startsWith("cancelled")) {
        return true; // an earlier message is kept
      }
      if (!source.equals(PENDING)) {
        return false;
      }
      source = "cancelled: " + message;
      queue.add(COPY);
      return true;
    }

    public String readSource() {
      return source;
    }

    public void requestDestinationCancel() {
      queue.add("loop");
    }

    public void stop() {}

    public String turn() {
      for (int n = queue.size(); n > 0; n--) {
        String callback = queue.poll();
        if (callback.equals(COPY)) {
          if (destination.equals(PENDING)) {
            destination = source;
            queue.add(CANCEL_SOURCE); // the done-callback, which cancels only if cancelled
          }
        } else if (callback.equals(CANCEL_SOURCE)) {
          if (destination.startsWith("cancelled: ")) {
            cancelSource(destination.substring("cancelled: ".length()));
          }
        } else {
          cancelDestination(callback);
        }
      }
      return destination;
    }

    public boolean cancelDestination() {
      return cancelDestination("direct");
    }

    private boolean cancelDestination(String message) {
      if (!destination.equals(PENDING)) {
        return false;
      }
      destination = "cancelled: " + message;
      queue.add(CANCEL_SOURCE);
      return true;
    }

    public String readDestination() {
      return destination;
    }
  }

  @Test
  @Timeout(180)
  void modelCheckingFindsWrapFutureRacingCancellationLinearizable() {
    LinChecker.check(WrapFutureLincheckTest.class, Lincheck.modelChecking(Model.class));
  }

  @Test
  @Timeout(180)
  void stressModeFindsWrapFutureRacingCancellationLinearizable() {
    LinChecker.check(WrapFutureLincheckTest.class, Lincheck.stress(Model.class));
  }
}
