package dev.eventual.examples;

import dev.eventual.ThreadPoolFutureExecutor;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;

/**
 * The concurrent.futures documentation's prime check: {@code executor.map(is_prime, PRIMES)} over a
 * thread pool, results in input order.
 */
public final class PrimeCheck {
  static final List<Long> PRIMES =
      List.of(
          112272535095293L,
          112582705942171L,
          112272535095293L,
          115280095190773L,
          115797848077099L,
          1099726899285419L);

  private PrimeCheck() {}

  /**
   * Returns whether {@code n} is prime, by trial division (deliberately slow).
   *
   * @param n the number
   * @return whether it is prime
   */
  static boolean isPrime(long n) {
    if (n < 2) {
      return false;
    }
    if (n == 2) {
      return true;
    }
    if (n % 2 == 0) {
      return false;
    }
    long sqrtN = (long) Math.floor(Math.sqrt(n));
    for (long i = 3; i <= sqrtN; i += 2) {
      if (n % i == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Prints {@code N is prime: true|false} for each number, in input order.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor()) {
      Iterator<Long> numbers = PRIMES.iterator();
      for (boolean prime : executor.map(PrimeCheck::isPrime, PRIMES)) {
        out.printf("%d is prime: %s%n", numbers.next(), prime);
      }
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
