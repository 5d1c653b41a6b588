package dev.eventual.examples;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The example of Python's {@code asyncio.Future} documentation: a task sets a future's result after
 * one second while the main task awaits it. Prints {@code hello ...}, then {@code ... world} about
 * one second later.
 */
public final class SetAfter {
  private SetAfter() {}

  /** {@code async def set_after(fut, delay, value)}. */
  private static Void setAfter(LoopFuture<String> fut, Duration delay, String value) {
    // Sleep for *delay* seconds.
    Asyncio.sleep(delay);
    // Set *value* as a result of *fut* Future.
    fut.setResult(value);
    return null;
  }

  /**
   * {@code asyncio.run(main())}, printing to {@code out}.
   *
   * @param out where to print
   */
  public static void run(PrintStream out) {
    Asyncio.run(
        () -> {
          // Get the current event loop.
          EventLoop loop = EventLoop.getRunningLoop();
          // Create a new Future object.
          LoopFuture<String> fut = loop.createFuture();
          // Run "set_after()" in a parallel Task.
          loop.createTask(() -> setAfter(fut, Duration.ofSeconds(1), "... world"));
          out.println("hello ...");
          // Wait until *fut* has a result (1 second) and print it.
          out.println(await(fut));
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
