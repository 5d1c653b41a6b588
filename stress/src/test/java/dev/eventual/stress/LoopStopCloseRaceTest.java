package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.loop.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code callSoonThreadsafe} from two producer threads racing {@code stop()} from a third thread
 * (several times, the loop's thread running the loop again after each stop) and then {@code
 * close()} from that third thread once the loop's thread has stopped for good, on real threads (the
 * model checker cannot drive a loop that parks its own thread). Per round and producer:
 *
 * <ul>
 *   <li>each call either returns a handle (accepted) or throws {@code IllegalStateException("Event
 *       loop is closed")}, and then the loop is closed; once one call failed, every later one
 *       fails, and every call started after {@code close()} returned fails;
 *   <li>each accepted callback runs at most once, on the loop's thread, and none runs after {@code
 *       close()} returned;
 *   <li>nothing is lost silently: the callbacks that ran are exactly a prefix of the producer's
 *       accepted ones (FIFO), and the ones that did not run are those still pending when the loop
 *       was closed, which {@code close()} drops as documented; each stop in between (the loop is
 *       run again) loses none.
 * </ul>
 */
class LoopStopCloseRaceTest {
  private static final int ROUNDS = Integer.getInteger("loop.race.rounds", 300) * Lincheck.SCALE;
  private static final int CALLS = 400;
  private static final int PRODUCERS = 2;
  private static final int STOPS = 3;

  @Test
  @Timeout(120)
  void callSoonThreadsafeRacingStopAndCloseRunsEveryAcceptedCallbackOnceOrFailsClearly()
      throws Exception {
    long dropped = 0;
    long ran = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Round r = new Round();
      r.run();
      assertThat(r.errors).as("round %d", round).isEmpty();
      dropped += r.dropped;
      ran += r.ranTotal;
    }
    System.out.println("LOOP-RACE rounds=" + ROUNDS + " ran=" + ran + " droppedByClose=" + dropped);
    assertThat(ran).isPositive();
  }

  /** One loop, its thread, two producers and one stopper/closer. */
  private static final class Round {
    final EventLoop loop = new EventLoop();
    final AtomicIntegerArray runs = new AtomicIntegerArray(PRODUCERS * CALLS);
    final boolean[][] accepted = new boolean[PRODUCERS][CALLS];
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    final CyclicBarrier start = new CyclicBarrier(PRODUCERS + 2);
    final CountDownLatch loopDone = new CountDownLatch(1);
    volatile boolean stopsDone;
    volatile boolean closeReturned;
    volatile Thread loopThread;
    long dropped;
    long ranTotal;

    void run() throws Exception {
      List<Thread> threads = new ArrayList<>();
      threads.add(
          new Thread(
              () -> {
                loopThread = Thread.currentThread();
                await();
                try {
                  do {
                    loop.runForever();
                  } while (!stopsDone);
                } catch (Throwable t) {
                  errors.add("loop thread: " + t);
                } finally {
                  loopDone.countDown();
                }
              },
              "loop"));
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        threads.add(new Thread(() -> produce(producer), "producer-" + p));
      }
      threads.add(new Thread(this::stopThenClose, "stopper"));
      for (Thread t : threads) {
        t.start();
      }
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
        if (t.isAlive()) {
          errors.add(t.getName() + " still running after 30 s");
        }
      }
      check();
    }

    void await() {
      try {
        start.await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        errors.add("barrier: " + e);
      }
    }

    void produce(int producer) {
      await();
      boolean failedBefore = false;
      for (int i = 0; i < CALLS; i++) {
        int slot = producer * CALLS + i;
        boolean startedAfterClose = closeReturned;
        try {
          loop.callSoonThreadsafe(
              () -> {
                if (Thread.currentThread() != loopThread) {
                  errors.add("callback " + slot + " ran on " + Thread.currentThread());
                }
                if (closeReturned) {
                  errors.add("callback " + slot + " ran after close returned");
                }
                runs.incrementAndGet(slot);
              });
          accepted[producer][i] = true;
          if (failedBefore || startedAfterClose) {
            errors.add("call " + slot + " accepted after a failure or after close returned");
          }
        } catch (IllegalStateException e) {
          failedBefore = true;
          if (!"Event loop is closed".equals(e.getMessage()) || !loop.isClosed()) {
            errors.add("call " + slot + " failed unclearly: " + e);
          }
        }
        if ((i & 31) == 0) {
          Thread.yield();
        }
      }
    }

    void stopThenClose() {
      await();
      try {
        for (int s = 0; s < STOPS; s++) {
          spin(ThreadLocalRandom.current().nextInt(20_000));
          loop.stop();
        }
        stopsDone = true;
        // a stop that lands while runForever is returning from the previous one is absorbed by it
        // (as asyncio's run_forever resets _stopping): keep asking until the loop's thread is done
        while (!loopDone.await(1, TimeUnit.MILLISECONDS)) {
          loop.stop();
        }
        spin(ThreadLocalRandom.current().nextInt(20_000));
        loop.close();
        closeReturned = true;
      } catch (Throwable t) {
        errors.add("stopper: " + t);
      }
    }

    static void spin(int n) {
      for (int i = 0; i < n; i++) {
        Thread.onSpinWait();
      }
    }

    void check() {
      for (int p = 0; p < PRODUCERS; p++) {
        boolean gap = false;
        for (int i = 0; i < CALLS; i++) {
          int slot = p * CALLS + i;
          int n = runs.get(slot);
          if (n > 1) {
            errors.add("callback " + slot + " ran " + n + " times");
          }
          if (!accepted[p][i]) {
            if (n != 0) {
              errors.add("rejected callback " + slot + " ran");
            }
            continue;
          }
          if (n == 1) {
            ranTotal++;
            if (gap) {
              errors.add("callback " + slot + " ran but an earlier accepted one was lost");
            }
          } else {
            gap = true;
            dropped++;
          }
        }
      }
      if (!loop.isClosed()) {
        errors.add("loop not closed");
      }
    }
  }
}
