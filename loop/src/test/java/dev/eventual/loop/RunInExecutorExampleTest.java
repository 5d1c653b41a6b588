package dev.eventual.loop;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import dev.eventual.ThreadPoolFutureExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The asyncio documentation's {@code loop.run_in_executor} example ("Executing code in thread or
 * process pools"), ported line by line: the regression test of issue #14's "closing an idle
 * executor from inside a task must work" (a {@link ThreadPoolFutureExecutor} closed by
 * try-with-resources in a task body threw at {@code close()} although nothing was running; fixed in
 * #19). EventLoop.runInExecutor and ThreadPoolFutureExecutor.close together, so it has a class of
 * its own rather than a place in either one's test.
 */
@Timeout(20)
class RunInExecutorExampleTest {

  /** File operations (such as logging) can block the event loop: run them in a thread pool. */
  static byte[] blockingIo() throws IOException {
    try (InputStream f = Files.newInputStream(Path.of("/dev/urandom"))) {
      return f.readNBytes(100);
    }
  }

  /** CPU-bound operations will block the event loop: run them elsewhere. */
  static long cpuBound() {
    return LongStream.range(0, 10_000_000L).map(i -> i * i).sum();
  }

  @Test // asyncio docs, loop.run_in_executor example: main(), options 1-3
  void theDocsExampleRunsAndClosesItsPoolsInsideTheTask() {
    List<String> printed = new ArrayList<>();
    Asyncio.run(
        () -> {
          EventLoop loop = EventLoop.getRunningLoop();

          // 1. Run in the default loop's executor:
          byte[] result = await(loop.runInExecutor(null, RunInExecutorExampleTest::blockingIo));
          printed.add("default thread pool " + result.length);

          // 2. Run in a custom thread pool:
          try (ThreadPoolFutureExecutor pool = new ThreadPoolFutureExecutor(4)) {
            result = await(loop.runInExecutor(pool, RunInExecutorExampleTest::blockingIo));
            printed.add("custom thread pool " + result.length);
          } // the pool is idle here: closing it from the task must not throw

          // 3. A custom process pool has no JVM equivalent: another thread pool does the CPU work.
          try (ThreadPoolFutureExecutor pool = new ThreadPoolFutureExecutor(2)) {
            long sum = await(loop.runInExecutor(pool, RunInExecutorExampleTest::cpuBound));
            printed.add("custom pool " + sum);
          }
          return null;
        });
    assertThat(printed)
        .containsExactly(
            "default thread pool 100",
            "custom thread pool 100",
            "custom pool " + LongStream.range(0, 10_000_000L).map(i -> i * i).sum());
  }

  @Test // issue #14: "refuse only a close that would really have to wait"
  void closingABusyPoolInsideATaskIsRefusedInsteadOfBlockingTheLoop() {
    ConcurrentFuture<Void> release = new ConcurrentFuture<>();
    ThreadPoolFutureExecutor pool = new ThreadPoolFutureExecutor(1);
    try {
      Asyncio.run(
          () -> {
            pool.submit(() -> release.result());
            assertThatThrownBy(pool::close).isInstanceOf(IllegalStateException.class);
            assertThat(pool.isShutdown()).as("shut down all the same").isTrue();
            return null;
          });
    } finally {
      release.setResult(null);
      pool.shutdown(true, false);
    }
  }
}
