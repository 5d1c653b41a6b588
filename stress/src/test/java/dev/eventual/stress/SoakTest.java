package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureIterator;
import dev.eventual.Futures;
import dev.eventual.ThreadPoolFutureExecutor;
import dev.eventual.WaitTimeoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many threads do random operations on many futures for a while: submit tasks to a pool, create
 * futures by hand and race to complete, fail or cancel them, add and remove callbacks, chain {@code
 * continueWith}, and wait with short timeouts ({@code result}, {@code Futures.wait}, {@code
 * asCompleted}). At the end every count matches what was scheduled exactly: each callback not
 * removed ran once and a removed one never, each future is done, each task ran once.
 *
 * <p>Runs for {@code -Dsoak.seconds} (default 8) with {@code -Dsoak.threads} threads (default 4).
 * The long run: {@code mvn -B -o verify -pl stress -am -Dgroups=soak -Dsoak.seconds=600}; it prints
 * a {@code SOAK} line and writes it to {@code stress/target/soak-summary.txt}.
 */
@Tag("soak")
class SoakTest {
  private static final long SECONDS = Long.getLong("soak.seconds", 8);
  private static final int THREADS = Integer.getInteger("soak.threads", 4);
  private static final int SLOTS = 64;

  /** Each epoch ends with every thread stopped and everything checked, so memory stays bounded. */
  private static final long EPOCH_NANOS = TimeUnit.SECONDS.toNanos(4);

  private final AtomicLong operations = new AtomicLong();
  private final AtomicLong callbacksScheduled = new AtomicLong();
  private final AtomicLong callbacksRan = new AtomicLong();
  private final AtomicLong futuresCreated = new AtomicLong();
  private final AtomicLong tasksSubmitted = new AtomicLong();
  private final AtomicLong tasksRan = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final ConcurrentLinkedQueue<Callback> callbacks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<ConcurrentFuture<?>> futures = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<ConcurrentFuture<Integer>> tasks =
      new ConcurrentLinkedQueue<>();
  private long futuresDone;
  private long callbacksChecked;
  private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

  /** A callback that records how often it ran, and whether its registration was removed. */
  private final class Callback implements Consumer<ConcurrentFuture<Integer>> {
    final AtomicInteger runs = new AtomicInteger();
    volatile boolean removed;

    @Override
    public void accept(ConcurrentFuture<Integer> f) {
      runs.incrementAndGet();
      callbacksRan.incrementAndGet();
      if (ThreadLocalRandom.current().nextInt(64) == 0) {
        throw new IllegalStateException("a callback that throws (logged, others still run)");
      }
    }
  }

  @Test
  void countsMatchWhatWasScheduledAfterRandomConcurrentOperations() throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(SECONDS);
    ThreadPoolFutureExecutor pool = new ThreadPoolFutureExecutor(4);
    try {
      do {
        long epochEnd = Math.min(deadline, System.nanoTime() + EPOCH_NANOS);
        runEpoch(pool, epochEnd);
        checkEpoch();
      } while (System.nanoTime() - deadline < 0);
    } finally {
      pool.shutdown(true, true);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String summary =
        String.format(
            Locale.ROOT,
            "SOAK operations=%d threads=%d (+4 pool workers) seconds=%.1f futures=%d tasks=%d"
                + " callbacks=%d failures=%d",
            operations.get(),
            THREADS,
            seconds,
            futuresDone,
            tasksRan.get(),
            callbacksChecked,
            failures.get() + errors.size());
    System.out.println(summary);
    writeSummary(summary);
    assertThat(failures.get()).isZero();
  }

