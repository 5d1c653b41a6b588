package dev.eventual.examples;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.Held;
import dev.eventual.loop.Semaphore;
import dev.eventual.loop.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A rate limiter with a {@link Semaphore}: ten requests are started at once, but at most three run
 * at a time ({@code async with sem:} is {@code try (Held permit = sem.hold())}). Each request
 * prints when it starts and ends and how many were in flight; the last line says the most that ever
 * ran together.
 */
public final class RateLimiter {
  private RateLimiter() {}

  /** The most requests allowed in flight. */
  static final int LIMIT = 3;

  private static int inFlight;
  private static int mostInFlight;

  /** One request: waits for a permit, then pretends to call a server for 30 ms. */
  static String request(int n, Semaphore permits, PrintStream out) throws Exception {
    try (Held permit = permits.hold()) { // async with sem:
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      out.println("request " + n + " started (" + inFlight + " in flight)");
      Asyncio.sleep(Duration.ofMillis(30));
      inFlight--;
      return "response " + n;
    }
  }

  /**
   * Runs ten requests through a limit of three.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    inFlight = 0;
    mostInFlight = 0;
    Asyncio.run(
        () -> {
          Semaphore permits = new Semaphore(LIMIT);
          List<Task<String>> requests = new ArrayList<>();
          for (int i = 1; i <= 10; i++) {
            int n = i;
            requests.add(Asyncio.createTask(() -> request(n, permits, out)));
          }
          long start = System.nanoTime();
          List<String> responses = await(Asyncio.gather(requests));
          long millis = (System.nanoTime() - start) / 1_000_000;
          out.println(
              responses.size()
                  + " responses, in order: "
                  + responses.get(0)
                  + " .. "
                  + responses.get(responses.size() - 1));
          out.println("at most " + mostInFlight + " requests ran at once (limit " + LIMIT + ")");
          out.println("took at least 4 rounds of 30 ms: " + (millis >= 4 * 30));
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
