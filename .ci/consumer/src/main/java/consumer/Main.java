package consumer;

import static dev.eventual.loop.Await.await;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Futures;
import dev.eventual.ThreadPoolFutureExecutor;
import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import java.time.Duration;
import java.util.List;

/** Uses eventual-core and eventual-loop as resolved through eventual-bom; exits 1 on a surprise. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    int sum;
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(2)) {
      ConcurrentFuture<Integer> answer = executor.submit(() -> 6 * 7);
      ConcurrentFuture<Integer> doubled = answer.continueWith(f -> f.result() * 2);
      sum = Futures.combine(List.of(answer, doubled)).result().stream().mapToInt(i -> i).sum();
    }
    String text =
        Asyncio.run(
            () -> {
              LoopFuture<String> fut = EventLoop.getRunningLoop().createFuture();
              Asyncio.createTask(
                  () -> {
                    Asyncio.sleep(Duration.ofMillis(10));
                    fut.setResult("world");
                    return null;
                  });
              return "hello " + await(fut);
            });
    String line = "consumer: " + sum + ", " + text;
    System.out.println(line);
    if (!line.equals("consumer: 126, hello world")) {
      System.exit(1);
    }
  }
}
