package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Threads racing on the same futures, round after round. A barrier starts every batch of {@link
 * #STEP} rounds; within a batch every racer walks the same futures in the same order, so they hit
 * one future at nearly the same moment without paying a barrier per round (which, on 2 cores shared
 * with other builds, costs a time slice per round). The start of a batch is also the end of the
 * previous one.
 */
class ConcurrentFutureRaceTest {
  private static final int ROUNDS = 100_000;
  private static final int BATCH = 10_000;
  private static final int STEP = Integer.getInteger("eventual.race.step", 16);
  private static final IllegalStateException EX = new IllegalStateException("race");

  /**
   * Runs each party's action for rounds [0, rounds), in step; rethrows the first failure. A Phaser
   * starts each batch: it spins briefly, then parks, so a racer that lost its core to another build
   * gets it back quickly instead of competing with spinning peers.
   */
  static void race(int rounds, List<IntConsumer> parties) throws InterruptedException {
    race(rounds, STEP, parties);
  }

  /** Like {@link #race(int, List)}, with a barrier every {@code step} rounds. */
  static void race(int rounds, int step, List<IntConsumer> parties) throws InterruptedException {
    Phaser start = new Phaser(parties.size());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (IntConsumer party : parties) {
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int first = 0; first < rounds; first += step) {
                    int phase = start.arrive();
                    if (phase < 0
                        || start.awaitAdvanceInterruptibly(phase, 30, TimeUnit.SECONDS) < 0) {
                      return; // another racer failed
                    }
                    for (int r = first, end = Math.min(rounds, first + step); r < end; r++) {
                      party.accept(r);
                    }
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                  start.forceTermination();
                }
              });
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(t.isAlive()).isFalse();
    }
    if (failure.get() != null) {
      throw new AssertionError("a racer failed", failure.get());
    }
  }

  @Test
  @Timeout(120)
  void completionCancellationAndCallbacksRaceConsistently() throws Exception {
    for (int done = 0; done < ROUNDS; done += BATCH) {
      raceOneBatch(BATCH);
    }
  }

  private static void raceOneBatch(int n) throws InterruptedException {
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    ConcurrentFuture<Integer>[] futures = new ConcurrentFuture[n];
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Consumer<ConcurrentFuture<Integer>>[] callbacks = new Consumer[n * 4];
    AtomicIntegerArray calls = new AtomicIntegerArray(n * 4);
    AtomicInteger ranBeforeDone = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      futures[i] = new ConcurrentFuture<>();
      for (int k = 0; k < 4; k++) {
        int slot = i * 4 + k;
        callbacks[slot] =
            f -> {
              if (!f.isDone()) {
                ranBeforeDone.incrementAndGet();
              }
              calls.incrementAndGet(slot);
            };
      }
    }
    boolean[] resultWon = new boolean[n];
    boolean[] otherWon = new boolean[n];
    int[] removed1 = new int[n];
    int[] removed2 = new int[n];
    int[] removed3 = new int[n];
    race(
        n,
        List.of(
            r -> resultWon[r] = futures[r].trySetResult(r),
            r -> otherWon[r] = r % 2 == 0 ? futures[r].cancel() : futures[r].trySetException(EX),
            r -> {
              futures[r].addDoneCallback(callbacks[r * 4]);
              futures[r].addDoneCallback(callbacks[r * 4 + 1]);
              futures[r].addDoneCallback(callbacks[r * 4 + 2]);
            },
            r -> {
              removed1[r] = futures[r].removeDoneCallback(callbacks[r * 4 + 1]);
              futures[r].addDoneCallback(callbacks[r * 4 + 3]);
              removed3[r] = futures[r].removeDoneCallback(callbacks[r * 4 + 3]);
              removed2[r] = futures[r].removeDoneCallback(callbacks[r * 4 + 2]);
            }));
    assertThat(ranBeforeDone).hasValue(0);
    for (int r = 0; r < n; r++) {
      ConcurrentFuture<Integer> f = futures[r];
      // plain checks: a described AssertJ assertion per round would cost more than the race
      check(
          r,
          f,
          resultWon[r] ^ otherWon[r],
          "exactly one of trySetResult and cancel/trySetException wins");
      if (resultWon[r]) {
        check(r, f, f.isSuccess() && f.result() == r, "the winning result is kept");
      } else if (r % 2 == 0) {
        check(r, f, f.futureState() == FutureState.CANCELLED, "the winning cancel is kept");
      } else {
        check(r, f, f.exception() == EX, "the winning exception is kept");
      }
      check(r, f, calls.get(r * 4) == 1, "a callback never removed runs exactly once");
      int[] removed = {removed1[r], removed2[r], removed3[r]};
      for (int k = 0; k < 3; k++) {
        check(
            r,
            f,
            removed[k] == 0 || removed[k] == 1,
            "a callback added once is removed at most once");
        if (calls.get(r * 4 + 1 + k) != 1 - removed[k]) {
          check(
              r,
              f,
              false,
              "callback "
                  + (k + 1)
                  + " must run once unless removed: ran "
                  + calls.get(r * 4 + 1 + k)
                  + " times, removed "
                  + removed[k]);
        }
      }
      check(r, f, !(f.rawState() instanceof dev.eventual.internal.CallbackStack), "done");
    }
  }

  private static void check(int round, ConcurrentFuture<?> f, boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("round " + round + ": " + what + ": " + f);
    }
  }

  @Test
  @Timeout(120)
  void jdkCancelRacingWithSetRunningAlwaysCancels() throws Exception {
    int n = ROUNDS;
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    ConcurrentFutureOutcomeTest.RecordingFuture<Integer>[] futures =
        new ConcurrentFutureOutcomeTest.RecordingFuture[n];
    for (int i = 0; i < n; i++) {
      futures[i] = new ConcurrentFutureOutcomeTest.RecordingFuture<>();
    }
    boolean[] started = new boolean[n];
    boolean[] cancelled = new boolean[n];
    race(
        n,
        Integer.getInteger("eventual.race.cancelStep", 1), // a window of a few ns: every round
        List.of(
            r -> started[r] = futures[r].setRunningOrNotifyCancel(),
            r -> cancelled[r] = futures[r].cancel(r % 2 == 0)));
    for (int r = 0; r < n; r++) {
      ConcurrentFuture<Integer> f = futures[r];
      check(r, f, cancelled[r], "cancel(boolean) of a future that is not finished succeeds");
      check(r, f, f.futureState() == FutureState.CANCELLED_AND_NOTIFIED, "cancelled and notified");
      String expectedHook = started[r] ? String.valueOf(r % 2 == 0) : "";
      check(r, f, futures[r].hookCalls.equals(expectedHook), "the hook runs once, only if RUNNING");
    }
  }

  @Test // CPython test_future.py: FutureTests.test_get_snapshot (one read describes one state)
  @Timeout(120)
  void toStringAndFutureStateDescribeOneSnapshotWhileTheFutureCompletes() throws Exception {
    int n = 20_000;
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    ConcurrentFuture<Integer>[] futures = new ConcurrentFuture[n];
    for (int i = 0; i < n; i++) {
      futures[i] = new ConcurrentFuture<>();
      futures[i].addDoneCallback(x -> {}); // a pending state that is a bare callback
    }
    String[] seen = new String[n];
    FutureState[][] states = new FutureState[n][];
    race(
        n,
        List.of(
            r -> futures[r].setResult(r),
            r -> seen[r] = futures[r].toString(),
            r ->
                states[r] =
                    new FutureState[] {futures[r].futureState(), futures[r].futureState()}));
    for (int r = 0; r < n; r++) {
      assertThat(seen[r]).matches(".*\\[(PENDING|FINISHED returned " + r + ")]");
      assertThat(states[r][1].compareTo(states[r][0])).isGreaterThanOrEqualTo(0);
      assertThat(futures[r].toString()).endsWith("[FINISHED returned " + r + "]");
    }
  }

  @Test
  @Timeout(120)
  void blockedWaitersRacingWithCompletionAllWake() throws Exception {
    int n = 20_000;
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    ConcurrentFuture<Integer>[] futures = new ConcurrentFuture[n];
    for (int i = 0; i < n; i++) {
      futures[i] = new ConcurrentFuture<>();
    }
    int[] seenByResult = new int[n];
    int[] seenByGet = new int[n];
    race(
        n,
        List.of(
            r -> futures[r].setResult(r),
            r -> seenByResult[r] = futures[r].result(Duration.ofSeconds(20)),
            r -> {
              try {
                seenByGet[r] = futures[r].get();
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            }));
    for (int r = 0; r < n; r++) {
      assertThat(seenByResult[r]).isEqualTo(r);
      assertThat(seenByGet[r]).isEqualTo(r);
      assertThat(futures[r].rawState()).isEqualTo(r);
    }
  }

  @Test
  @Timeout(120)
  void timedOutWaitersRacingWithCallbacksLeaveOnlyTheCallbacks() throws Exception {
    int n = 10_000;
    ConcurrentFuture<Integer> f = TestFutures.running();
    AtomicInteger calls = new AtomicInteger();
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Consumer<ConcurrentFuture<Integer>>[] callbacks = new Consumer[n];
    for (int i = 0; i < n; i++) {
      callbacks[i] = x -> calls.incrementAndGet();
    }
    int[] removed = new int[n];
    race(
        n,
        List.of(
            r -> {
              try {
                f.result(Duration.ofNanos(1 + r % 2_000));
              } catch (WaitTimeoutException expected) {
                // the point of the exercise
              }
            },
            r -> f.addDoneCallback(callbacks[r]),
            r -> removed[r] = r % 3 == 0 ? f.removeDoneCallback(callbacks[r]) : 0));
    assertThat(f.isRunning()).isTrue();
    int kept = 0;
    for (int r = 0; r < n; r++) {
      kept += 1 - removed[r];
    }
    assertThat(
            dev.eventual.internal.CallbackStack.inOrder(
                (dev.eventual.internal.CallbackStack) f.rawState()))
        .hasSize(kept);
    f.setResult(0);
    assertThat(calls).hasValue(kept);
  }
}
