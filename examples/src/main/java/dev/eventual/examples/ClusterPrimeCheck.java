package dev.eventual.examples;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.eventual.ConcurrentFuture;
import dev.eventual.Futures;
import dev.eventual.hazelcast.HazelcastFutureExecutor;
import dev.eventual.hazelcast.HazelcastFutureExecutorBuilder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prime check of {@link PrimeCheck}, run across an embedded Hazelcast cluster of two members
 * (both in this process, on loopback), with live progress through {@code Futures.asCompleted}: each
 * line is printed as soon as its number is checked, whichever member checked it.
 */
public final class ClusterPrimeCheck {
  private ClusterPrimeCheck() {}

  /**
   * Prints the cluster size, then {@code [k/N] n is prime: true|false} in completion order.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    HazelcastFutureExecutorBuilder builder =
        HazelcastFutureExecutor.builder().allowPackages("dev.eventual.examples");
    try (HazelcastFutureExecutor executor = builder.build()) {
      // a second member of the same (uniquely named) cluster joins the executor's member
      HazelcastInstance second =
          Hazelcast.newHazelcastInstance(
              HazelcastFutureExecutor.builder()
                  .clusterName(builder.clusterName())
                  .allowPackages("dev.eventual.examples")
                  .joining(address(executor.instance()))
                  .memberConfig());
      try {
        out.printf("cluster of %d members%n", executor.instance().getCluster().getMembers().size());
        Map<ConcurrentFuture<Boolean>, Long> numbers = new IdentityHashMap<>();
        List<ConcurrentFuture<Boolean>> futures = new ArrayList<>();
        for (long n : PrimeCheck.PRIMES) {
          ConcurrentFuture<Boolean> f = executor.submit(() -> PrimeCheck.isPrime(n));
          numbers.put(f, n);
          futures.add(f);
        }
        int done = 0;
        for (ConcurrentFuture<Boolean> f : Futures.asCompleted(futures)) {
          out.printf(
              "[%d/%d] %d is prime: %s%n", ++done, futures.size(), numbers.get(f), f.result());
        }
      } finally {
        second.shutdown();
      }
    }
  }

  private static String address(HazelcastInstance member) {
    var a = member.getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
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
