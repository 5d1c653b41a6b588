package dev.eventual.guava;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** Runs two actions against each other, released together by a barrier, round after round. */
final class Races {
  private Races() {}

  interface Round {
    /** Sets up round {@code r} and returns the two racing actions. */
    Runnable[] prepare(int r);
  }

  static void run(int rounds, Round round, IntConsumer check) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int r = 0; r < rounds; r++) {
        Runnable[] actions = round.prepare(r);
        CyclicBarrier start = new CyclicBarrier(2);
        Future<?> a = pool.submit(() -> go(start, actions[0]));
        Future<?> b = pool.submit(() -> go(start, actions[1]));
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
        check.accept(r);
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static Void go(CyclicBarrier start, Runnable action) throws Exception {
    start.await(10, TimeUnit.SECONDS);
    action.run();
    return null;
  }
}
