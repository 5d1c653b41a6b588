package dev.eventual.benchmarks;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.Lock;
import dev.eventual.loop.Queue;
import dev.eventual.loop.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * The loop's coordination primitives in the task runtime the README recommends (continuations on
 * JDK 21+ with the export every fork has; platform threads on JDK 17), against CPython's asyncio
 * running the same programs ({@code cpython_bench.py}: {@code asyncio_queue_handoff}, {@code
 * asyncio_lock_uncontended}). Each invocation is one {@code Asyncio.run}; the time is per item or
 * per acquire and release.
 */
public class LoopPrimitivesBenchmark extends BenchmarkDefaults {
  /** Items passed per invocation of {@link #queueHandoff()}. */
  static final int ITEMS = 10_000;

  /** Acquire and release pairs per invocation of {@link #lockUncontended()}. */
  static final int LOCKS = 10_000;

  /** For JMH. */
  public LoopPrimitivesBenchmark() {}

  /**
   * A producer task puts {@link #ITEMS} items into a {@code Queue(maxsize=1)} and a consumer task
   * gets them: every item is a hand-off between the two tasks (the producer waits for the free
   * slot, the consumer for the item). Time per item.
   *
   * @return the sum of the items
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long queueHandoff() {
    return Asyncio.run(
        () -> {
          Queue<Integer> queue = new Queue<>(1);
          Task<Long> consumer =
              Asyncio.createTask(
                  () -> {
                    long sum = 0;
                    for (int i = 0; i < ITEMS; i++) {
                      sum += queue.get();
                    }
                    return sum;
                  });
          for (int i = 0; i < ITEMS; i++) {
            queue.put(i);
          }
          return await(consumer);
        });
  }

  /**
   * One task acquires and releases a {@code Lock} nobody else wants, {@link #LOCKS} times ({@code
   * async with lock:}). Time per acquire and release. While it holds the lock, the task calls a
   * method the JIT may not inline ({@link #observe}), as real code calls something under a lock:
   * without it the JIT sees that nobody can observe the lock and folds the loop away (a first
   * version measured 0.05 ns per pair, a second one, consuming the lock in a {@code Blackhole},
   * 0.15-1 ns). The pair's cost here includes that one call.
   *
   * @return how many times the lock was held
   */
  @Benchmark
  @OperationsPerInvocation(LOCKS)
  public int lockUncontended() {
    return Asyncio.run(
        () -> {
          Lock lock = new Lock();
          int held = 0;
          for (int i = 0; i < LOCKS; i++) {
            lock.acquire();
            try {
              held += observe(lock);
            } finally {
              lock.release();
            }
          }
          return held;
        });
  }

  /**
   * Looks at the lock from a call the JIT does not inline, so the lock's state must really be
   * written before it and read after it.
   *
   * @param lock the lock
   * @return 1 if it is held
   */
  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  static int observe(Lock lock) {
    return lock.isLocked() ? 1 : 0;
  }
}
