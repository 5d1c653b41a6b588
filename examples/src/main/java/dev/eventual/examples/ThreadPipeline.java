package dev.eventual.examples;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.Queue;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A pipeline from a plain thread, through the loop, to another plain thread: a producer thread puts
 * lines into a small loop {@link Queue} with {@link Queue#putThreadsafe} (it blocks while the queue
 * is full: back pressure, which asyncio's {@code call_soon_threadsafe(q.put_nowait, x)} does not
 * give); a loop task takes them, transforms them and puts the results into a second queue; a
 * consumer thread takes those with {@link Queue#getThreadsafe}. The end of the stream is a marker
 * item, and the task waits for both threads through {@code runInExecutor}, so the loop never
 * blocks.
 */
public final class ThreadPipeline {
  private ThreadPipeline() {}

  /** The item that ends the stream. */
  static final String END = "<end>";

  /** How many lines the producer sends. */
  static final int LINES = 8;

  /**
   * Runs the pipeline.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    Asyncio.run(
        () -> {
          EventLoop loop = EventLoop.getRunningLoop();
          Queue<String> lines = new Queue<>(2); // small: the producer feels back pressure
          Queue<String> results = new Queue<>(2);
          Thread producer =
              new Thread(
                  () -> {
                    try {
                      for (int i = 1; i <= LINES; i++) {
                        lines.putThreadsafe(loop, "line " + i);
                      }
                      lines.putThreadsafe(loop, END);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "producer");
          StringBuilder received = new StringBuilder();
          Thread consumer =
              new Thread(
                  () -> {
                    try {
                      for (String r = results.getThreadsafe(loop);
                          !r.equals(END);
                          r = results.getThreadsafe(loop)) {
                        synchronized (received) {
                          received.append(r).append('\n');
                        }
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "consumer");
          producer.start();
          consumer.start();
          int transformed = 0;
          for (String line = lines.get(); !line.equals(END); line = lines.get()) {
            results.put(line.toUpperCase(Locale.ROOT) + " (" + line.length() + " chars)");
            transformed++;
          }
          results.put(END);
          // wait for both threads without blocking the loop: join them in the executor
          await(
              loop.runInExecutor(
                  () -> {
                    producer.join();
                    consumer.join();
                    return null;
                  }));
          synchronized (received) {
            out.print("consumer thread received:\n" + received);
          }
          out.println("the loop task transformed " + transformed + " lines");
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
