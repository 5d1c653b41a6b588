package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@link FutureExecutor#map} part of the executor contract. */
abstract class FutureExecutorMapContract extends ExecutorContractSupport {

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  static <T> List<T> drain(Iterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  /** An input that counts how many items were taken from it; endless when size is negative. */
  static final class CountingInput implements Iterable<Integer> {
    final AtomicInteger pulled = new AtomicInteger();
    private final int size;
    private final int failAt;

    CountingInput(int size) {
      this(size, -1);
    }

    CountingInput(int size, int failAt) {
      this.size = size;
      this.failAt = failAt;
    }

    @Override
    public Iterator<Integer> iterator() {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return size < 0 || pulled.get() < size;
        }

        @Override
        public Integer next() {
          if (pulled.get() == failAt) {
            throw new IllegalStateException("input failed at " + failAt);
          }
          return pulled.getAndIncrement();
        }
      };
    }
  }

  @Test // CPython executor.py: ExecutorTest.test_map
  void mapReturnsResultsInInputOrderWhateverOrderTheyFinishIn() {
    FutureExecutor ex = executor(4);
    CountDownLatch lastDone = new CountDownLatch(1);
    FutureIterator<Integer> results =
        ex.map(
            i -> {
              if (i == 0) {
                awaitLatch(lastDone); // the first result comes last
              }
              if (i == 3) {
                lastDone.countDown();
              }
              return i * i;
            },
            range(10));
    assertThat(drain(results)).containsExactly(0, 1, 4, 9, 16, 25, 36, 49, 64, 81);
  }

  @Test // CPython executor.py: ExecutorTest.test_map_exception (3.14: the iteration ends there)
  void mapRethrowsATaskExceptionAsItselfThenEndsAndCancelsTheCallsNotStarted() throws Exception {
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicInteger lastRan = new AtomicInteger();
    CountDownLatch secondStarted = new CountDownLatch(1);
    FutureIterator<Integer> it =
        ex.map(
            i -> {
              if (i == 1) {
                throw boom;
              }
              if (i == 2) {
                secondStarted.countDown();
                gate.awaitUninterruptibly();
              }
              if (i == 3) {
                lastRan.incrementAndGet();
              }
              return i;
            },
            range(4));
    assertThat(it.next()).isEqualTo(0);
    // the call of 2 must be RUNNING when the iteration ends, or it is cancelled too and, with one
    // worker, the call of 3 could start in between
    assertThat(secondStarted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(it::next).isSameAs(boom);
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    gate.open();
    ex.shutdown();
    if (limitsWorkers()) {
      assertThat(lastRan).hasValue(0);
    }
  }

  @Test // CPython executor.py: test_map_timeout_from_callable, with 3.14's ending of the iteration
  void mapRethrowsATasksOwnWaitTimeoutExceptionAsItself() {
    FutureExecutor ex = executor(2);
    WaitTimeoutException own = new WaitTimeoutException("from the task");
    FutureIterator<Integer> plain =
        ex.map(
            i -> {
              if (i == 1) {
                throw own;
              }
              return i;
            },
            range(3));
    assertThat(plain.next()).isZero();
    assertThatThrownBy(plain::next).isSameAs(own);
    FutureIterator<Integer> timed =
        ex.map(
            i -> {
              if (i == 1) {
                throw own;
              }
              return i;
            },
            range(3),
            Duration.ofSeconds(PATIENCE_SECONDS));
    assertThat(timed.next()).isZero();
    assertThatThrownBy(timed::next).isSameAs(own);
  }

  @Test // CPython executor.py: ExecutorTest.test_map_timeout
  void mapTimeoutThrowsWaitTimeoutExceptionEndsTheIterationAndCancelsTheRest() {
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    AtomicInteger lastRan = new AtomicInteger();
    List<Integer> results = new ArrayList<>();
    FutureIterator<Integer> it =
        ex.map(
            i -> {
              if (i == 2) {
                gate.awaitUninterruptibly();
              }
              if (i == 3) {
                lastRan.incrementAndGet();
              }
              return i;
            },
            range(4),
            Duration.ofSeconds(2));
    assertThatThrownBy(() -> it.forEachRemaining(results::add))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("2 s")
        .hasMessageContaining("result #3");
    assertThat(results).containsExactly(0, 1);
    // The remaining calls are cancelled, so the iterator is exhausted.
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    gate.open();
    ex.shutdown();
    if (limitsWorkers()) {
      assertThat(lastRan).hasValue(0);
    }
  }

  @Test // CPython _base.py: end_time is computed when map is called, not at the first next()
  void mapTimeoutCountsFromTheCallOfMap() throws InterruptedException {
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    FutureIterator<Integer> it =
        ex.map(
            i -> {
              gate.awaitUninterruptibly();
              return i;
            },
            range(1),
            Duration.ofSeconds(1));
    Thread.sleep(1200);
    long start = System.nanoTime();
    assertThatThrownBy(it::next).isInstanceOf(WaitTimeoutException.class);
    // Counted from next(), the wait would have lasted a whole second more.
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(900));
  }

  @Test // CPython test_thread_pool.py: test_executor_map_current_future_cancel
  void mapTimeoutCancelsTheCallsThatWaitBehindABusyWorker() {
    assumeThat(limitsWorkers()).as("needs a worker limit").isTrue();
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    List<String> log = new CopyOnWriteArrayList<>();
    ConcurrentFuture<Void> first =
        ex.submit(
            () -> {
              log.add("first started");
              gate.awaitUninterruptibly();
              log.add("first stopped");
            });
    try (FutureIterator<Object> it =
        ex.map(
            name -> {
              log.add(name + " started");
              return null;
            },
            List.of("second", "third"),
            Duration.ZERO)) {
      assertThatThrownBy(it::next).isInstanceOf(WaitTimeoutException.class);
    } finally {
      gate.open();
    }
    first.result();
    ex.shutdown();
    assertThat(log).containsExactly("first started", "first stopped");
  }

  @Test // CPython executor.py: ExecutorTest.test_map_close
  void closingTheResultsCancelsTheCallsNotStarted() {
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    AtomicInteger laterRan = new AtomicInteger();
    FutureIterator<Integer> it =
        ex.map(
            i -> {
              if (i == 1) {
                gate.awaitUninterruptibly();
              }
              if (i >= 2) {
                laterRan.incrementAndGet();
              }
              return i;
            },
            range(4));
    assertThat(it.next()).isZero();
    it.close();
    it.close();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    gate.open();
    ex.shutdown();
    if (limitsWorkers()) {
      assertThat(laterRan).hasValue(0);
    }
  }

  @Test // CPython test_thread_pool.py: test_map_submits_without_iteration (issue 11777)
  void mapSubmitsEveryItemAtTheCallWithoutBeingIterated() {
    FutureExecutor ex = executor(2);
    List<Integer> finished = new CopyOnWriteArrayList<>();
    CountingInput input = new CountingInput(10);
    ex.map(finished::add, input);
    assertThat(input.pulled).hasValue(10);
    ex.shutdown();
    assertThat(finished).containsExactlyInAnyOrderElementsOf(range(10));
  }

  @ParameterizedTest // CPython executor.py: ExecutorTest.test_map_buffersize
  @ValueSource(ints = {1, 2, 4, 8})
  void mapWithBuffersizeReturnsEveryResultInOrder(int buffersize) {
    FutureExecutor ex = executor(2);
    assertThat(drain(ex.map(String::valueOf, range(4), buffersize)))
        .containsExactly("0", "1", "2", "3");
  }

  @Test // CPython executor.py: ExecutorTest.test_map_buffersize_when_buffer_is_full
  void mapWithBuffersizeTakesOnlyBuffersizeItemsUntilResultsAreConsumed() {
    FutureExecutor ex = executor(2);
    CountingInput input = new CountingInput(4);
    ex.map(String::valueOf, input, 2);
    ex.shutdown(); // wait for the tasks to complete
    assertThat(input.pulled).as("items taken from the input").hasValue(2);
  }

  @Test // gh-131466: the limit holds while next() waits, too
  void mapWithBuffersizeNeverHasMoreThanBuffersizeCallsOutstanding() {
    FutureExecutor ex = executor(4);
    CountingInput input = new CountingInput(20);
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    FutureIterator<Integer> it =
        ex.map(
            i -> {
              maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
              try {
                Thread.sleep(2);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                active.decrementAndGet();
              }
              return i;
            },
            input,
            2);
    assertThat(input.pulled).hasValue(2);
    for (int consumed = 1; consumed <= 20; consumed++) {
      assertThat(it.next()).isEqualTo(consumed - 1);
      assertThat(input.pulled).hasValue(Math.min(20, consumed + 2));
    }
    assertThat(it.hasNext()).isFalse();
    assertThat(maxActive.get()).isBetween(1, 2);
  }

  @Test // CPython executor.py: ExecutorTest.test_map_buffersize_on_infinite_iterable
  void mapWithBuffersizeWorksOnAnEndlessInput() {
    FutureExecutor ex = executor(2);
    CountingInput endless = new CountingInput(-1);
    try (FutureIterator<String> it = ex.map(String::valueOf, endless, 2)) {
      assertThat(it.next()).isEqualTo("0");
      assertThat(it.next()).isEqualTo("1");
      assertThat(it.next()).isEqualTo("2");
      assertThat(it.hasNext()).isTrue();
    }
    assertThat(endless.pulled.get()).isEqualTo(5);
  }

  @Test // CPython executor.py: test_map_buffersize_on_empty_iterable
  void mapWithBuffersizeOnAnEmptyInputHasNoResults() {
    FutureExecutor ex = executor(2);
    FutureIterator<String> it = ex.map(String::valueOf, List.<Integer>of(), 2);
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test // CPython executor.py: test_map_buffersize_value_validation, and the other arguments
  void mapRejectsBadArgumentsBeforeTakingAnyInput() {
    FutureExecutor ex = executor(2);
    CountingInput input = new CountingInput(4);
    Duration second = Duration.ofSeconds(1);
    for (int bad : new int[] {0, -1}) {
      assertThatThrownBy(() -> ex.map(String::valueOf, input, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("buffersize");
      assertThatThrownBy(() -> ex.map(String::valueOf, input, second, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("buffersize");
    }
    assertThatThrownBy(() -> ex.map(null, input)).hasMessageContaining("fn must not be null");
    assertThatThrownBy(() -> ex.map(String::valueOf, null)).hasMessageContaining("items");
    assertThatThrownBy(() -> ex.map(String::valueOf, input, (Duration) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> ex.map(String::valueOf, input, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must not be negative");
    assertThat(input.pulled).hasValue(0);
  }

  @Test // CPython test_shutdown.py: test_run_after_shutdown, through map
  void mapAfterShutdownThrowsRejectedExecutionException() {
    FutureExecutor ex = executor(2);
    ex.shutdown();
    assertThatThrownBy(() -> ex.map(String::valueOf, range(3)))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessage("cannot schedule new futures after shutdown");
    assertThatThrownBy(() -> ex.map(String::valueOf, range(3), 2))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test // gh-146392: buffered results survive a shutdown, then the iteration says why it stops
  void bufferedMapReturnsWhatWasSubmittedThenThrowsAfterShutdown() throws InterruptedException {
    FutureExecutor ex = executor(1);
    CountDownLatch firstThreadRan = new CountDownLatch(3);
    FutureIterator<String> it =
        ex.map(
            i -> {
              firstThreadRan.countDown();
              return String.valueOf(i);
            },
            range(8),
            2);
    assertThat(it.next()).isEqualTo("0"); // submits item 2
    // Let item 2 run before the shutdown: a ForkJoinPool under load may terminate with a queued
    // task unrun (the adapter then cancels it), which is not what this test is about.
    assertThat(firstThreadRan.await(30, TimeUnit.SECONDS)).isTrue();
    ex.shutdown();
    assertThat(it.next()).isEqualTo("1"); // cannot submit item 3
    assertThat(it.hasNext()).isTrue();
    assertThat(it.next()).isEqualTo("2");
    assertThatThrownBy(it::next)
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessage("cannot schedule new futures after shutdown");
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void bufferedMapReturnsWhatWasSubmittedThenThrowsTheInputsException() {
    FutureExecutor ex = executor(2);
    FutureIterator<Integer> it = ex.map(i -> i, new CountingInput(10, 3), 2);
    assertThat(it.next()).isEqualTo(0);
    assertThat(it.next()).isEqualTo(1); // taking item 3 fails
    assertThat(it.next()).isEqualTo(2);
    assertThatThrownBy(it::next).hasMessage("input failed at 3");
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void eagerMapWhoseInputFailsThrowsAndCancelsWhatItSubmitted() {
    assumeThat(limitsWorkers()).as("needs a worker limit").isTrue();
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    ex.submit(gate::awaitUninterruptibly);
    AtomicInteger ran = new AtomicInteger();
    assertThatThrownBy(() -> ex.map(i -> ran.incrementAndGet(), new CountingInput(10, 2)))
        .hasMessage("input failed at 2");
    gate.open();
    ex.shutdown();
    assertThat(ran).hasValue(0);
  }

  @Test
  void interruptingNextThrowsWaitInterruptedExceptionAndEndsTheIteration() {
    FutureExecutor ex = executor(1);
    Gate gate = gate();
    FutureIterator<Integer> it =
        ex.map(
            i -> {
              gate.awaitUninterruptibly();
              return i;
            },
            range(3));
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(it::next).isInstanceOf(WaitInterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void mapResultsCanBeIteratedOnlyOnce() {
    FutureExecutor ex = executor(2);
    FutureIterator<Integer> it = ex.map(i -> i + 1, range(3));
    List<Integer> seen = new ArrayList<>();
    for (int i : it) {
      seen.add(i);
    }
    assertThat(seen).containsExactly(1, 2, 3);
    assertThatThrownBy(it::iterator).isInstanceOf(IllegalStateException.class);
  }

  static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("latch never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
