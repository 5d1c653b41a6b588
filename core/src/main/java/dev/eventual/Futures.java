package dev.eventual;

import dev.eventual.internal.Failure;
import dev.eventual.internal.NotifyOnlyCallback;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

/**
 * The module functions of Python's {@code concurrent.futures} ({@code wait}, {@code as_completed})
 * and of the Hazelcast client ({@code combine_futures}), with a few helpers.
 *
 * <p><b>Always call {@code Futures.wait(...)} qualified.</b> A static method named {@code wait}
 * sits beside {@link Object#wait()}: inside any class an unqualified {@code wait(futures)} resolves
 * to {@code Object}'s methods (which also shadow a static import of it) and does not compile.
 *
 * <p>"Done" for {@code wait} and {@code asCompleted} has CPython's meaning: FINISHED or
 * CANCELLED_AND_NOTIFIED. A future that was cancelled but whose executor has not yet called {@link
 * ConcurrentFuture#setRunningOrNotifyCancel()} is not done for them, and its later notification
 * wakes them. Neither takes a lock on the futures: each call installs one waiter on the unfinished
 * futures and removes it again before returning, also on timeout, interrupt or {@code close()}.
 *
 * <p>Duplicates in the given collections are collapsed, as Python's {@code set(fs)} does (futures
 * compare by identity).
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>CPython locks every future while {@code wait} or {@code as_completed} looks at them, so the
 *       states it sees form one snapshot. Here no lock is taken: the futures are scanned until two
 *       scans in a row agree, which gives the same snapshot (checked by the stress module's {@code
 *       WaitSnapshotLincheckTest}).
 *   <li>{@code TimeoutError} is {@link WaitTimeoutException}; an interrupt is {@link
 *       WaitInterruptedException} with the flag set again.
 *   <li>{@code combine} is the Hazelcast client's {@code combine_futures}; with several failures it
 *       fails with a {@link CombinedException} that carries them all (the first as cause), which
 *       Python cannot do.
 * </ul>
 */
public final class Futures {
  private Futures() {}

  // ---------------------------------------------------------------- wait

  /**
   * Waits until every future is done: Python's {@code wait(fs)} ({@code ALL_COMPLETED}, no
   * timeout).
   *
   * @param futures the futures to wait for; duplicates count once
   * @param <F> the type of the futures
   * @return the done and not-done futures (after this call, not-done is empty)
   * @throws NullPointerException if {@code futures} or one of its elements is null
   * @throws WaitInterruptedException if the thread is interrupted while it would block (its flag is
   *     set again)
   * @throws IllegalStateException if it would block on a thread that may not block ({@link
   *     BlockingGuard})
   */
  public static <F extends ConcurrentFuture<?>> DoneAndNotDone<F> wait(
      Collection<? extends F> futures) {
    return waitFor(distinct(futures), false, 0L, ReturnWhen.ALL_COMPLETED);
  }

  /**
   * Waits at most {@code timeout} until every future is done: Python's {@code wait(fs, timeout)}.
   * Running out of time is not an error: the unfinished futures are in {@code notDone}.
   *
   * @param futures the futures to wait for; duplicates count once
   * @param timeout how long to wait in total; zero only looks
   * @param <F> the type of the futures
   * @return the done and not-done futures
   * @throws NullPointerException if {@code futures}, one of its elements or {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws WaitInterruptedException if the thread is interrupted while it would block (its flag is
   *     set again)
   * @throws IllegalStateException if it would block on a thread that may not block ({@link
   *     BlockingGuard})
   */
  public static <F extends ConcurrentFuture<?>> DoneAndNotDone<F> wait(
      Collection<? extends F> futures, Duration timeout) {
    return wait(futures, timeout, ReturnWhen.ALL_COMPLETED);
  }

