package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.ConcurrentFuture;
import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Asyncio.wrapFuture(source, loop)} racing cancellation on both sides, on real threads: per
 * round one thread sets the source's result, one cancels the source, and one asks the loop (through
 * {@code callSoonThreadsafe}) to cancel the loop future, while the test thread runs the loop's
 * turns concurrently, so the source's outcome and the loop future's cancellation reach the loop in
 * either order. Afterwards both are done and consistent, as {@code wrapFuture} documents: a
 * cancelled source means a cancelled loop future (with the source's message unless the loop future
 * was cancelled first); a cancelled loop future means the source was cancelled too (with the loop
 * future's message unless the source's own cancel came first), or the source already had its result
 * when the cancellation reached it, and that result stays; a source result that arrived first is
 * the loop future's result. No round loses an outcome or leaves either future pending.
 */
class WrapFutureRaceTest {
  private static final int ROUNDS = Integer.getInteger("wrap.race.rounds", 3000) * Lincheck.SCALE;

  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> outcomes = new TreeMap<>();

  private volatile ConcurrentFuture<Integer> source;
  private volatile LoopFuture<Integer> destination;
  private volatile int setter; // 1: setResult won, 2: lost
  private volatile int sourceCanceller; // 1: cancel returned true, 2: false
  private volatile int destinationCanceller; // 0: not yet run on the loop, 1: true, 2: false

  @Test
  @Timeout(120)
  void wrapFutureRacingCancellationOnBothSidesEndsConsistent() throws Exception {
    Phaser phaser = new Phaser(4);
    EventLoop loop = new EventLoop();
    List<Thread> workers = new ArrayList<>();
    workers.add(worker(phaser, () -> setter = source.trySetResult(7) ? 1 : 2));
    workers.add(worker(phaser, () -> sourceCanceller = source.cancel("source cancel") ? 1 : 2));
    workers.add(
        worker(
            phaser,
            () ->
                loop.callSoonThreadsafe(
                    () ->
                        destinationCanceller = destination.cancel("destination cancel") ? 1 : 2)));
    workers.forEach(Thread::start);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        source = new ConcurrentFuture<>();
        destination = Asyncio.wrapFuture(source, loop);
        setter = 0;
        sourceCanceller = 0;
        destinationCanceller = 0;
        phaser.arriveAndAwaitAdvance(); // go
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // run turns while the others race, until all three acted and both futures are settled
        while (setter == 0
            || sourceCanceller == 0
            || destinationCanceller == 0
            || !source.isDone()
            || !destination.isDone()) {
          loop.stop();
          loop.runForever();
          if (System.nanoTime() > deadline) {
            errors.add("round " + round + " did not settle: " + source + " / " + destination);
            break;
          }
        }
        phaser.arriveAndAwaitAdvance(); // the workers are done with this round
        loop.stop();
        loop.runForever(); // anything still in flight (must change nothing)
        check(round);
        if (errors.size() > 10) {
          break;
        }
      }
    } finally {
      phaser.forceTermination();
      for (Thread t : workers) {
        t.join(10_000);
      }
      loop.close();
    }
    System.out.println("WRAP-RACE rounds=" + ROUNDS + " outcomes=" + outcomes);
    assertThat(errors).isEmpty();
    assertThat(outcomes).hasSizeGreaterThan(1);
  }

  private Thread worker(Phaser phaser, Runnable action) {
    Thread t =
        new Thread(
            () -> {
              while (phaser.arriveAndAwaitAdvance() >= 0) {
                int spins = ThreadLocalRandom.current().nextInt(2_000);
                for (int i = 0; i < spins; i++) {
                  Thread.onSpinWait();
                }
                action.run();
                if (phaser.arriveAndAwaitAdvance() < 0) {
                  return;
                }
              }
            },
            "wrap-race");
    t.setDaemon(true);
    return t;
  }

  private void check(int round) {
    String src = describe(source);
    String dst = describe(destination);
    String key = src + " / " + dst;
    outcomes.merge(key, 1, Integer::sum);
    String at = "round " + round + ": " + key + " ";
    boolean ok;
    if (src.equals("result 7")) {
      // the result was set first; the loop future has it unless its own cancel ran first
      ok =
          setter == 1 && sourceCanceller == 2 && (dst.equals("result 7") || dstCancelledFirst(dst));
    } else if (src.equals("cancelled: source cancel")) {
      // the source's own cancel came first: the loop future follows it unless it was cancelled
      // first
      ok =
          setter == 2
              && sourceCanceller == 1
              && (dst.equals("cancelled: source cancel") || dstCancelledFirst(dst));
    } else if (src.equals("cancelled: destination cancel")) {
      // the loop future's cancel reached the source first
      ok = setter == 2 && sourceCanceller == 1 && dstCancelledFirst(dst);
    } else {
      ok = false;
    }
    if (!dstCancelledFirst(dst) && destinationCanceller != 2) {
      ok = false; // the loop future's cancel must have failed: it was done already
    }
    if (!ok) {
      errors.add(
          at
              + "setter="
              + setter
              + " sourceCanceller="
              + sourceCanceller
              + " destinationCanceller="
              + destinationCanceller);
    }
  }

  private boolean dstCancelledFirst(String dst) {
    return dst.equals("cancelled: destination cancel") && destinationCanceller == 1;
  }

  private static String describe(ConcurrentFuture<Integer> f) {
    if (!f.isDone()) {
      return "pending";
    }
    try {
      return "result " + f.resultNow();
    } catch (IllegalStateException cancelledOrFailed) {
      try {
        f.result(java.time.Duration.ZERO);
        return "?";
      } catch (CancellationException e) {
        return "cancelled: " + e.getMessage();
      } catch (RuntimeException e) {
        return "failed: " + e;
      }
    }
  }

  private static String describe(LoopFuture<Integer> f) {
    if (!f.isDone()) {
      return "pending";
    }
    try {
      return "result " + f.result();
    } catch (CancellationException e) {
      return "cancelled: " + e.getMessage();
    } catch (RuntimeException e) {
      return "failed: " + e;
    }
  }
}
