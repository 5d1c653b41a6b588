package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Threads racing on the same future, round after round. A spin barrier starts every round, so the
 * racers hit one future at the same moment; the start of round r+1 is also the end of round r.
 */
class ConcurrentFutureRaceTest {
  private static final int ROUNDS = 100_000;
  private static final int BATCH = 10_000;
  private static final IllegalStateException EX = new IllegalStateException("race");

  /** Starts every round for a fixed number of parties; breaks if a party fails or hangs. */
  static final class SpinBarrier {
    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    volatile boolean broken;

    SpinBarrier(int parties) {
      this.parties = parties;
    }

    void await() {
      int g = generation;
      if (arrived.incrementAndGet() == parties) {
        arrived.set(0);
        generation = g + 1;
        return;
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (int spins = 0; generation == g; spins++) {
        if (broken) {
          throw new IllegalStateException("another party failed");
        }
        if (spins < 200) {
          Thread.onSpinWait();
        } else {
          Thread.yield(); // 2 shared cores: let the other parties run
          if ((spins & 1023) == 0 && System.nanoTime() > deadline) {
            broken = true;
            throw new IllegalStateException("barrier timed out");
          }
        }
      }
    }
  }

  /** Runs each party's action for rounds [0, rounds), all in step; rethrows the first failure. */
  static void race(int rounds, List<IntConsumer> parties) throws InterruptedException {
    SpinBarrier barrier = new SpinBarrier(parties.size());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (IntConsumer party : parties) {
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int r = 0; r < rounds; r++) {
                    barrier.await();
                    party.accept(r);
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                  barrier.broken = true;
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
      String at = "round " + r + ": " + f;
      assertThat(resultWon[r] ^ otherWon[r]).as("exactly one winner, " + at).isTrue();
      if (resultWon[r]) {
        assertThat(f.isSuccess()).as(at).isTrue();
        assertThat(f.result()).as(at).isEqualTo(r);
      } else if (r % 2 == 0) {
        assertThat(f.futureState()).as(at).isEqualTo(FutureState.CANCELLED);
      } else {
        assertThat(f.exception()).as(at).isSameAs(EX);
      }
      assertThat(calls.get(r * 4)).as("never removed, " + at).isEqualTo(1);
      for (int removed : new int[] {removed1[r], removed2[r], removed3[r]}) {
        assertThat(removed).as("registered once, " + at).isBetween(0, 1);
      }
      assertThat(calls.get(r * 4 + 1)).as(at).isEqualTo(1 - removed1[r]);
      assertThat(calls.get(r * 4 + 2)).as(at).isEqualTo(1 - removed2[r]);
      assertThat(calls.get(r * 4 + 3)).as(at).isEqualTo(1 - removed3[r]);
      assertThat(f.rawState()).as(at).isNotInstanceOf(dev.eventual.internal.CallbackStack.class);
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
        List.of(
            r -> started[r] = futures[r].setRunningOrNotifyCancel(),
            r -> cancelled[r] = futures[r].cancel(r % 2 == 0)));
    for (int r = 0; r < n; r++) {
      String at = "round " + r + ": " + futures[r];
      assertThat(cancelled[r]).as("cancel(boolean) of an unfinished future, " + at).isTrue();
      assertThat(futures[r].futureState()).as(at).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
      assertThat(futures[r].hookCalls)
          .as("hook only for a running future, " + at)
          .isEqualTo(started[r] ? String.valueOf(r % 2 == 0) : "");
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
      assertThat(seen[r]).matches(".*\\[(PENDING|FINISHED returned java.lang.Integer@[0-9a-f]+)]");
      assertThat(states[r][1].compareTo(states[r][0])).isGreaterThanOrEqualTo(0);
      assertThat(futures[r].toString()).contains("FINISHED returned java.lang.Integer@");
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
