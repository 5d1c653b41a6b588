package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.FutureState;
import dev.eventual.Futures;
import dev.eventual.ThreadPoolFutureExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code submit} from several threads racing {@code shutdown(wait=false, cancelFutures=true)} on
 * real worker threads, many rounds: every accepted future ends FINISHED (its task ran exactly once)
 * or CANCELLED_AND_NOTIFIED (it never ran), none is lost or left pending, every rejected task never
 * runs, and a wait without a timeout on all of them returns. The same holds when someone else calls
 * {@code shutdownNow()} on a wrapped {@link ForkJoinPool}, with no shutdown of the adapter at all.
 */
class ExecutorShutdownRaceTest {
  private static final int ROUNDS = Integer.getInteger("race.rounds", 150);
  private static final int SUBMITTERS = 3;

  @Test
  @Timeout(120)
  void threadPoolEndsEverySubmittedFutureInExactlyOneFinalState() throws Exception {
    race(() -> Shutdown.ofAdapter(new ThreadPoolFutureExecutor(2)));
  }

  @Test
  @Timeout(120)
  void wrappedServiceEndsEverySubmittedFutureInExactlyOneFinalState() throws Exception {
    race(
        () ->
            Shutdown.ofAdapter(
                FutureExecutor.wrap(java.util.concurrent.Executors.newFixedThreadPool(2))));
  }

  @Test
  @Timeout(120)
  void wrappedForkJoinPoolShutDownNowUnderTheAdapterEndsEveryFutureWithoutItsShutdown()
      throws Exception {
    race(
        () -> {
          ForkJoinPool pool = new ForkJoinPool(2);
          return new Shutdown(
              FutureExecutor.wrap(pool),
              () -> {
                pool.shutdownNow(); // not the adapter's: its futures must end all the same
                awaitTermination(pool);
              },
              () -> {});
        },
        // a submit's push after the pool's last sweep of its queues is rare: more rounds
        10 * ROUNDS,
        SUBMITTERS);
  }

  /** An executor under test, how the race shuts it down, and what follows once submits stop. */
  private record Shutdown(FutureExecutor executor, Runnable during, Runnable after) {
    static Shutdown ofAdapter(FutureExecutor executor) {
      return new Shutdown(
          executor, () -> executor.shutdown(false, true), () -> executor.shutdown(true, false));
    }
  }

  private static void race(Supplier<Shutdown> setups) throws Exception {
    race(setups, ROUNDS, SUBMITTERS);
  }

  private static void race(Supplier<Shutdown> setups, int rounds, int submitterCount)
      throws Exception {
    for (int round = 0; round < rounds; round++) {
      Shutdown setup = setups.get();
      FutureExecutor executor = setup.executor();
      Queue<ConcurrentFuture<Integer>> accepted = new ConcurrentLinkedQueue<>();
      AtomicInteger ran = new AtomicInteger();
      AtomicInteger rejected = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      int shutdownAfter = ThreadLocalRandom.current().nextInt(40);
      Thread[] submitters = new Thread[submitterCount];
      for (int t = 0; t < submitterCount; t++) {
        submitters[t] =
            new Thread(
                () -> {
                  await(start);
                  for (int i = 0; i < 200; i++) {
                    AtomicInteger once = new AtomicInteger();
                    try {
                      accepted.add(
                          executor.submit(
                              () -> {
                                ran.incrementAndGet();
                                return once.incrementAndGet();
                              }));
                    } catch (RejectedExecutionException e) {
                      rejected.incrementAndGet();
                      assertThat(once).hasValue(0);
                      return;
                    }
                  }
                });
        submitters[t].start();
      }
      start.countDown();
      while (accepted.size() < shutdownAfter && rejected.get() == 0) {
        Thread.onSpinWait();
      }
      setup.during().run();
      for (Thread t : submitters) {
        t.join();
      }
      setup.after().run();
      List<ConcurrentFuture<Integer>> all = List.copyOf(accepted);
      assertThat(Futures.wait(all, Duration.ofSeconds(30)).notDone()).isEmpty();
      int finished = 0;
      for (ConcurrentFuture<Integer> f : all) {
        FutureState s = f.futureState();
        assertThat(s).isIn(FutureState.FINISHED, FutureState.CANCELLED_AND_NOTIFIED);
        if (s == FutureState.FINISHED) {
          finished++;
          assertThat(f.resultNow()).isEqualTo(1);
        }
      }
      assertThat(ran.get()).isEqualTo(finished);
    }
  }

  private static void awaitTermination(ForkJoinPool pool) {
    try {
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
