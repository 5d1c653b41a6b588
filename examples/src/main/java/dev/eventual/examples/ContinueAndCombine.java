package dev.eventual.examples;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Futures;
import dev.eventual.ThreadPoolFutureExecutor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The Hazelcast client's {@code continue_with} and {@code combine_futures} in action: each task's
 * result is post-processed by a continuation, a failing task is recovered, and all results are
 * combined in input order.
 */
public final class ContinueAndCombine {
  private ContinueAndCombine() {}

  /**
   * Squares 1..5 on a pool, continues each with a formatter, recovers one failure and combines.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(2)) {
      List<ConcurrentFuture<String>> described = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        int n = i;
        ConcurrentFuture<Integer> square =
            executor.submit(
                () -> {
                  if (n == 4) {
                    throw new ArithmeticException("four is unlucky");
                  }
                  return n * n;
                });
        described.add(
            square.continueWith(
                f -> f.isSuccess() ? n + "² = " + f.result() : n + "² failed: " + f.exception()));
      }
      List<String> all = Futures.combine(described).result();
      all.forEach(out::println);

      ConcurrentFuture<Integer> sum =
          executor.submit(() -> 20).continueWithFuture(f -> executor.submit(() -> f.result() + 22));
      out.println("flattened continuation: " + sum.result());

      ConcurrentFuture<List<Integer>> failing =
          Futures.combine(
              List.of(
                  Futures.completed(1),
                  Futures.failed(new IllegalStateException("first failure")),
                  Futures.completed(3)));
      out.println("combine with a failure: " + failing.exception());
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