  /**
   * Waits until the condition holds: Python's {@code wait(fs, return_when=...)}.
   *
   * @param futures the futures to wait for; duplicates count once
   * @param returnWhen when to return
   * @param <F> the type of the futures
   * @return the done and not-done futures
   * @throws NullPointerException if {@code futures}, one of its elements or {@code returnWhen} is
   *     null
   * @throws WaitInterruptedException if the thread is interrupted while it would block (its flag is
   *     set again)
   * @throws IllegalStateException if it would block on a thread that may not block ({@link
   *     BlockingGuard})
   */
  public static <F extends ConcurrentFuture<?>> DoneAndNotDone<F> wait(
      Collection<? extends F> futures, ReturnWhen returnWhen) {
    LinkedHashSet<F> fs = distinct(futures);
    Objects.requireNonNull(returnWhen, "returnWhen must not be null");
    return waitFor(fs, false, 0L, returnWhen);
  }

  /**
   * Waits until the condition holds or {@code timeout} passes: Python's {@code wait(fs, timeout,
   * return_when)}.
   *
   * <p>If the condition already holds (for {@code FIRST_COMPLETED}: some future is done; for {@code
   * FIRST_EXCEPTION}: some done future raised; always: every future is done), the call returns at
   * once and installs nothing. The timeout counts once for the whole call; a zero timeout only
   * looks. On return, {@code done} holds every future that was done by then.
   *
   * @param futures the futures to wait for; duplicates count once
   * @param timeout how long to wait in total; zero only looks
   * @param returnWhen when to return
   * @param <F> the type of the futures
   * @return the done and not-done futures
   * @throws NullPointerException if {@code futures}, one of its elements, {@code timeout} or {@code
   *     returnWhen} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws WaitInterruptedException if the thread is interrupted while it would block (its flag is
   *     set again)
   * @throws IllegalStateException if it would block on a thread that may not block ({@link
   *     BlockingGuard})
   */
  public static <F extends ConcurrentFuture<?>> DoneAndNotDone<F> wait(
      Collection<? extends F> futures, Duration timeout, ReturnWhen returnWhen) {
    LinkedHashSet<F> fs = distinct(futures);
    long nanos = Timeouts.toNanos(timeout, "timeout");
    Objects.requireNonNull(returnWhen, "returnWhen must not be null");
    return waitFor(fs, true, nanos, returnWhen);
  }

