package dev.eventual.examples;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.LoopFuture;
import dev.eventual.loop.Queue;
import dev.eventual.loop.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The asyncio docs' worker pool ("Queues" page, the example at its end), line by line: twenty sleep
 * times go into a {@link Queue}, three worker tasks take them and sleep, {@code join()} waits until
 * every item is marked done, then the workers are cancelled. The sleeps are ten times shorter than
 * the docs' (5 to 100 ms), and the random numbers are seeded, so the run takes about a quarter of a
 * second and prints the same items each time.
 */
public final class WorkerPool {
  private WorkerPool() {}

  /** {@code async def worker(name, queue)}: takes a sleep time, sleeps, marks the item done. */
  static Void worker(String name, Queue<Double> queue, PrintStream out) {
    while (true) {
      double sleepFor = queue.get(); // await queue.get()
      Asyncio.sleep(Duration.ofNanos((long) (sleepFor * 1e9)));
      queue.taskDone();
      out.println(String.format(Locale.ROOT, "%s has slept for %.3f seconds", name, sleepFor));
    }
  }

  /**
   * Runs the pool.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    Asyncio.run(
        () -> {
          Queue<Double> queue = new Queue<>();
          Random random = new Random(2024);
          double totalSleepTime = 0;
          for (int i = 0; i < 20; i++) {
            double sleepFor = 0.005 + random.nextDouble() * 0.095; // random.uniform(0.005, 0.1)
            totalSleepTime += sleepFor;
            queue.putNowait(sleepFor);
          }
          List<LoopFuture<?>> tasks = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            String name = "worker-" + i;
            Task<Void> task = Asyncio.createTask(() -> worker(name, queue, out));
            tasks.add(task);
          }
          long startedAt = System.nanoTime();
          queue.join(); // await queue.join(): until every item was taskDone()
          double totalSleptFor = (System.nanoTime() - startedAt) / 1e9;
          for (LoopFuture<?> task : tasks) {
            task.cancel();
          }
          await(Asyncio.gather(tasks, true)); // return_exceptions=True
          out.println("====");
          out.println(
              String.format(
                  Locale.ROOT, "3 workers slept in parallel for %.2f seconds", totalSleptFor));
          out.println(
              String.format(
                  Locale.ROOT, "total expected sleep time: %.2f seconds", totalSleepTime));
          return null;
        });
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
