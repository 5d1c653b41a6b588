package dev.eventual;

import dev.eventual.internal.Cleaners;
import dev.eventual.internal.NotifyOnlyCallback;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The iterator behind {@link Futures#asCompleted}: CPython's {@code as_completed} generator.
 *
 * <p>Nothing happens until the first {@link #next()}: it then moves the futures that are already
 * settled to {@link #ready} and installs one {@link Arrivals} waiter on each of the others. The
 * waiter queues a future when it settles; {@code next()} yields {@link #ready} first, then the
 * queue, parking while both are empty. A future is held only until it is yielded: it leaves {@link
 * #pending} and the queue as it is returned. Not thread-safe, like a generator.
 */
final class AsCompletedIterator<F extends ConcurrentFuture<?>> implements FutureIterator<F> {
  /** Futures not yet yielded and not in {@link #ready}; a waiter sits on each once started. */
  private final LinkedHashSet<F> pending;

  /** Futures found settled when the iteration started, yielded first. */
  private final ArrayDeque<F> ready = new ArrayDeque<>();

  private final int total;
  private final boolean timed;
  private final long deadline;
  private final Arrivals arrivals = new Arrivals();

  /**
   * Removes {@link #arrivals} from the futures it was installed on: run by {@link #close()}, or by
   * the cleaner once an iteration left without {@code close()} (a {@code break}) is unreachable.
   */
  private Cleaner.Cleanable detach;

  private boolean started;
  private boolean finished;
  private boolean iterated;

  /**
   * @param futures the distinct futures, owned by this iterator from now on
   * @param timed whether {@code deadline} applies
   * @param deadline the end of the wait on the {@link System#nanoTime()} scale
   */
  AsCompletedIterator(LinkedHashSet<F> futures, boolean timed, long deadline) {
    this.pending = futures;
    this.total = futures.size();
    this.timed = timed;
    this.deadline = deadline;
  }

  /**
   * Returns true while some future has not been yielded yet, whether or not it is settled; false
   * once all were yielded, or after a timeout, an interrupt or {@link #close()}.
   */
  @Override
  public boolean hasNext() {
    return !finished && (!ready.isEmpty() || !pending.isEmpty());
  }

  @Override
  public F next() {
    if (!hasNext()) {
      throw new NoSuchElementException(
          "asCompleted: every future was yielded or the iteration ended");
    }
    if (!started) {
      start();
    }
    F f = ready.poll();
    if (f != null) {
      return f;
    }
    for (; ; ) {
      f = takeArrived();
      if (f != null) {
        if (pending.isEmpty() && detach != null) {
          detach.clean(); // every waiter has run: nothing left for the cleaner to do
        }
        return f;
      }
      if (Thread.interrupted()) {
        int unfinished = pending.size();
        close();
        Thread.currentThread().interrupt();
        throw new WaitInterruptedException(
            "Interrupted in asCompleted with "
                + unfinished
                + " (of "
                + total
                + ") futures unfinished",
            new InterruptedException());
      }
      long remaining = 0L;
      if (timed) {
        remaining = deadline - System.nanoTime();
        if (remaining <= 0L) {
          int unfinished = pending.size();
          close();
          // exactly CPython's message
          throw new WaitTimeoutException(
              String.format("%d (of %d) futures unfinished", unfinished, total));
        }
      }
      BlockingGuard.checkMayBlock("asCompleted with " + pending.size() + " futures unfinished");
      arrivals.parked = Thread.currentThread();
      if (arrivals.queue.isEmpty()) {
        if (timed) {
          LockSupport.parkNanos(this, remaining);
        } else {
          LockSupport.park(this);
        }
      }
      arrivals.parked = null;
    }
  }

  private void start() {
    started = true;
    List<F> settled = new ArrayList<>();
    List<F> unsettled = new ArrayList<>();
    Futures.snapshot(pending, settled, unsettled); // the already-done ones, as of one instant
    for (F f : settled) {
      ready.add(f);
      pending.remove(f);
    }
    if (timed && deadline - System.nanoTime() <= 0L) {
      return; // the time is up already (a zero timeout): nothing to wait for, only the snapshot
    }
    List<WeakReference<F>> installed = new ArrayList<>(unsettled.size());
    for (F f : unsettled) {
      if (f.push(arrivals)) {
        installed.add(new WeakReference<>(f));
      } else {
        ready.add(f);
        pending.remove(f);
      }
    }
    if (!installed.isEmpty()) {
      detach = Cleaners.register(this, new Detach(arrivals, installed.toArray()));
    }
  }

  /**
   * Takes the waiter off every future it was installed on (a no-op on those that settled since). It
   * holds the waiter and the futures, these weakly (a yielded future stays collectable; one that is
   * collected needs nothing removed), never the iterator, so the iterator can become unreachable;
   * CPython's {@code as_completed} does the same in its {@code finally} clause, which runs when a
   * dropped generator is collected.
   */
  private static final class Detach implements Runnable {
    private final Arrivals arrivals;
    private final Object[] futures; // WeakReference<ConcurrentFuture<?>>

    Detach(Arrivals arrivals, Object[] futures) {
      this.arrivals = arrivals;
      this.futures = futures;
    }

    @Override
    public void run() {
      arrivals.closed = true;
      for (Object ref : futures) {
        ConcurrentFuture<?> f = (ConcurrentFuture<?>) ((WeakReference<?>) ref).get();
        if (f != null) {
          f.remove(arrivals, true);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private F takeArrived() {
    Object f;
    while ((f = arrivals.queue.poll()) != null) {
      if (pending.remove(f)) {
        return (F) f;
      }
    }
    return null;
  }

  /**
   * Returns this iterator, once, for a for-each loop.
   *
   * @throws IllegalStateException on a second call
   */
  @Override
  public Iterator<F> iterator() {
    if (iterated) {
      throw new IllegalStateException("asCompleted can be iterated only once");
    }
    iterated = true;
    return this;
  }

  /**
   * Ends the iteration: removes the waiter from every future not yet settled and drops every future
   * not yet yielded. Later calls do nothing; {@link #hasNext()} is then false.
   */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    arrivals.closed = true;
    if (detach != null) {
      detach.clean();
    }
    pending.clear();
    ready.clear();
    arrivals.queue.clear();
  }

  /** The single waiter of one iteration: queues each future as it settles and wakes the reader. */
  private static final class Arrivals extends NotifyOnlyCallback {
    final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    volatile Thread parked;
    volatile boolean closed;

    @Override
    public void accept(Object future) {
      if (closed) {
        return;
      }
      queue.add(future);
      Thread t = parked;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }
}
