package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Failure}: the one tracker of exceptions nobody retrieved, for both kinds of future
 * (asyncio's "Future exception was never retrieved"; CPython test_futures.py's tb_logger tests).
 */
@Timeout(60)
class FailureTest {
  private final List<String> reports = new CopyOnWriteArrayList<>();
  private final Failure.Reporter reporter = (d, e) -> reports.add(d + " " + e.getMessage());

  /** A watched object made here, so that no stack slot of the test keeps it alive. */
  private void watchAndDrop(Failure failure, String description) {
    failure.watch(new Object(), description, reporter);
  }

  /** Collects garbage until a report arrives, or for at most {@code seconds}. */
  private void collect(int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (reports.isEmpty() && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
  }

  @Test // test_tb_logger_exception_unretrieved
  void anUnretrievedFailureIsReportedOnceWithItsDescriptionWhenTheFutureIsCollected()
      throws InterruptedException {
    Failure f = new Failure(new IllegalStateException("boom"));
    watchAndDrop(f, "Future@1[FINISHED]");
    collect(30);
    Thread.sleep(50);
    assertThat(reports).containsExactly("Future@1[FINISHED] boom");
    assertThat(f.isRetrieved()).isFalse();
  }

  @Test // test_tb_logger_exception_retrieved
  void aRetrievedFailureIsNeverReported() throws InterruptedException {
    Failure f = new Failure(new IllegalStateException("seen"));
    watchAndDrop(f, "Future@2");
    f.markRetrieved();
    assertThat(f.isRetrieved()).isTrue();
    Failure unseen = new Failure(new IllegalStateException("unseen"));
    watchAndDrop(unseen, "Future@3"); // its report shows that collection happened
    collect(30);
    assertThat(reports).containsExactly("Future@3 unseen");
  }

  @Test
  void aFailureRetrievedBeforeItIsWatchedIsNeverReported() throws InterruptedException {
    Failure f = new Failure(new IllegalStateException("early"));
    f.markRetrieved(); // another thread read the future between its CAS and watch()
    watchAndDrop(f, "Future@4");
    Failure unseen = new Failure(new IllegalStateException("unseen"));
    watchAndDrop(unseen, "Future@5");
    collect(30);
    assertThat(reports).containsExactly("Future@5 unseen");
  }

  @Test
  void theReportBeginsWithCpythonsMessage() {
    assertThat(Failure.NEVER_RETRIEVED).isEqualTo("Future exception was never retrieved: ");
  }
}
