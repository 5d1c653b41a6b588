package dev.eventual.stress;

import static dev.eventual.loop.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.ConcurrentFuture;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads feed one running loop for a while: plain callbacks through {@code
 * callSoonThreadsafe}, tasks that await a {@link ConcurrentFuture} another thread completes later,
 * and tasks that await a {@link LoopFuture} another thread completes through {@code
 * callSoonThreadsafe}. At the end every count matches exactly: each callback ran once, each future
 * was completed once, each task finished once with the value its future was given.
 *
 * <p>Runs for {@code -Dloop.soak.seconds} (default {@code -Dsoak.seconds}, else 4) with {@code
 * -Dsoak.threads} threads (default 4); at most 64 tasks wait at a time (on JDK 17 each waiting task
 * holds a platform thread) and at most about 1,000 plain callbacks are queued. Prints a {@code
 * LOOP-SOAK} line, also written to {@code stress/target/loop-soak-summary.txt}.
 */
@Tag("soak")
class LoopSoakTest {
  private static final long SECONDS =
      Long.getLong("loop.soak.seconds", Long.getLong("soak.seconds", 4));
  private static final int THREADS = Integer.getInteger("soak.threads", 4);
  private static final int MAX_WAITING_TASKS = 64;
  private static final int MAX_BACKLOG = 1_000;

  private final AtomicLong callbacksScheduled = new AtomicLong();
  private final AtomicLong callbacksRan = new AtomicLong();
  private final AtomicLong futuresCreated = new AtomicLong();
  private final AtomicLong futuresCompleted = new AtomicLong();
  private final AtomicLong tasksCreated = new AtomicLong();
  private final AtomicLong tasksFinished = new AtomicLong();
  private final AtomicLong valuesSet = new AtomicLong();
  private final AtomicLong valuesSeen = new AtomicLong();
  private final AtomicLong operations = new AtomicLong();
  private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<ConcurrentFuture<Long>> threadFutures =
      new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<LoopFuture<Long>> loopFutures = new ConcurrentLinkedQueue<>();
  private final Semaphore waitingTasks = new Semaphore(MAX_WAITING_TASKS);

  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void callbacksFuturesAndTasksFromManyThreadsAllCountExactly() throws Exception {
    EventLoop loop = new EventLoop();
    CountDownLatch loopDone = new CountDownLatch(1);
    Thread loopThread =
        new Thread(
            () -> {
              try {
                loop.runForever();
              } catch (Throwable t) {
                errors.add(t);
              } finally {
                loopDone.countDown();
              }
            },
            "soak-loop");
    loopThread.start();
    long t0 = System.nanoTime();
    long end = t0 + TimeUnit.SECONDS.toNanos(SECONDS);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread t = new Thread(() -> work(loop, end), "soak-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    // complete what is left, from this thread, then wait for the loop to catch up
    completeAll(loop);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((tasksFinished.get() != tasksCreated.get()
            || callbacksRan.get() != callbacksScheduled.get())
        && System.nanoTime() < deadline
        && errors.isEmpty()) {
      completeAll(loop);
      Thread.sleep(5);
    }
    loop.callSoonThreadsafe(loop::stop);
    assertThat(loopDone.await(30, TimeUnit.SECONDS)).isTrue();
    loop.close();
    double seconds = (System.nanoTime() - t0) / 1e9;
    String summary =
        String.format(
            Locale.ROOT,
            "LOOP-SOAK operations=%d threads=%d seconds=%.1f callbacks=%d futures=%d tasks=%d"
                + " failures=%d",
            operations.get(),
            THREADS,
            seconds,
            callbacksRan.get(),
            futuresCompleted.get(),
            tasksFinished.get(),
            errors.size());
    System.out.println(summary);
    writeSummary(summary);
    assertThat(errors).isEmpty();
    assertThat(callbacksRan.get()).isEqualTo(callbacksScheduled.get()).isPositive();
    assertThat(futuresCompleted.get()).isEqualTo(futuresCreated.get()).isPositive();
    assertThat(tasksFinished.get()).isEqualTo(tasksCreated.get()).isPositive();
    assertThat(valuesSeen.get()).isEqualTo(valuesSet.get());
  }

  private void work(EventLoop loop, long end) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try {
      while (System.nanoTime() < end && errors.isEmpty()) {
        operations.incrementAndGet();
        // keep the loop's backlog bounded, so that task steps are not queued behind millions
        while (callbacksScheduled.get() - callbacksRan.get() > MAX_BACKLOG && errors.isEmpty()) {
          Thread.yield();
        }
        int op = random.nextInt(10);
        if (op < 5) {
          callbacksScheduled.incrementAndGet();
          loop.callSoonThreadsafe(callbacksRan::incrementAndGet);
        } else if (op < 7 && waitingTasks.tryAcquire()) {
          ConcurrentFuture<Long> f = new ConcurrentFuture<>();
          futuresCreated.incrementAndGet();
          tasksCreated.incrementAndGet();
          loop.callSoonThreadsafe(
              () ->
                  loop.createTask(
                      () -> {
                        long v = await(f);
                        finish(v);
                        return v;
                      }));
          threadFutures.add(f);
        } else if (op < 8 && waitingTasks.tryAcquire()) {
          futuresCreated.incrementAndGet();
          tasksCreated.incrementAndGet();
          loop.callSoonThreadsafe(
              () -> {
                LoopFuture<Long> f = loop.createFuture();
                loopFutures.add(f);
                loop.createTask(
                    () -> {
                      long v = await(f);
                      finish(v);
                      return v;
                    });
              });
        } else {
          completeOne(loop, random.nextLong(1, 1000));
        }
      }
    } catch (Throwable t) {
      errors.add(t);
    }
  }

  private void finish(long v) {
    valuesSeen.addAndGet(v);
    tasksFinished.incrementAndGet();
    waitingTasks.release();
  }

  private boolean completeOne(EventLoop loop, long v) {
    ConcurrentFuture<Long> f = threadFutures.poll();
    if (f != null) {
      f.setResult(v); // throws if completed twice
      valuesSet.addAndGet(v);
      futuresCompleted.incrementAndGet();
      return true;
    }
    LoopFuture<Long> lf = loopFutures.poll();
    if (lf != null) {
      valuesSet.addAndGet(v);
      loop.callSoonThreadsafe(
          () -> {
            lf.setResult(v);
            futuresCompleted.incrementAndGet();
          });
      return true;
    }
    return false;
  }

  private void completeAll(EventLoop loop) {
    while (completeOne(loop, 1)) {
      // drained
    }
  }

  private static void writeSummary(String summary) throws IOException {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("loop-soak-summary.txt"), summary + System.lineSeparator());
    }
  }
}
