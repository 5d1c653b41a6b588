package dev.eventual;

import dev.eventual.internal.CallbackRunner;
import dev.eventual.internal.CallbackStack;
import dev.eventual.internal.Failure;
import dev.eventual.internal.FutureAccess;
import dev.eventual.internal.NotifyOnlyCallback;
import dev.eventual.internal.Outcome;
import dev.eventual.internal.Outcome.Cancelled;
import dev.eventual.internal.RawResults;
import dev.eventual.internal.ResultRepr;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The eventual result of an asynchronous computation, safe to use from any thread: Python's {@code
 * concurrent.futures.Future}, with the Hazelcast client's {@code continue_with}, {@code is_success}
 * and {@code traceback}, and the JDK's {@link Future} contract.
 *
 * <p>Executors create these futures; {@code new ConcurrentFuture<>()} is for tests and for code
 * that completes a future by hand. A future is PENDING, then maybe RUNNING, and ends FINISHED (a
 * result or an exception) or CANCELLED (see {@link FutureState}).
 *
 * <p>Callbacks run on the thread that completes the future, in registration order, or at once in
 * the caller when the future is already done. A callback that throws is logged through {@link
 * System.Logger} (logger {@code dev.eventual.ConcurrentFuture}) and the others still run. A failed
 * future whose exception nobody retrieved (no {@code result}, {@code exception}, {@code get} and no
 * callback) is logged when it is garbage-collected, as asyncio does.
 *
 * <h2>Differences from Python</h2>
 *
 * <table>
 *   <caption>Python's concurrent.futures.Future and the JDK's Future, side by side</caption>
 *   <tr><th>call</th><th>meaning here</th></tr>
 *   <tr><td>{@link #cancel()}, {@link #cancel(String)}</td>
 *       <td>Python: succeeds only while PENDING; true again when already cancelled; false once
 *       RUNNING or FINISHED. The message travels in the {@link CancellationException}.</td></tr>
 *   <tr><td>{@link #cancel(boolean)}</td>
 *       <td>JDK: also cancels a RUNNING future (it becomes CANCELLED_AND_NOTIFIED at once, since its
 *       executor will never be asked again); with {@code true} the worker running it is interrupted,
 *       only while it runs this task. False once FINISHED.</td></tr>
 *   <tr><td>{@link #result()}, {@link #exception()}</td>
 *       <td>Unchecked: an unchecked exception or error is rethrown as the same object, a checked one
 *       wrapped once in {@link CompletionException}. A timeout throws {@link WaitTimeoutException};
 *       an interrupt sets the flag again and throws {@link WaitInterruptedException}.</td></tr>
 *   <tr><td>{@link #get()}, {@link #get(long, TimeUnit)}</td>
 *       <td>JDK: {@link ExecutionException}, checked {@link TimeoutException} and {@link
 *       InterruptedException}.</td></tr>
 *   <tr><td>{@code CancelledError}</td><td>{@link CancellationException}.</td></tr>
 *   <tr><td>{@code running()}, {@code done()}, {@code cancelled()}</td>
 *       <td>{@link #isRunning()}, {@link #isDone()}, {@link #isCancelled()}.</td></tr>
 *   <tr><td>{@code remove_done_callback}</td>
 *       <td>Not in {@code concurrent.futures}; taken from asyncio: returns how many were removed.</td>
 *   </tr>
 *   <tr><td>{@code _state}</td><td>{@link #futureState()} ({@code state()} is the JDK's).</td></tr>
 *   <tr><td>{@code set_running_or_notify_cancel}</td>
 *       <td>Python raises {@code RuntimeError} in an unexpected state; here {@link
 *       InvalidStateException}.</td></tr>
 *   <tr><td>{@code repr(future)}</td>
 *       <td>{@link #toString()}: the state by its name ({@code CANCELLED_AND_NOTIFIED} too); the
 *       result by value for boxed primitives, strings, big numbers and enum constants, else as
 *       {@code Class@hash} (CPython shows only the result's type).</td></tr>
 *   <tr><td>Hazelcast's {@code continue_with}</td>
 *       <td>{@link #continueWith} never flattens; {@link #continueWithFuture} follows the future
 *       {@code fn} returns, one level: a result that is itself a future is delivered as it is, as
 *       the types say (Hazelcast unwraps nested futures recursively).</td></tr>
 *   <tr><td>{@link #withTimeout}, {@link #withTimeoutFallback}</td>
 *       <td>No Python name (asyncio's {@code wait_for} and {@code timeout} block a coroutine); like
 *       Guava's {@code withTimeout}, they return a new future and leave this one to its
 *       owner.</td></tr>
 *   <tr><td>an exception nobody retrieved</td>
 *       <td>{@code concurrent.futures} drops it silently; here it is logged when the future is
 *       garbage-collected, as asyncio does.</td></tr>
 * </table>
 *
 * @param <V> the result type; {@code null} is a valid result
 */
public class ConcurrentFuture<V> implements Future<V> {
  /*
   * Implementation overview.
   *
   * The whole state is one volatile field, changed only by CAS:
   *
   *   null                  PENDING, no callbacks (a new future allocates nothing else)
   *   a Consumer            PENDING with exactly one callback, stored as given (no node)
   *   CallbackStack         PENDING or RUNNING (head.running) with a list of callbacks,
   *                         newest first; CallbackStack.RUNNING is RUNNING with none
   *   Cancelled             CANCELLED (notified == false, keeps wait/asCompleted waiters)
   *                         or CANCELLED_AND_NOTIFIED (notified == true)
   *   Failure               FINISHED with an exception
   *   Boxed                 FINISHED with null, or with a result that could be mistaken for
   *                         a state (a Consumer, a CallbackStack or an Outcome)
   *   anything else         FINISHED with that very object as result (no allocation)
   *
   * Transitions:
   *   not done  -> FINISHED / CANCELLED   one CAS installs the outcome; the CAS winner
   *                                       then runs the callbacks it replaced
   *   PENDING   -> RUNNING                setRunningOrNotifyCancel: CAS in a running node
   *   CANCELLED -> CANCELLED_AND_NOTIFIED setRunningOrNotifyCancel: wakes the waiters kept
   *
   * Adding a callback pushes a node (or stores the first one raw); removing copies the
   * prefix above the last match and CASes the head. Starting a future marks its list
   * RUNNING: a lone raw callback becomes one node with the running bit, a longer list gets
   * a marker node (callback null) pushed on it, no callbacks becomes CallbackStack.RUNNING.
   * Every node pushed later carries the bit, and a removal that drops every node with the
   * bit puts a marker back, so removing callbacks never loses it. Blocked threads wait as
   * ThreadWaiter callbacks that unpark them, and remove themselves on timeout or interrupt,
   * so nothing is left behind. wait/asCompleted waiters are NotifyOnlyCallbacks: a plain
   * cancel keeps them in the Cancelled outcome until the executor acknowledges the
   * cancellation.
   * Nested completions drain through CallbackRunner, which trampolines deep chains.
   *
   * Unretrieved failures: trySetException registers the Failure with a Cleaner (only failed
   * futures pay). A user's callback, result(), exception(), get() and exceptionNow() mark it
   * retrieved; the library's own callbacks (Internal, NotifyOnlyCallback) do not, and a
   * continuation marks it only when it really calls fn.
   */

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(ConcurrentFuture.class, "state", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    FutureAccess.install(
        new FutureAccess() {
          @Override
          public Object outcomeOf(ConcurrentFuture<?> future) {
            Object s = future.state;
            return isDone(s) ? s : null;
          }

          @Override
          public boolean completeFrom(ConcurrentFuture<?> future, Object outcome) {
            return future.completeFrom(outcome);
          }

          @Override
          public boolean cancelAndNotify(ConcurrentFuture<?> future) {
            return future.cancelAndNotify();
          }
        });
  }

  private static final System.Logger LOG = System.getLogger("dev.eventual.ConcurrentFuture");

  /** Runs the callbacks of a completed ConcurrentFuture; one instance for all of them. */
  private static final CallbackRunner.Drainer DRAINER =
      (target, callbacks, outcome) -> ((ConcurrentFuture<?>) target).drain(callbacks, outcome);

  @SuppressWarnings("unused") // accessed through STATE
  private volatile Object state;

  /** Creates a PENDING future. */
  public ConcurrentFuture() {}

  // ---------------------------------------------------------------- state decoding

  static boolean isDone(Object s) {
    if (s == null || s instanceof CallbackStack) {
      return false;
    }
    // A raw object is a result unless it is a lone callback (results that are Consumers are
    // boxed): RawResults tells them apart the way that is cheapest on this JDK.
    return s instanceof Outcome || RawResults.isResult(s);
  }

  /** Done in the sense of wait() and asCompleted(): FINISHED or CANCELLED_AND_NOTIFIED. */
  static boolean isSettled(Object s) {
    return isDone(s) && !(s instanceof Cancelled && !((Cancelled) s).notified);
  }

  final Object rawState() {
    return state;
  }

  /**
   * Returns true if the future was cancelled or finished: Python's {@code done()}.
   *
   * @return whether the future is done
   */
  @Override
  public boolean isDone() {
    return isDone(state);
  }

  /**
   * Returns true if the future was cancelled: Python's {@code cancelled()}.
   *
   * @return whether the future is CANCELLED or CANCELLED_AND_NOTIFIED
   */
  @Override
  public boolean isCancelled() {
    return state instanceof Cancelled;
  }

  /**
   * Returns true while an executor runs the call: Python's {@code running()}.
   *
   * @return whether the future is RUNNING
   */
  public boolean isRunning() {
    Object s = state;
    return s instanceof CallbackStack && ((CallbackStack) s).running;
  }

  /**
   * Whether a thread about to block on this future should first look a few more times, in case
   * another thread is about to complete it (the cross-thread hand-off). True here; not for the
   * future of an executor's task ({@link TaskFuture}).
   *
   * @return true if a brief spin before parking is worth its processor time
   */
  boolean spinBeforeBlocking() {
    return true;
  }

  /**
   * Returns true if the future finished with a result (Hazelcast's {@code is_success}).
   *
   * @return whether the future is done, not cancelled, and has no exception
   */
  public boolean isSuccess() {
    Object s = state;
    return isDone(s) && !(s instanceof Failure) && !(s instanceof Cancelled);
  }

  /**
   * Returns the state by CPython's name. Not called {@code state()}: that is the JDK 19+ method of
   * {@link Future}, which keeps working with its own meaning.
   *
   * @return the current state
   */
  public FutureState futureState() {
    return Outcomes.stateOf(state);
  }

  // ---------------------------------------------------------------- completing

  /**
   * Sets the result and runs the callbacks: Python's {@code set_result}. For executors and tests.
   *
   * @param result the result, may be {@code null}
   * @throws InvalidStateException if the future is already done; it is left unchanged
   */
  public void setResult(V result) {
    if (!trySetResult(result)) {
      throw new InvalidStateException(futureState() + ": " + this);
    }
  }

  /**
   * Sets the exception and runs the callbacks: Python's {@code set_exception}.
   *
   * @param exception the exception the call raised
   * @throws NullPointerException if {@code exception} is null; the future is left unchanged
   * @throws InvalidStateException if the future is already done; it is left unchanged
   */
  public void setException(Throwable exception) {
    if (!trySetException(exception)) {
      throw new InvalidStateException(futureState() + ": " + this);
    }
  }

  /**
   * Sets the result unless the future is already done.
   *
   * @param result the result, may be {@code null}
   * @return true if this call completed the future
   */
  public boolean trySetResult(V result) {
    Object outcome = Outcomes.encode(result);
    return complete(outcome);
  }

  /**
   * Sets the exception unless the future is already done.
   *
   * @param exception the exception the call raised
   * @return true if this call completed the future
   * @throws NullPointerException if {@code exception} is null; the future is left unchanged
   */
  public boolean trySetException(Throwable exception) {
    Objects.requireNonNull(exception, "exception must not be null");
    Failure failure = new Failure(exception);
    if (!complete(failure)) {
      return false;
    }
    failure.watch(this, ResultRepr.identity(this), LOG_UNRETRIEVED);
    return true;
  }

  /** Reports a failure nobody retrieved through {@link System.Logger}, as asyncio logs it. */
  private static final Failure.Reporter LOG_UNRETRIEVED =
      (owner, exception) ->
          LOG.log(
              System.Logger.Level.ERROR,
              Failure.NEVER_RETRIEVED + owner + " failed with " + exception,
              exception);

  /**
   * Sets the result of an executor's task, which is RUNNING: when nobody has added a callback or
   * waits, one CAS and no drain at all.
   *
   * @param value the task's result
   * @return true if this call completed the future
   */
  final boolean trySetResultOfRun(V value) {
    Object outcome = Outcomes.encode(value);
    return (state == CallbackStack.RUNNING
            && STATE.compareAndSet(this, CallbackStack.RUNNING, outcome))
        || complete(outcome);
  }

  private boolean complete(Object outcome) {
    for (; ; ) {
      Object s = state;
      // a lone callback is the commonest state a completion replaces: told by its class's
      // supertype cache, before isDone's lookup (a raw Consumer is never a result)
      if (!(s instanceof Consumer) && isDone(s)) {
        return false;
      }
      if (STATE.compareAndSet(this, s, outcome)) {
        if (s != null) {
          CallbackRunner.run(DRAINER, this, s, outcome);
        }
        return true;
      }
    }
  }

  /**
   * Marks the future RUNNING, or acknowledges its cancellation: Python's {@code
   * set_running_or_notify_cancel}. For executors, before they run the call.
   *
   * @return true if the future is now RUNNING; false if it was CANCELLED, in which case it is now
   *     CANCELLED_AND_NOTIFIED and {@code wait}/{@code asCompleted} see it done
   * @throws InvalidStateException if the future is RUNNING, FINISHED or already notified
   */
  public boolean setRunningOrNotifyCancel() {
    int started = startOrAcknowledge();
    if (started == UNEXPECTED_STATE) {
      throw new InvalidStateException("Future in unexpected state: " + futureState() + ": " + this);
    }
    return started == NOW_RUNNING;
  }

  /** {@link #startOrAcknowledge()}: this call moved the future from PENDING to RUNNING. */
  static final int NOW_RUNNING = 1;

  /** {@link #startOrAcknowledge()}: this call moved it from CANCELLED to CANCELLED_AND_NOTIFIED. */
  static final int NOW_NOTIFIED = 2;

  /** {@link #startOrAcknowledge()}: RUNNING, FINISHED or already notified; nothing changed. */
  static final int UNEXPECTED_STATE = 0;

  /**
   * {@link #setRunningOrNotifyCancel()} without the exception: for an executor's run that may find
   * its task taken by another run or by a shutdown, where the lost race is normal and must not cost
   * an exception and its message.
   *
   * @return {@link #NOW_RUNNING}, {@link #NOW_NOTIFIED} or {@link #UNEXPECTED_STATE}
   */
  final int startOrAcknowledge() {
    for (; ; ) {
      Object s = state;
      Object next;
      if (s == null) {
        next = CallbackStack.RUNNING;
      } else if (s instanceof CallbackStack) {
        CallbackStack stack = (CallbackStack) s;
        if (stack.running) {
          return UNEXPECTED_STATE;
        }
        next = new CallbackStack(null, stack, true);
      } else if (s instanceof Cancelled && !((Cancelled) s).notified) {
        Cancelled c = (Cancelled) s;
        next = c.message == null ? Cancelled.NOTIFIED : new Cancelled(c.message, null, true);
        if (STATE.compareAndSet(this, s, next)) {
          if (c.waiters != null) {
            CallbackRunner.run(DRAINER, this, c.waiters, next);
          }
          return NOW_NOTIFIED;
        }
        continue;
      } else if (isDone(s)) {
        return UNEXPECTED_STATE;
      } else {
        // one node carries the lone callback and the running bit; removing the callback
        // leaves CallbackStack.RUNNING (CallbackStack.without keeps the bit)
        next = new CallbackStack((Consumer<?>) s, null, true);
      }
      if (STATE.compareAndSet(this, s, next)) {
        return NOW_RUNNING;
      }
    }
  }

  // ---------------------------------------------------------------- cancelling

  /**
   * Cancels the future if it is still PENDING, and runs the callbacks: Python's {@code cancel()}.
   *
   * @return true if the future is cancelled (now or before); false if it is RUNNING or FINISHED
   */
  public boolean cancel() {
    return cancel((String) null);
  }

  /**
   * Cancels the future if it is still PENDING, with a message that every later {@link
   * CancellationException} carries: asyncio's {@code cancel(msg)} on the thread-safe future.
   *
   * @param message the cancel message, or {@code null}
   * @return true if the future is cancelled (now or before; an earlier message is kept); false if
   *     it is RUNNING or FINISHED
   */
  public boolean cancel(String message) {
    for (; ; ) {
      Object s = state;
      if (s instanceof Cancelled) {
        return true;
      }
      if (isDone(s) || (s instanceof CallbackStack && ((CallbackStack) s).running)) {
        return false;
      }
      CallbackStack kept =
          s instanceof CallbackStack ? CallbackStack.notifyOnly((CallbackStack) s) : null;
      if (s instanceof NotifyOnlyCallback) {
        kept = new CallbackStack((Consumer<?>) s, null, false);
      }
      Cancelled outcome =
          kept == null ? Cancelled.of(message) : new Cancelled(message, kept, false);
      if (STATE.compareAndSet(this, s, outcome)) {
        if (s != null) {
          CallbackRunner.run(DRAINER, this, s, outcome);
        }
        return true;
      }
    }
  }

  /**
   * Cancels the future with the JDK's meaning: a PENDING future as {@link #cancel()} does, and also
   * a RUNNING one, which becomes CANCELLED_AND_NOTIFIED at once; its eventual result is dropped.
   *
   * @param mayInterruptIfRunning whether the thread running the task should be interrupted (only
   *     executors' futures have one; the interrupt reaches it only while it runs this task)
   * @return true if the future is cancelled (now or before); false if it is FINISHED
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    for (; ; ) {
      Object s = state;
      if (!(s instanceof CallbackStack && ((CallbackStack) s).running)) {
        if (cancel((String) null)) {
          return true;
        }
        if (isDone(state)) {
          return false; // FINISHED
        }
        continue; // it became RUNNING meanwhile: cancel it as RUNNING
      }
      if (STATE.compareAndSet(this, s, Cancelled.NOTIFIED)) {
        cancelRunningTask(mayInterruptIfRunning);
        CallbackRunner.run(DRAINER, this, s, Cancelled.NOTIFIED);
        return true;
      }
    }
  }

  /**
   * Cancels the future if it has not started, and acknowledges the cancellation at once, so that
   * {@code wait} and {@code asCompleted} see it done: what {@code shutdown(cancelFutures=true)}
   * does to every task it takes back. The one mechanism for every executor ({@link
   * FutureAccess#cancelAndNotify}); a lost race (acknowledged before) costs no exception.
   *
   * @return true if the future is now cancelled (by this call or before)
   */
  final boolean cancelAndNotify() {
    if (!cancel()) {
      return false;
    }
    // A worker (or an earlier shutdown) may have acknowledged it first: one notification is enough.
    if (startOrAcknowledge() == NOW_NOTIFIED) {
      cancelAcknowledged();
    }
    return true;
  }

  /**
   * Takes back an executor's task that nobody has seen yet (its submit has not returned it): moves
   * it from PENDING without callbacks straight to CANCELLED_AND_NOTIFIED, so that no run will start
   * it, and acknowledges nothing ({@link #cancelAcknowledged()} is not called: the refused submit
   * counts the task out itself).
   *
   * @return true if this call took the task back; false if a run started it or a shutdown or a
   *     breaking executor settled it first
   */
  final boolean takeBackUnseen() {
    return STATE.compareAndSet(this, null, Cancelled.NOTIFIED);
  }

  /**
   * Called once, by the {@link #cancelAndNotify()} that acknowledged the cancellation, for an
   * executor's task that then never runs. Does nothing here.
   */
  void cancelAcknowledged() {}

  /**
   * Hook for executors: called once, by the thread that moved a RUNNING future to cancelled through
   * {@link #cancel(boolean)}, before the callbacks run. The default does nothing.
   *
   * @param mayInterruptIfRunning the argument given to {@code cancel}
   */
  protected void cancelRunningTask(boolean mayInterruptIfRunning) {}

  // ---------------------------------------------------------------- callbacks

  /**
   * Adds a callback that receives this future when it is cancelled or finishes: Python's {@code
   * add_done_callback}. It runs at once, in the caller, when the future is already done; otherwise
   * on the thread that completes it. Callbacks run in registration order; one that throws is logged
   * and the rest still run.
   *
   * @param callback the callback
   * @throws NullPointerException if {@code callback} is null; nothing is added
   */
  public void addDoneCallback(Consumer<? super ConcurrentFuture<V>> callback) {
    Objects.requireNonNull(callback, "callback must not be null");
    if (!push(callback)) {
      invoke(callback, state);
    }
  }

  /**
   * Removes every registration of a callback, by {@code equals}: asyncio's {@code
   * remove_done_callback}. Once the future is done there is nothing left to remove.
   *
   * @param callback the callback to remove
   * @return how many registrations were removed
   * @throws NullPointerException if {@code callback} is null
   */
  public int removeDoneCallback(Consumer<? super ConcurrentFuture<V>> callback) {
    Objects.requireNonNull(callback, "callback must not be null");
    return remove(callback, false);
  }

  /** Pushes a callback; false if the future is done (for NotifyOnly: settled). */
  final boolean push(Consumer<?> callback) {
    for (; ; ) {
      Object s = state;
      Object next;
      if (s == null) {
        next = callback;
      } else if (s instanceof CallbackStack) {
        CallbackStack stack = (CallbackStack) s;
        next = new CallbackStack(callback, stack, stack.running);
      } else if (s instanceof Cancelled
          && !((Cancelled) s).notified
          && callback instanceof NotifyOnlyCallback) {
        Cancelled c = (Cancelled) s;
        next = new Cancelled(c.message, new CallbackStack(callback, c.waiters, false), false);
      } else if (isDone(s)) {
        return false;
      } else {
        next = new CallbackStack(callback, new CallbackStack((Consumer<?>) s, null, false), false);
      }
      if (STATE.compareAndSet(this, s, next)) {
        return true;
      }
    }
  }

  /** Removes callbacks equal (or identical) to the target; also from a Cancelled's waiters. */
  final int remove(Object target, boolean identity) {
    int[] removed = new int[1];
    for (; ; ) {
      Object s = state;
      Object next;
      if (s instanceof CallbackStack) {
        CallbackStack head = CallbackStack.without((CallbackStack) s, target, identity, removed);
        if (head == s) {
          return 0;
        }
        next = head;
      } else if (s instanceof Cancelled && ((Cancelled) s).waiters != null) {
        Cancelled c = (Cancelled) s;
        CallbackStack head = CallbackStack.without(c.waiters, target, identity, removed);
        if (head == c.waiters) {
          return 0;
        }
        next = new Cancelled(c.message, head, false);
      } else if (s == null || isDone(s)) {
        return 0;
      } else if (identity ? s == target : s.equals(target)) {
        next = null;
        removed[0] = 1;
      } else {
        return 0;
      }
      if (STATE.compareAndSet(this, s, next)) {
        return removed[0];
      }
    }
  }

  /**
   * Runs the callbacks that a completion replaced, through {@link #DRAINER}. When the last callback
   * is a plain continuation, the future it completes is drained in this same frame, and so on down
   * the chain: a chain of continuations runs as a loop, without recursion or thread-local lookups.
   */
  @SuppressWarnings("unchecked")
  private void drain(Object callbacks, Object outcome) {
    ConcurrentFuture<?> f = this;
    for (; ; ) {
      boolean keepWaiters = outcome instanceof Cancelled && !((Cancelled) outcome).notified;
      Consumer<Object> last;
      if (!(callbacks instanceof CallbackStack)) {
        last = (Consumer<Object>) callbacks;
      } else if ((last = CallbackStack.onlyCallback((CallbackStack) callbacks)) == null) {
        // several callbacks (a lone one, even under the RUNNING marker, needs no array)
        Consumer<Object>[] all = CallbackStack.inOrder((CallbackStack) callbacks);
        int n = all.length;
        if (n == 0) {
          return;
        }
        // CPython wakes the threads blocked in result() and the wait()/as_completed() waiters
        // (notify_all, add_result) before it invokes the callbacks: so do waiters here.
        boolean woken = false;
        for (int i = 0; i < n; i++) {
          if (wakesFirst(all[i])) {
            woken = true;
            if (!(keepWaiters && all[i] instanceof NotifyOnlyCallback)) {
              f.invoke(all[i], outcome);
            }
          }
        }
        for (int i = 0; i < n - 1; i++) {
          if (!(woken && wakesFirst(all[i]))) {
            f.invoke(all[i], outcome);
          }
        }
        last = all[n - 1];
        if (woken && wakesFirst(last)) {
          return; // woken in the first pass
        }
      }
      if (keepWaiters && last instanceof NotifyOnlyCallback) {
        return;
      }
      if (!(last instanceof Continuation)) {
        f.invoke(last, outcome);
        return;
      }
      Continuation<Object, ?> c = (Continuation<Object, ?>) (Consumer<?>) last;
      ConcurrentFuture<?> next = c.next();
      Object replaced = c.fireInChain((ConcurrentFuture<Object>) f, outcome);
      if (replaced == null) {
        return; // next had no callbacks, or was completed through the general path
      }
      f = next;
      callbacks = replaced;
      outcome = next.state; // a plain result: it never changes again
    }
  }

  /** Runs callbacks that {@link #swapInResult} returned, as a completion would have. */
  final void runReplacedCallbacks(Object callbacks) {
    CallbackRunner.run(DRAINER, this, callbacks, state);
  }

  /**
   * Installs a plain result without running callbacks, for a continuation draining a chain.
   *
   * @param value the result
   * @param expected the state last seen (not done): the first CAS tries it without reading again
   * @return the callbacks to run next (the state the result replaced), or null if there are none or
   *     the future was already done
   */
  final Object swapInResult(Object value, Object expected) {
    Object outcome = Outcomes.encode(value);
    Object s = expected;
    while (!STATE.compareAndSet(this, s, outcome)) {
      s = state;
      if (isDone(s)) {
        return null;
      }
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private void invoke(Consumer<?> callback, Object outcome) {
    if (outcome instanceof Failure
        && !(callback instanceof Internal)
        && !(callback instanceof NotifyOnlyCallback)) {
      ((Failure) outcome).markRetrieved();
    }
    try {
      ((Consumer<Object>) callback).accept(this);
    } catch (VirtualMachineError fatal) {
      CallbackRunner.fatalFromCallback(fatal); // the policy: dev.eventual.internal.FatalErrors
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.ERROR, "exception calling callback for " + this, t);
    }
  }

  /** Callbacks of the library that do not count as having seen an exception. */
  interface Internal {}

  /** A blocked thread's waiter: woken before the other callbacks run, as CPython does. */
  interface Waker extends Internal {}

  private static boolean wakesFirst(Consumer<?> callback) {
    return callback instanceof Waker || callback instanceof NotifyOnlyCallback;
  }

  // ---------------------------------------------------------------- reading

  /**
   * Waits for the future and returns its result: Python's {@code result()}.
   *
   * @return the result
   * @throws CancellationException if the future was cancelled (carries the cancel message)
   * @throws RuntimeException the very exception the call raised, if unchecked
   * @throws Error the very error the call raised
   * @throws CompletionException wrapping the exception the call raised, if checked
   * @throws WaitInterruptedException if the waiting thread is interrupted (its flag is set again)
   * @throws IllegalStateException if the future is not done and this thread may not block ({@link
   *     BlockingGuard}, e.g. an event loop's thread)
   */
  @SuppressWarnings("unchecked")
  public V result() {
    Object s = state;
    if (s != null && RawResults.isCommon(s.getClass())) {
      return (V) s; // the commonest finished state: a raw Integer, String, Long or Boolean
    }
    if (!isDone(s)) {
      s = Blocking.awaitUnchecked(this, false, 0L, "the result");
    }
    return Outcomes.report(s);
  }

  /**
   * Waits at most {@code timeout} for the future and returns its result: Python's {@code
   * result(timeout)}. A zero timeout only looks.
   *
   * @param timeout how long to wait, zero or positive
   * @return the result
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws WaitTimeoutException if the future is not done in time; the message says how long
   * @throws CancellationException if the future was cancelled (carries the cancel message)
   * @throws RuntimeException the very exception the call raised, if unchecked
   * @throws Error the very error the call raised
   * @throws CompletionException wrapping the exception the call raised, if checked
   * @throws WaitInterruptedException if the waiting thread is interrupted (its flag is set again)
   * @throws IllegalStateException if the future is not done and this thread may not block ({@link
   *     BlockingGuard}, e.g. an event loop's thread)
   */
  public V result(Duration timeout) {
    long nanos = Timeouts.toNanos(timeout, "timeout");
    Object s = state;
    if (!isDone(s)) {
      s = Blocking.awaitTimed(this, nanos, timeout, "the result");
    }
    return Outcomes.report(s);
  }

  /**
   * Waits for the future and returns the exception it raised, or {@code null} if it succeeded:
   * Python's {@code exception()}.
   *
   * @return the very exception that was set, or {@code null}
   * @throws CancellationException if the future was cancelled
   * @throws WaitInterruptedException if the waiting thread is interrupted (its flag is set again)
   * @throws IllegalStateException if the future is not done and this thread may not block ({@link
   *     BlockingGuard}, e.g. an event loop's thread)
   */
  public Throwable exception() {
    Object s = state;
    if (!isDone(s)) {
      s = Blocking.awaitUnchecked(this, false, 0L, "the exception");
    }
    return Outcomes.reportException(s);
  }

  /**
   * Waits at most {@code timeout} and returns the exception, or {@code null} if the future
   * succeeded: Python's {@code exception(timeout)}.
   *
   * @param timeout how long to wait, zero or positive
   * @return the very exception that was set, or {@code null}
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws WaitTimeoutException if the future is not done in time
   * @throws CancellationException if the future was cancelled
   * @throws WaitInterruptedException if the waiting thread is interrupted (its flag is set again)
   * @throws IllegalStateException if the future is not done and this thread may not block ({@link
   *     BlockingGuard}, e.g. an event loop's thread)
   */
  public Throwable exception(Duration timeout) {
    long nanos = Timeouts.toNanos(timeout, "timeout");
    Object s = state;
    if (!isDone(s)) {
      s = Blocking.awaitTimed(this, nanos, timeout, "the exception");
    }
    return Outcomes.reportException(s);
  }

  /**
   * Returns the stack trace of the exception the call raised (Hazelcast's {@code traceback()}).
   * Does not wait and does not count as retrieving the exception.
   *
   * @return the stack trace, or {@code null} if the future is not done, succeeded, or was cancelled
   */
  public StackTraceElement[] traceback() {
    Object s = state;
    return s instanceof Failure ? ((Failure) s).exception.getStackTrace() : null;
  }

  /**
   * Waits for the future: the JDK's {@link Future#get()}.
   *
   * @return the result
   * @throws CancellationException if the future was cancelled
   * @throws ExecutionException wrapping the exception the call raised
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws IllegalStateException if the future is not done and this thread may not block ({@link
   *     BlockingGuard})
   */
  @Override
  public V get() throws InterruptedException, ExecutionException {
    Object s = state;
    if (!isDone(s)) {
      s = Blocking.await(this, false, 0L);
    }
    return Outcomes.reportGet(s);
  }

  /**
   * Waits at most the given time: the JDK's {@link Future#get(long, TimeUnit)}.
   *
   * @param timeout how long to wait
   * @param unit the unit of {@code timeout}
   * @return the result
   * @throws NullPointerException if {@code unit} is null
   * @throws CancellationException if the future was cancelled
   * @throws ExecutionException wrapping the exception the call raised
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws IllegalStateException if the future is not done and this thread may not block ({@link
   *     BlockingGuard})
   * @throws TimeoutException if the future is not done in time
   */
  @Override
  public V get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    Objects.requireNonNull(unit, "unit must not be null");
    Object s = state;
    if (!isDone(s)) {
      s = Blocking.await(this, true, unit.toNanos(timeout));
      if (s == null) {
        throw new TimeoutException(
            "Timed out after " + timeout + " " + unit + " waiting for " + this);
      }
    }
    return Outcomes.reportGet(s);
  }

  /**
   * Returns the result without waiting, with the meaning of the JDK 19+ {@code Future.resultNow()}.
   *
   * @return the result
   * @throws IllegalStateException if the future is not done, failed, or was cancelled
   */
  public V resultNow() {
    Object s = state;
    if (!isDone(s)) {
      throw new IllegalStateException("Task has not completed");
    }
    if (s instanceof Failure) {
      throw new IllegalStateException("Task completed with exception");
    }
    if (s instanceof Cancelled) {
      throw new IllegalStateException("Task was cancelled");
    }
    return Outcomes.report(s);
  }

  /**
   * Returns the exception without waiting, with the meaning of the JDK 19+ {@code
   * Future.exceptionNow()}.
   *
   * @return the exception
   * @throws IllegalStateException if the future is not done, succeeded, or was cancelled
   */
  public Throwable exceptionNow() {
    Object s = state;
    if (!isDone(s)) {
      throw new IllegalStateException("Task has not completed");
    }
    if (s instanceof Cancelled) {
      throw new IllegalStateException("Task was cancelled");
    }
    if (!(s instanceof Failure)) {
      throw new IllegalStateException("Task completed with a result");
    }
    return Outcomes.reportException(s);
  }

  // ---------------------------------------------------------------- composition and interop

  /**
   * Returns a future completed by {@code fn} once this one is done, on success and on failure alike
   * (Hazelcast's {@code continue_with}). {@code fn} receives this finished future; what it returns
   * becomes the new future's result, what it throws the new future's exception. It runs where a
   * callback would. Cancelling the returned future does not cancel this one (it may have other
   * consumers); {@code fn} is then skipped.
   *
   * @param fn the continuation
   * @param <R> the continuation's result type
   * @return the continuation's future
   * @throws NullPointerException if {@code fn} is null
   */
  public <R> ConcurrentFuture<R> continueWith(
      Function<? super ConcurrentFuture<V>, ? extends R> fn) {
    Objects.requireNonNull(fn, "fn must not be null");
    ConcurrentFuture<R> next = new ConcurrentFuture<>();
    addDoneCallback(new Continuation<>(next, fn, false));
    return next;
  }

  /**
   * Like {@link #continueWith} for a continuation that returns a future: the returned future takes
   * that inner future's outcome (Hazelcast's flattening {@code continue_with}). Cancelling the
   * returned future cancels the inner future but not this one. The inner future may be any {@link
   * Future}; a {@link CompletionStage} or {@code ConcurrentFuture} is followed without blocking a
   * thread.
   *
   * @param fn the continuation; returning {@code null} fails the returned future with a {@link
   *     NullPointerException}
   * @param <R> the inner future's result type
   * @return the continuation's future
   * @throws NullPointerException if {@code fn} is null
   */
  public <R> ConcurrentFuture<R> continueWithFuture(
      Function<? super ConcurrentFuture<V>, ? extends Future<? extends R>> fn) {
    Objects.requireNonNull(fn, "fn must not be null");
    ConcurrentFuture<R> next = new ConcurrentFuture<>();
    addDoneCallback(new Continuation<>(next, fn, true));
    return next;
  }

  /**
   * Returns a future that takes this future's outcome, or fails with {@link WaitTimeoutException}
   * if this future is not done within {@code timeout}: a deadline that blocks no thread
   * (CompletableFuture's {@code orTimeout}). This future and its work are left alone; see {@link
   * #withTimeout(Duration, OnTimeout)} to cancel them.
   *
   * @param timeout how long this future may take; zero gives the verdict at once
   * @return a new future with the deadline
   * @throws NullPointerException if {@code timeout} is null; nothing is registered
   * @throws IllegalArgumentException if {@code timeout} is negative; nothing is registered
   */
  public ConcurrentFuture<V> withTimeout(Duration timeout) {
    return Deadline.start(this, timeout, false, null, OnTimeout.LEAVE_RUNNING);
  }

  /**
   * Returns a future that takes this future's outcome, or fails with {@link WaitTimeoutException}
   * if this future is not done within {@code timeout}; {@code onTimeout} says whether the work
   * behind this future is then cancelled (Guava's {@code Futures.withTimeout} always cancels it
   * with interruption: {@link OnTimeout#CANCEL_AND_INTERRUPT}).
   *
   * <p><b>A new future, not this one.</b> CompletableFuture's {@code orTimeout} completes the very
   * future it is called on. Here the deadline belongs to whoever asked for it: an executor's future
   * is completed only by its task (as in Python), and other holders of this future keep seeing the
   * task's real outcome. When this future is done first, its outcome (result, the very exception,
   * or cancellation with its message) passes to the returned future.
   *
   * <p>The deadline uses one shared daemon timer thread, started with the first deadline. Its entry
   * is removed as soon as the returned future is done, however that happens: a million futures that
   * finish (or fail, or are cancelled) before their deadlines leave nothing behind. When the time
   * is up, the returned future's callbacks run on that timer thread: keep them short, or hand work
   * to an executor. Cancelling the returned future releases the deadline and, unless {@code
   * onTimeout} is {@link OnTimeout#LEAVE_RUNNING}, cancels this future the same way.
   *
   * @param timeout how long this future may take; zero gives the verdict at once
   * @param onTimeout what to do to this future when the time is up
   * @return a new future with the deadline
   * @throws NullPointerException if {@code timeout} or {@code onTimeout} is null; nothing is
   *     registered
   * @throws IllegalArgumentException if {@code timeout} is negative; nothing is registered
   */
  public ConcurrentFuture<V> withTimeout(Duration timeout, OnTimeout onTimeout) {
    return Deadline.start(this, timeout, false, null, onTimeout);
  }

  /**
   * Returns a future that takes this future's outcome, or {@code fallback} as its result if this
   * future is not done within {@code timeout} (CompletableFuture's {@code completeOnTimeout}). This
   * future and its work are left alone. See {@link #withTimeout(Duration, OnTimeout)} for the
   * timer, and why this is a new future.
   *
   * @param timeout how long this future may take; zero gives the verdict at once
   * @param fallback the result when the time is up, may be null
   * @return a new future with the deadline
   * @throws NullPointerException if {@code timeout} is null; nothing is registered
   * @throws IllegalArgumentException if {@code timeout} is negative; nothing is registered
   */
  public ConcurrentFuture<V> withTimeoutFallback(Duration timeout, V fallback) {
    return Deadline.start(this, timeout, true, fallback, OnTimeout.LEAVE_RUNNING);
  }

  /**
   * Returns a future that takes this future's outcome, or {@code fallback} as its result if this
   * future is not done within {@code timeout}; {@code onTimeout} says whether this future's work is
   * then cancelled. See {@link #withTimeout(Duration, OnTimeout)}.
   *
   * @param timeout how long this future may take; zero gives the verdict at once
   * @param fallback the result when the time is up, may be null
   * @param onTimeout what to do to this future when the time is up
   * @return a new future with the deadline
   * @throws NullPointerException if {@code timeout} or {@code onTimeout} is null; nothing is
   *     registered
   * @throws IllegalArgumentException if {@code timeout} is negative; nothing is registered
   */
  public ConcurrentFuture<V> withTimeoutFallback(
      Duration timeout, V fallback, OnTimeout onTimeout) {
    return Deadline.start(this, timeout, true, fallback, onTimeout);
  }

  /**
   * Takes {@code inner}'s outcome once it is done; cancelling this future cancels {@code inner}.
   */
  final void follow(ConcurrentFuture<? extends V> inner) {
    inner.addDoneCallback(f -> completeFrom(f.rawState())); // retrieves inner's exception
    addDoneCallback(Interop.onCancel(() -> inner.cancel(false))); // does not retrieve ours
  }

  /**
   * Completes this future with a done outcome read from another future, of either kind: the one way
   * an outcome is copied into a {@code ConcurrentFuture} ({@link FutureAccess#completeFrom}).
   */
  final boolean completeFrom(Object s) {
    if (s instanceof Failure) {
      Failure f = (Failure) s;
      f.markRetrieved();
      return trySetException(f.exception);
    }
    if (s instanceof Cancelled) {
      return cancel(((Cancelled) s).message);
    }
    // a raw result as a ConcurrentFuture stores it, or a loop future's (null, a Consumer) encoded
    return complete(s instanceof Outcome ? s : Outcomes.encode(s));
  }

  /**
   * Returns a new {@link CompletableFuture} that completes as this future does. Cancelling it
   * cancels this future with {@link #cancel(boolean) cancel(false)}. A failure passes to the
   * CompletableFuture and counts as retrieved here: it is no longer logged when this future is
   * collected.
   *
   * @return a new CompletableFuture following this future
   */
  public CompletableFuture<V> toCompletableFuture() {
    return Interop.toCompletableFuture(this);
  }

  /**
   * Returns a future that completes as {@code stage} does; cancelling it cancels the stage (through
   * {@code toCompletableFuture().cancel(false)} where the stage supports it), and a cancelled stage
   * cancels it. A {@link CompletionException} wrapper added by the stage is removed.
   *
   * @param stage the stage to follow
   * @param <V> the result type
   * @return a future following the stage
   * @throws NullPointerException if {@code stage} is null
   */
  public static <V> ConcurrentFuture<V> fromCompletionStage(CompletionStage<? extends V> stage) {
    return Interop.fromCompletionStage(Objects.requireNonNull(stage, "stage must not be null"));
  }

  /**
   * Returns a future that completes as {@code future} does. A {@code ConcurrentFuture} is returned
   * as it is, a {@link CompletionStage} followed without blocking; any other future (a {@code
   * FutureTask}, a {@code ForkJoinTask}), which offers no callback, is polled by one shared daemon
   * thread, whatever the number of futures: it sees a completion within about 5 ms at worst (50
   * microseconds while completions keep coming), plus one {@code isDone()} per followed future.
   * Cancelling the returned future cancels {@code future} ({@code cancel(false)}), and a cancelled
   * {@code future} cancels it.
   *
   * @param future the future to follow
   * @param <V> the result type
   * @return a future following it
   * @throws NullPointerException if {@code future} is null
   */
  @SuppressWarnings("unchecked")
  public static <V> ConcurrentFuture<V> fromFuture(Future<? extends V> future) {
    Objects.requireNonNull(future, "future must not be null");
    if (future instanceof ConcurrentFuture) {
      return (ConcurrentFuture<V>) future;
    }
    return Interop.fromFuture(future);
  }

  /**
   * Describes the future by state name; an exception by its class; a result by value when it is one
   * of the JDK's immutable value types (boxed primitives, {@code String}, {@code BigInteger},
   * {@code BigDecimal}, an enum constant by name), else as {@code Class@hash}: a user's {@code
   * toString} is never called. The loop's futures follow the same rule.
   *
   * @return for example {@code ConcurrentFuture@1b6d3586[FINISHED returned 42]} or {@code
   *     ConcurrentFuture@1b6d3586[FINISHED returned com.example.Order@2a]}
   */
  @Override
  public String toString() {
    String head =
        getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this));
    return head + Outcomes.describe(state); // one snapshot: the state may move on meanwhile
  }
}
