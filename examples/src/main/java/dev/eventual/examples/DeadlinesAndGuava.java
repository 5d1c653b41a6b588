package dev.eventual.examples;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import com.google.common.util.concurrent.MoreExecutors;
import dev.eventual.ConcurrentFuture;
import dev.eventual.Futures;
import dev.eventual.OnTimeout;
import dev.eventual.ThreadPoolFutureExecutor;
import dev.eventual.guava.GuavaFutures;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The conveniences a CompletableFuture or Guava user reaches for first: a deadline that blocks no
 * thread (and can interrupt the work behind it), a fallback on timeout, a typed combine of futures
 * of different types, and eventual-guava's bridges to {@code ListenableFuture} and {@code
 * ListeningExecutorService}.
 */
public final class DeadlinesAndGuava {
  private DeadlinesAndGuava() {}

  /**
   * Runs a slow lookup under a deadline, a price with a fallback, a typed combine, and Guava's
   * {@code transform} and {@code allAsList} over eventual's futures and executor.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(2)) {
      CountDownLatch interrupted = new CountDownLatch(1);
      ConcurrentFuture<String> lookup =
          executor.submit(
              () -> {
                try {
                  Thread.sleep(60_000); // a lookup that hangs
                  return "found";
                } catch (InterruptedException e) {
                  interrupted.countDown();
                  throw e;
                }
              });
      ConcurrentFuture<String> bounded =
          lookup.withTimeout(Duration.ofMillis(100), OnTimeout.CANCEL_AND_INTERRUPT);
      Throwable timeout = bounded.exception();
      String message = timeout.getMessage(); // "Timed out after 100 ms waiting for TaskFuture@..."
      out.println(
          "lookup: "
              + timeout.getClass().getSimpleName()
              + ": "
              + message.substring(0, message.indexOf(" waiting for")));
      out.println("lookup's task interrupted: " + await(interrupted));

      ConcurrentFuture<Double> price = new ConcurrentFuture<>(); // never priced in time
      out.println("price: " + price.withTimeoutFallback(Duration.ofMillis(50), 9.99).result());

      ConcurrentFuture<String> name = executor.submit(() -> "Ada");
      ConcurrentFuture<Integer> age = executor.submit(() -> 36);
      out.println(
          "typed combine: " + Futures.combine(name, age, (n, a) -> n + " is " + a).result());

      ListenableFuture<Integer> doubled =
          com.google.common.util.concurrent.Futures.transform(
              GuavaFutures.toListenableFuture(executor.submit(() -> 21)),
              x -> x * 2,
              MoreExecutors.directExecutor());
      out.println("doubled by Guava: " + GuavaFutures.toConcurrentFuture(doubled).result());

      ListeningExecutorService service = GuavaFutures.listeningExecutorService(executor);
      ListenableFuture<List<Integer>> squares =
          com.google.common.util.concurrent.Futures.allAsList(
              service.submit(() -> 1), service.submit(() -> 4), service.submit(() -> 9));
      out.println("Guava's allAsList on a FutureExecutor: " + squares.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static boolean await(CountDownLatch latch) throws InterruptedException {
    return latch.await(10, TimeUnit.SECONDS);
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
