package dev.eventual;

import java.util.ArrayList;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Follows {@link Future}s that offer no completion callback (a {@code FutureTask}, a {@code
 * ForkJoinTask}, any other implementation) for {@link ConcurrentFuture#fromFuture}: one shared
 * daemon thread looks at every followed future in turn and copies the outcome of each that is done,
 * however many there are. A thread blocked in {@code get()} per future would hold a thousand
 * threads for a thousand futures that never complete.
 *
 * <p><b>Latency.</b> The thread pauses between rounds: {@value #MIN_PAUSE_NANOS} ns after a round
 * that found something done or new, then twice as long after each quiet round, up to {@value
 * #MAX_PAUSE_NANOS} ns. So a future that completes soon after it is followed is seen within about a
 * hundred microseconds, and one that completes after a long quiet time within about {@value
 * #MAX_PAUSE_NANOS} ns plus a round (one {@code isDone()} per followed future). With nothing to
 * follow the thread parks until the next {@link #follow}. A future whose target is done (cancelled
 * by its user) is dropped at the next round.
 */
final class ForeignFuturePoller implements Runnable {
  /** The pause after a round that found work. */
  static final long MIN_PAUSE_NANOS = 50_000L;

  /** The longest pause, reached after quiet rounds. */
  static final long MAX_PAUSE_NANOS = 5_000_000L;

  private static final ForeignFuturePoller INSTANCE = new ForeignFuturePoller();

  /** A followed future and where its outcome goes. */
  private static final class Entry {
    final Future<?> source;
    final ConcurrentFuture<?> target;

    Entry(Future<?> source, ConcurrentFuture<?> target) {
      this.source = source;
      this.target = target;
    }
  }

  private final ConcurrentLinkedQueue<Entry> arrivals = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile Thread thread;

  private ForeignFuturePoller() {}

  /**
   * Copies {@code source}'s outcome into {@code target} once {@code source} is done.
   *
   * @param source a future without callbacks
   * @param target the future to complete
   * @param <V> the result type
   */
  static <V> void follow(Future<? extends V> source, ConcurrentFuture<V> target) {
    INSTANCE.arrivals.add(new Entry(source, target));
    INSTANCE.wake();
  }

  private void wake() {
    if (!started.get() && started.compareAndSet(false, true)) {
      Thread t = new Thread(this, "eventual-future-adapter");
      t.setDaemon(true);
      thread = t;
      t.start();
      return;
    }
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  @Override
  public void run() {
    ArrayList<Entry> followed = new ArrayList<>();
    long pause = MIN_PAUSE_NANOS;
    for (; ; ) {
      boolean busy = false;
      Entry e;
      while ((e = arrivals.poll()) != null) {
        followed.add(e);
        busy = true;
      }
      int kept = 0;
      for (int i = 0, n = followed.size(); i < n; i++) {
        Entry x = followed.get(i);
        if (x.target.isDone() || copyIfDone(x.source, x.target)) {
          busy = true;
          continue;
        }
        followed.set(kept++, x);
      }
      for (int i = followed.size() - 1; i >= kept; i--) {
        followed.remove(i);
      }
      if (followed.isEmpty()) {
        LockSupport.park(this); // until follow() adds one (spurious wake-ups just loop)
        pause = MIN_PAUSE_NANOS;
        continue;
      }
      pause = busy ? MIN_PAUSE_NANOS : Math.min(pause * 2, MAX_PAUSE_NANOS);
      LockSupport.parkNanos(this, pause); // follow() unparks it early
      Thread.interrupted(); // nobody else's business: this thread belongs to the library
    }
  }

  /**
   * Copies the outcome if the source is done.
   *
   * @return true if the target got the outcome (or the source failed to report it)
   */
  @SuppressWarnings("unchecked")
  private static boolean copyIfDone(Future<?> source, ConcurrentFuture<?> target) {
    ConcurrentFuture<Object> t = (ConcurrentFuture<Object>) target;
    try {
      if (!source.isDone()) {
        return false;
      }
      t.trySetResult(source.get(0L, TimeUnit.NANOSECONDS));
    } catch (TimeoutException notYet) {
      return false; // done but not ready to report (an odd Future): look again next round
    } catch (ExecutionException e) {
      t.trySetException(e.getCause() != null ? e.getCause() : e);
    } catch (CancellationException e) {
      t.cancel(e.getMessage());
    } catch (InterruptedException e) {
      return false; // cleared by the loop
    } catch (Throwable e) {
      t.trySetException(e);
    }
    return true;
  }
}
