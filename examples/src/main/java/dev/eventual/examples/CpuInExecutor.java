package dev.eventual.examples;

import static dev.eventual.loop.Await.await;

import dev.eventual.ThreadPoolFutureExecutor;
import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU-bound work does not belong on the event loop: {@code runInExecutor} hands it to a thread pool
 * and the task awaits the result, while the loop stays free (here it keeps counting ticks).
 */
public final class CpuInExecutor {
  private CpuInExecutor() {}

  /**
   * Checks the prime-check numbers on a pool, awaited from a task, with a ticker on the loop.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    try (ThreadPoolFutureExecutor pool = new ThreadPoolFutureExecutor(2)) {
      Asyncio.run(
          () -> {
            EventLoop loop = EventLoop.getRunningLoop();
            int[] ticks = {0};
            boolean[] done = {false};
            LoopFuture<Void> ticker =
                Asyncio.createTask(
                    () -> {
                      while (!done[0]) {
                        ticks[0]++;
                        Asyncio.sleep(java.time.Duration.ofMillis(1));
                      }
                      return null;
                    });
            List<LoopFuture<Boolean>> checks = new ArrayList<>();
            for (long n : PrimeCheck.PRIMES) {
              checks.add(loop.runInExecutor(pool, () -> PrimeCheck.isPrime(n)));
            }
            List<Boolean> results = await(Asyncio.gather(checks));
            done[0] = true;
            await(ticker);
            for (int i = 0; i < results.size(); i++) {
              out.println(PrimeCheck.PRIMES.get(i) + " is prime: " + results.get(i));
            }
            out.println("the loop stayed responsive: " + (ticks[0] > 0 ? "yes" : "no"));
            return null;
          });
    }
  }

  /**
   * Runs the example.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }
}
