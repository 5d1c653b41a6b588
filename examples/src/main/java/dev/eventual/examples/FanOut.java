package dev.eventual.examples;

import static dev.eventual.loop.Await.await;

import dev.eventual.WaitTimeoutException;
import dev.eventual.loop.Asyncio;
import dev.eventual.loop.LoopFuture;
import dev.eventual.loop.Task;
import dev.eventual.loop.TaskGroup;
import dev.eventual.loop.TaskGroupException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fan-out over simulated slow I/O on one event loop: each "download" is a loop timer ({@code
 * sleep}), so hundreds can wait at once without a thread each. Shows {@code gather} (results in
 * order), {@code TaskGroup} (a failure cancels the siblings and every error is reported) and {@code
 * waitFor} (a timeout cancels the slow call).
 */
public final class FanOut {
  private FanOut() {}

  /** Pretends to fetch a page: waits {@code millis} on the loop, fails for "broken" pages. */
  static String fetch(String page, long millis) {
    Asyncio.sleep(Duration.ofMillis(millis));
    if (page.startsWith("broken")) {
      throw new IllegalStateException(page + " answered 500");
    }
    return page + ": " + (page.length() * 100) + " bytes";
  }

  /**
   * Runs the three fan-outs in one {@code Asyncio.run}.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    Asyncio.run(
        () -> {
          // gather: five fetches at once; the results come back in input order
          List<LoopFuture<String>> fetches = new ArrayList<>();
          String[] pages = {"index", "about", "news", "shop", "contact"};
          for (int i = 0; i < pages.length; i++) {
            String page = pages[i];
            long millis = 50L * (pages.length - i); // the last one finishes first
            fetches.add(Asyncio.createTask(() -> fetch(page, millis)));
          }
          long start = System.nanoTime();
          for (String line : await(Asyncio.gather(fetches))) {
            out.println("gather: " + line);
          }
          long elapsed = (System.nanoTime() - start) / 1_000_000;
          out.println("gather: 5 fetches overlapped: " + (elapsed < 700 ? "yes" : "no"));

          // TaskGroup: one fetch fails, the slow sibling is cancelled, the error is reported
          List<Task<String>> started = new ArrayList<>();
          try {
            TaskGroup.run(
                group -> {
                  started.add(group.createTask(() -> fetch("fast", 10)));
                  started.add(group.createTask(() -> fetch("broken-page", 30)));
                  started.add(group.createTask(() -> fetch("slow", 5_000)));
                  return null;
                });
          } catch (TaskGroupException e) {
            for (Throwable error : e.exceptions()) {
              out.println("task group: " + error.getMessage());
            }
          }
          out.println("task group: fast -> " + await(started.get(0)));
          out.println("task group: slow cancelled: " + started.get(2).isCancelled());

          // waitFor: a call that takes too long is cancelled at the deadline
          try {
            Asyncio.waitFor(() -> fetch("glacial", 5_000), Duration.ofMillis(100));
          } catch (WaitTimeoutException e) {
            out.println("waitFor: glacial timed out after 100 ms");
          }
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