  private void runEpoch(ThreadPoolFutureExecutor pool, long epochEnd) throws InterruptedException {
    AtomicReferenceArray<ConcurrentFuture<Integer>> manual = new AtomicReferenceArray<>(SLOTS);
    AtomicReferenceArray<ConcurrentFuture<Integer>> submitted = new AtomicReferenceArray<>(SLOTS);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() - epochEnd < 0) {
                    step(manual, submitted, pool);
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              },
              "soak-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(120));
      assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
    }
  }

  /** Every task runs, then the futures nobody completed are completed; now count everything. */
  private void checkEpoch() {
    assertThat(errors).isEmpty();
    assertThat(Futures.wait(List.copyOf(tasks), Duration.ofSeconds(60)).notDone()).isEmpty();
    for (ConcurrentFuture<?> f : futures) {
      cast(f).trySetResult(0);
    }
    long done = futures.stream().filter(ConcurrentFuture::isDone).count();
    assertThat(done).as("futures completed").isEqualTo(futuresCreated.get());
    assertThat(tasksRan.get()).as("tasks ran").isEqualTo(tasksSubmitted.get());
    for (Callback c : callbacks) {
      assertThat(c.runs.get()).isEqualTo(c.removed ? 0 : 1);
    }
    assertThat(callbacksRan.get()).as("callbacks ran").isEqualTo(callbacksScheduled.get());
    futuresDone += done;
    callbacksChecked += callbacksRan.get();
    futures.clear();
    tasks.clear();
    callbacks.clear();
    futuresCreated.set(0);
    callbacksRan.set(0);
    callbacksScheduled.set(0);
  }

  @SuppressWarnings("unchecked")
  private static ConcurrentFuture<Object> cast(ConcurrentFuture<?> f) {
    return (ConcurrentFuture<Object>) f;
  }

  /**
   * One random operation. Futures made by hand (in {@code manual}) may be completed, failed,
   * cancelled or marked running by anyone; the pool's futures (in {@code submitted}) are only
   * waited on and given callbacks, as their executor owns their state.
   */
  private void step(
      AtomicReferenceArray<ConcurrentFuture<Integer>> manual,
      AtomicReferenceArray<ConcurrentFuture<Integer>> submitted,
      ThreadPoolFutureExecutor pool) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int i = r.nextInt(SLOTS);
    ConcurrentFuture<Integer> f = manual.get(i);
    ConcurrentFuture<Integer> any = r.nextBoolean() ? f : submitted.get(i);
    AtomicReferenceArray<ConcurrentFuture<Integer>> slots = r.nextBoolean() ? manual : submitted;
    operations.incrementAndGet();
    switch (r.nextInt(10)) {
      case 0: // a fresh future in the slot
        ConcurrentFuture<Integer> fresh = new ConcurrentFuture<>();
        track(fresh);
        manual.set(i, fresh);
        break;
      case 1: // a task, with a callback on its future
        tasksSubmitted.incrementAndGet();
        ConcurrentFuture<Integer> task =
            pool.submit(
                () -> {
                  tasksRan.incrementAndGet();
                  return 1;
                });
        track(task);
        tasks.add(task);
        addCallback(task);
        submitted.set(i, task);
        break;
      case 2:
        if (any != null) {
          addCallback(any);
        }
        break;
      case 3: // add a callback and race to remove it again
        if (any != null) {
          Callback c = addCallback(any);
          if (any.removeDoneCallback(c) == 1) {
            c.removed = true;
            callbacksScheduled.decrementAndGet();
          }
        }
        break;
      case 4:
        if (f != null) {
          int what = r.nextInt(4);
          if (what == 0) {
            f.trySetResult(i);
          } else if (what == 1) {
            f.trySetException(new IllegalArgumentException("soak"));
          } else if (what == 2) {
            f.cancel("soak");
          } else if (f.isCancelled()) {
            f.cancel(false);
          } else if (!f.isDone()) {
            try {
              f.setRunningOrNotifyCancel();
            } catch (IllegalStateException raced) {
              // RUNNING or done meanwhile: the state machine refused, as it must
            }
          }
        }
        break;
      case 5:
        if (any != null) {
          ConcurrentFuture<Integer> next = any.continueWith(x -> 1);
          track(next);
          addCallback(next);
        }
        break;
      case 6:
        if (any != null) {
          try {
            any.result(Duration.ofNanos(r.nextInt(50_000)));
          } catch (WaitTimeoutException
              | IllegalArgumentException
              | java.util.concurrent.CancellationException expected) {
            // not done in time, failed, or cancelled
          }
        }
        break;
      case 7:
        Futures.wait(someFutures(slots, r), Duration.ofNanos(r.nextInt(50_000)));
        break;
      case 8:
        try (FutureIterator<ConcurrentFuture<Integer>> it =
            Futures.asCompleted(someFutures(slots, r), Duration.ofNanos(r.nextInt(50_000)))) {
          while (it.hasNext()) {
            it.next();
          }
        } catch (WaitTimeoutException expected) {
          // the rest were not done in time
        }
        break;
      default:
        if (any != null && any.isSuccess() && any.resultNow() == null) {
          failures.incrementAndGet(); // nobody sets null: a wrong result
        }
        break;
    }
  }

  private List<ConcurrentFuture<Integer>> someFutures(
      AtomicReferenceArray<ConcurrentFuture<Integer>> slots, ThreadLocalRandom r) {
    List<ConcurrentFuture<Integer>> some = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      ConcurrentFuture<Integer> f = slots.get(r.nextInt(SLOTS));
      if (f != null) {
        some.add(f);
      }
    }
    return some;
  }

  private void track(ConcurrentFuture<?> f) {
    futuresCreated.incrementAndGet();
    futures.add(f);
  }

  private Callback addCallback(ConcurrentFuture<Integer> f) {
    Callback c = new Callback();
    callbacks.add(c);
    callbacksScheduled.incrementAndGet();
    f.addDoneCallback(c);
    return c;
  }

  private static void writeSummary(String summary) throws IOException {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("soak-summary.txt"), summary + System.lineSeparator());
    }
  }
}