  private static <F extends ConcurrentFuture<?>> DoneAndNotDone<F> waitFor(
      LinkedHashSet<F> fs, boolean timed, long nanos, ReturnWhen returnWhen) {
    // lists: the futures are distinct already, so the result sets need no second hashing
    ArrayList<F> done = new ArrayList<>();
    ArrayList<F> notDone = new ArrayList<>();
    snapshot(fs, done, notDone);
    boolean anyFailed = false;
    for (F f : done) {
      anyFailed |= f.rawState() instanceof Failure;
    }
    if (notDone.isEmpty()
        || (returnWhen == ReturnWhen.FIRST_COMPLETED && !done.isEmpty())
        || (returnWhen == ReturnWhen.FIRST_EXCEPTION && anyFailed)) {
      return new DoneAndNotDone<>(new FrozenSet<>(done), new FrozenSet<>(notDone));
    }
    if (Thread.interrupted()) {
      throw interrupted(returnWhen, notDone.size(), fs.size());
    }
    if (timed && nanos == 0L) {
      return new DoneAndNotDone<>(new FrozenSet<>(done), new FrozenSet<>(notDone));
    }
    BlockingGuard.checkMayBlock(
        "Futures.wait(" + returnWhen + ") on " + notDone.size() + " futures");
    long deadline = timed ? Timeouts.deadline(nanos) : 0L;
    WaitWaiter waiter = new WaitWaiter(Thread.currentThread(), returnWhen, notDone.size());
    try {
      for (F f : notDone) {
        if (!f.push(waiter)) {
          waiter.accept(f); // settled since the scan
        }
        if (waiter.fired) {
          break;
        }
      }
      while (!waiter.fired) {
        if (Thread.interrupted()) {
          throw interrupted(returnWhen, notDone.size(), fs.size());
        }
        if (timed) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0L) {
            break;
          }
          LockSupport.parkNanos(waiter, remaining);
        } else {
          LockSupport.park(waiter);
        }
      }
    } finally {
      waiter.thread = null;
      for (F f : notDone) {
        f.remove(waiter, true);
      }
    }
    snapshot(fs, done, notDone);
    return new DoneAndNotDone<>(new FrozenSet<>(done), new FrozenSet<>(notDone));
  }

  /**
   * Splits the futures into settled and not settled as they were at one instant, without locks:
   * CPython holds every future's lock while it looks. Settledness only ever grows, so two scans in
   * a row that find as many settled futures found the same ones, and no future changed in between:
   * the second scan is a snapshot. A retry needs a future to settle meanwhile, so it ends.
   */
  static <F extends ConcurrentFuture<?>> void snapshot(
      Collection<F> fs, Collection<F> done, Collection<F> notDone) {
    int previous = 0; // the first scan only counts: the sizes alone tell two scans apart
    for (F f : fs) {
      if (ConcurrentFuture.isSettled(f.rawState())) {
        previous++;
      }
    }
    for (; ; ) {
      done.clear();
      notDone.clear();
      for (F f : fs) {
        (ConcurrentFuture.isSettled(f.rawState()) ? done : notDone).add(f);
      }
      if (done.size() == previous) {
        return;
      }
      previous = done.size();
    }
  }

  private static WaitInterruptedException interrupted(
      ReturnWhen returnWhen, int unfinished, int n) {
    Thread.currentThread().interrupt();
    return new WaitInterruptedException(
        "Interrupted in Futures.wait("
            + returnWhen
            + ") with "
            + unfinished
            + " (of "
            + n
            + ") futures unfinished",
        new InterruptedException());
  }

  /**
   * The one waiter of a {@code wait} call: CPython's {@code _FirstCompletedWaiter} and {@code
   * _AllCompletedWaiter}. It counts settled futures and unparks the waiting thread once.
   */
  private static final class WaitWaiter extends NotifyOnlyCallback {
    private static final VarHandle PENDING;

    static {
      try {
        PENDING = MethodHandles.lookup().findVarHandle(WaitWaiter.class, "pending", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final ReturnWhen returnWhen;
    volatile Thread thread;
    volatile boolean fired;

    @SuppressWarnings("unused") // accessed through PENDING
    private volatile int pending;

    WaitWaiter(Thread thread, ReturnWhen returnWhen, int pending) {
      this.thread = thread;
      this.returnWhen = returnWhen;
      this.pending = pending;
    }

    @Override
    public void accept(Object future) {
      if (fired) {
        return;
      }
      boolean fire;
      if (returnWhen == ReturnWhen.FIRST_COMPLETED) {
        fire = true;
      } else if (returnWhen == ReturnWhen.FIRST_EXCEPTION
          && ((ConcurrentFuture<?>) future).rawState() instanceof Failure) {
        fire = true; // stop_on_exception; a cancellation only counts down, as in CPython
      } else {
        fire = (int) PENDING.getAndAdd(this, -1) == 1;
      }
      if (fire) {
        fired = true;
        Thread t = thread;
        if (t != null) {
          LockSupport.unpark(t);
        }
      }
    }
  }

  // ---------------------------------------------------------------- asCompleted

  /**
   * Returns an iterator that yields each future as it completes: Python's {@code as_completed(fs)},
   * without a timeout.
   *
   * <p>See {@link #asCompleted(Collection, Duration)}.
   *
   * @param futures the futures; duplicates are yielded once
   * @param <F> the type of the futures
   * @return a lazy, single-use iterator
   * @throws NullPointerException if {@code futures} or one of its elements is null
   */
  public static <F extends ConcurrentFuture<?>> FutureIterator<F> asCompleted(
      Collection<? extends F> futures) {
    return new AsCompletedIterator<>(distinct(futures), false, 0L);
  }

  /**
   * Returns an iterator that yields each future once it is done (FINISHED or
   * CANCELLED_AND_NOTIFIED): Python's {@code as_completed(fs, timeout)}.
   *
   * <p>The collection is copied now; the iteration itself is lazy: the first {@code next()} yields
   * the futures already done, then each other one as it becomes done. {@code hasNext()} is true
   * while some future has not been yielded; {@code next()} blocks until one is done. The timeout
   * counts from this call (the docs' "from the original call"); once it has passed with futures
   * still unfinished, {@code next()} throws {@link WaitTimeoutException} with CPython's message
   * {@code "2 (of 4) futures unfinished"} and the iteration ends. A yielded future is no longer
   * referenced by the iterator. {@link FutureIterator#close()} (or try-with-resources) ends the
   * iteration early and removes the waiter from the futures not yet done. An interrupt during
   * {@code next()} ends the iteration too, sets the interrupt flag again and throws {@link
   * WaitInterruptedException}. Use from one thread at a time, like a Python generator.
   *
   * @param futures the futures; duplicates are yielded once
   * @param timeout how long the whole iteration may take; zero yields only what is already done
   * @param <F> the type of the futures
   * @return a lazy, single-use iterator
   * @throws NullPointerException if {@code futures}, one of its elements or {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static <F extends ConcurrentFuture<?>> FutureIterator<F> asCompleted(
      Collection<? extends F> futures, Duration timeout) {
    LinkedHashSet<F> fs = distinct(futures);
    long nanos = Timeouts.toNanos(timeout, "timeout");
    return new AsCompletedIterator<>(fs, true, Timeouts.deadline(nanos));
  }

  // ---------------------------------------------------------------- combine

  /**
   * Returns a future of all the inputs' results, in input order: the Hazelcast client's {@code
   * combine_futures}.
   *
   * <p>The combined future completes only when every input is done, even after a failure. If all
   * succeeded, its result is an unmodifiable list (which may hold nulls) of their results in input
   * order. Otherwise it fails with the first failure in completion order: that very exception when
   * no other distinct exception came later; else a new {@link CombinedException} whose cause is the
   * first failure and which carries every later distinct failure as {@linkplain
   * Throwable#getSuppressed suppressed}. The inputs' own exceptions are never changed (other
   * readers share them). A cancelled input counts as a failure: when it is the first one the
   * combined future is cancelled with the same message (later failures are then not reported); when
   * it comes later, a {@link java.util.concurrent.CancellationException} carrying its message is
   * one of the suppressed. The inputs' exceptions count as retrieved. An empty list gives a future
   * already completed with an empty list.
   *
   * <p>Cancelling the combined future does not cancel the inputs (they may have other consumers).
   * The inputs can be listed more than once; the list is copied at the call.
   *
   * <p>Inputs of different types need no cast: a {@code List<ConcurrentFuture<?>>} (or {@code
   * List.of(aString, anInteger)} assigned to a {@code ConcurrentFuture<List<Object>>}) gives a
   * {@code ConcurrentFuture<List<Object>>}. For two or three inputs, {@link
   * #combine(ConcurrentFuture, ConcurrentFuture, BiFunction)} keeps each type.
   *
   * @param futures the inputs
   * @param <V> the inputs' result type
   * @return the combined future
   * @throws NullPointerException if {@code futures} or one of its elements is null; no callback is
   *     registered then
   */
  public static <V> ConcurrentFuture<List<V>> combine(
      List<? extends ConcurrentFuture<? extends V>> futures) {
    Objects.requireNonNull(futures, "futures must not be null");
    Object[] inputs = futures.toArray();
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        throw new NullPointerException("futures[" + i + "] must not be null");
      }
    }
    if (inputs.length == 0) {
      return completed(List.of());
    }
    return new Combiner<V>(inputs).start();
  }

  /**
   * Returns a future of {@code fn} applied to the results of two futures of any types, once both
   * succeed: {@link #combine(List)} with the types kept.
   *
   * <pre>{@code
   * ConcurrentFuture<String> name = ...;
   * ConcurrentFuture<Integer> age = ...;
   * ConcurrentFuture<String> line = Futures.combine(name, age, (n, a) -> n + " is " + a);
   * }</pre>
   *
   * <p>Failures follow {@link #combine(List)} exactly: the returned future completes only when both
   * inputs are done; it fails as {@link #combine(List)} does (the first failure in completion
   * order; a {@link CombinedException} when later distinct ones came too), is cancelled with the
   * message of a first input cancelled, and {@code fn} is then not called. What {@code fn} throws
   * becomes the returned future's exception. {@code fn} runs on the thread that completes the last
   * input (or in the caller if both are done already). Cancelling the returned future does not
   * cancel the inputs; {@code fn} is then skipped.
   *
   * @param a the first input
   * @param b the second input
   * @param fn combines the two results; receives them in argument order
   * @param <A> the first input's result type
   * @param <B> the second input's result type
   * @param <R> the combined result type
   * @return the combined future
   * @throws NullPointerException if {@code a}, {@code b} or {@code fn} is null; nothing is
   *     registered then
   */
  public static <A, B, R> ConcurrentFuture<R> combine(
      ConcurrentFuture<? extends A> a,
      ConcurrentFuture<? extends B> b,
      BiFunction<? super A, ? super B, ? extends R> fn) {
    return TypedCombine.of(a, b, fn);
  }

  /**
   * Returns a future of {@code fn} applied to the results of three futures of any types, once all
   * three succeed. The rules of {@link #combine(ConcurrentFuture, ConcurrentFuture, BiFunction)}
   * apply.
   *
   * @param a the first input
   * @param b the second input
   * @param c the third input
   * @param fn combines the three results; receives them in argument order
   * @param <A> the first input's result type
   * @param <B> the second input's result type
   * @param <C> the third input's result type
   * @param <R> the combined result type
   * @return the combined future
   * @throws NullPointerException if {@code a}, {@code b}, {@code c} or {@code fn} is null; nothing
   *     is registered then
   */
  public static <A, B, C, R> ConcurrentFuture<R> combine(
      ConcurrentFuture<? extends A> a,
      ConcurrentFuture<? extends B> b,
      ConcurrentFuture<? extends C> c,
      Function3<? super A, ? super B, ? super C, ? extends R> fn) {
    return TypedCombine.of(a, b, c, fn);
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Returns true if {@code obj} is a future of this library: asyncio's {@code isfuture}. In core
   * that means a {@link ConcurrentFuture}; the loop module extends it to its loop-bound futures.
   *
   * @param obj any object, may be null
   * @return whether {@code obj} is a future of this library
   */
  public static boolean isFuture(Object obj) {
    return obj instanceof ConcurrentFuture;
  }

  /**
   * Returns a future already FINISHED with {@code value} (the Hazelcast client's {@code
   * ImmediateFuture}).
   *
   * @param value the result, may be null
   * @param <V> the result type
   * @return a finished future
   */
  public static <V> ConcurrentFuture<V> completed(V value) {
    ConcurrentFuture<V> f = new ConcurrentFuture<>();
    f.trySetResult(value);
    return f;
  }

  /**
   * Returns a future already FINISHED with {@code exception} (the Hazelcast client's {@code
   * ImmediateExceptionFuture}). Like any failed future, it is logged if it is garbage-collected
   * with its exception never retrieved.
   *
   * @param exception the exception
   * @param <V> the result type
   * @return a failed future
   * @throws NullPointerException if {@code exception} is null
   */
  public static <V> ConcurrentFuture<V> failed(Throwable exception) {
    Objects.requireNonNull(exception, "exception must not be null");
    ConcurrentFuture<V> f = new ConcurrentFuture<>();
    f.trySetException(exception);
    return f;
  }

  /** Copies the futures into an ordered set, checking for nulls by position. */
  private static <F> LinkedHashSet<F> distinct(Collection<? extends F> futures) {
    Objects.requireNonNull(futures, "futures must not be null");
    // sized for every future at the default load factor: no rehash while copying
    LinkedHashSet<F> fs = new LinkedHashSet<>(Math.max(16, (int) (futures.size() / 0.75f) + 1));
    int i = 0;
    for (F f : futures) {
      if (f == null) {
        throw new NullPointerException("futures[" + i + "] must not be null");
      }
      fs.add(f);
      i++;
    }
    return fs;
  }
}
