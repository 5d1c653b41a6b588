package dev.eventual.examples;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Futures;
import dev.eventual.ThreadPoolFutureExecutor;
import java.io.PrintStream;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The concurrent.futures documentation's "load URLs" program, with simulated slow downloads: a
 * batch of slow tasks consumed with {@code asCompleted}, printing live progress as each one
 * finishes.
 */
public final class LiveProgress {
  static final List<String> URLS =
      List.of(
          "http://www.foxnews.com/",
          "http://www.cnn.com/",
          "http://europe.wsj.com/",
          "http://www.bbc.co.uk/",
          "http://nonexistent-subdomain.python.org/");

  private LiveProgress() {}

  /** Pretends to download a page; the last URL fails, as in the Python docs. */
  static int loadUrl(String url, long millis) throws Exception {
    Thread.sleep(millis);
    if (url.contains("nonexistent")) {
      throw new java.net.UnknownHostException(url);
    }
    return 1000 + url.length() * 37;
  }

  /**
   * Submits one task per URL and reports each as it completes.
   *
   * @param out where to print
   */
  static void run(PrintStream out) {
    try (ThreadPoolFutureExecutor executor = new ThreadPoolFutureExecutor(5)) {
      Map<ConcurrentFuture<Integer>, String> futureToUrl = new IdentityHashMap<>();
      for (int i = 0; i < URLS.size(); i++) {
        String url = URLS.get(i);
        long millis = 50L * (URLS.size() - i);
        futureToUrl.put(executor.submit(() -> loadUrl(url, millis)), url);
      }
      int done = 0;
      for (ConcurrentFuture<Integer> future : Futures.asCompleted(futureToUrl.keySet())) {
        done++;
        String url = futureToUrl.get(future);
        Throwable error = future.exception();
        if (error != null) {
          out.printf("[%d/%d] %s generated an exception: %s%n", done, URLS.size(), url, error);
        } else {
          out.printf("[%d/%d] %s page is %d bytes%n", done, URLS.size(), url, future.result());
        }
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
