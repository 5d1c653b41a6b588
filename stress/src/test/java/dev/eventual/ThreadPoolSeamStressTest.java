package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The package-private seam that {@link ThreadPoolLifecycleLincheckTest} plays workers with: {@code
 * runQueuedTaskAsNewWorker} finds a task that is queued, even while another thread submits. With a
 * thread factory that makes no thread, every submit after the first takes the queued tasks out and
 * queues them again ({@code requeueForAStart}, so that the JDK pool asks for a thread); a worker
 * step that polled in that moment found nothing (2 to 6 in 100,000 rounds, JDK 17 and 25), which
 * the Lincheck test reported as a failing worker that did not break the executor.
 */
class ThreadPoolSeamStressTest {
  /** Two threads, reused by every round: each round's two steps meet at a barrier. */
  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @Timeout(120)
  void aWorkerStepFindsTheTaskItsThreadQueuedWhileAnotherThreadSubmits() throws Exception {
    int rounds = 100_000;
    int missed = 0;
    for (int i = 0; i < rounds; i++) {
      ThreadPoolFutureExecutor pool =
          ThreadPoolFutureExecutor.builder().maxWorkers(4).threadFactory(p -> null).build();
      CyclicBarrier together = new CyclicBarrier(2);
      Future<Boolean> found =
          threads.submit(
              () -> {
                together.await();
                pool.submit(() -> 1);
                return pool.runQueuedTaskAsNewWorker();
              });
      Future<?> other =
          threads.submit(
              () -> {
                together.await();
                return pool.submit(() -> 2);
              });
      if (!found.get(10, TimeUnit.SECONDS)) {
        missed++;
      }
      other.get(10, TimeUnit.SECONDS);
      pool.shutdown(false, true);
    }
    assertThat(missed).as("worker steps that found no task, of %d", rounds).isZero();
  }
}
