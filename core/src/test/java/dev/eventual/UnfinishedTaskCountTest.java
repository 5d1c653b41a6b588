package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link UnfinishedTaskCount}: acceptances less endings, counted on separate lines. */
class UnfinishedTaskCountTest {

  @Test
  void countsAcceptedTasksUntilTheirWorkerEndsThem() {
    UnfinishedTaskCount count = new UnfinishedTaskCount();
    UnfinishedTaskCount.Slot worker = count.register();
    count.accepted();
    count.accepted();
    assertThat(count.sum()).isEqualTo(2);
    worker.callEnded();
    assertThat(count.sum()).isEqualTo(1);
    worker.callEnded();
    assertThat(count.sum()).isZero();
  }

  @Test
  void endingsElsewhereAndRefusalsCountOut() {
    UnfinishedTaskCount count = new UnfinishedTaskCount();
    count.accepted();
    count.accepted();
    count.accepted();
    count.refused(); // its submit was refused after it was counted
    count.endedElsewhere(); // cancelled before it ran
    assertThat(count.sum()).isEqualTo(1);
    count.endedElsewhere();
    assertThat(count.sum()).isZero();
  }

  @Test
  void aWorkerThatEndsLeavesItsCountBehind() {
    UnfinishedTaskCount count = new UnfinishedTaskCount();
    UnfinishedTaskCount.Slot first = count.register();
    UnfinishedTaskCount.Slot second = count.register();
    for (int i = 0; i < 5; i++) {
      count.accepted();
    }
    first.callEnded();
    first.callEnded();
    second.callEnded();
    count.release(first);
    assertThat(count.sum()).isEqualTo(2);
    count.release(first); // a second release changes nothing
    assertThat(count.sum()).isEqualTo(2);
    second.callEnded();
    second.callEnded();
    count.release(second);
    assertThat(count.sum()).isZero();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aTaskUnfinishedWhileTheSumIsTakenIsAlwaysCounted() throws Exception {
    // Each worker thread accepts a task (as its submit would, before queueing it) and ends it. One
    // task is held unfinished for the whole run: however the sum interleaves with the others, it
    // sees at least that one and never a negative count.
    UnfinishedTaskCount count = new UnfinishedTaskCount();
    count.accepted(); // the held task
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(2);
    List<Thread> threads = new ArrayList<>();
    AtomicLong ended = new AtomicLong();
    for (int t = 0; t < 2; t++) {
      Thread thread =
          new Thread(
              () -> {
                UnfinishedTaskCount.Slot slot = count.register();
                started.countDown();
                while (!stop.get()) {
                  count.accepted();
                  slot.callEnded();
                  ended.incrementAndGet();
                }
                count.release(slot);
              });
      threads.add(thread);
      thread.start();
    }
    started.await();
    long low = Long.MAX_VALUE;
    for (int i = 0; i < 20_000; i++) {
      low = Math.min(low, count.sum());
    }
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(thread.isAlive()).isFalse();
    }
    assertThat(low).isGreaterThanOrEqualTo(1);
    assertThat(ended.get()).isPositive();
    assertThat(count.sum()).isEqualTo(1);
  }
}
