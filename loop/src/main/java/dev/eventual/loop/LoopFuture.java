package dev.eventual.loop;

import dev.eventual.Context;
import dev.eventual.FutureState;
import dev.eventual.InvalidStateException;
import dev.eventual.internal.ContextAccess;
import dev.eventual.internal.CowMap;
import dev.eventual.internal.Failure;
import dev.eventual.internal.Outcome;
import dev.eventual.internal.Outcome.Cancelled;
import dev.eventual.loop.internal.Tracebacks;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The eventual result of an operation, bound to an {@link EventLoop}: Python's {@code
 * asyncio.Future}. Not thread-safe: use it from its loop's thread (or, while the loop is not
 * running, from the one thread that uses the loop). That keeps it cheap: plain fields, no atomics.
 * Other threads hand results over with {@link EventLoop#callSoonThreadsafe}, or through {@link
 * Asyncio#wrapFuture}.
 *
 * <p>A future is PENDING, then FINISHED (a result or an exception) or CANCELLED. Callbacks are
 * never run inline: when the future is done, they are scheduled on its loop as if by {@link
 * EventLoop#callSoon}, in registration order, and each runs in a copy of the {@link Context}
 * current when it was added (or in the one given). A failed future whose exception was never
 * retrieved ({@link #result()} or {@link #exception()}) is reported to its loop's exception handler
 * when it is garbage-collected.
 *
 * <h2>Differences from Python</h2>
 *
 * <table>
 *   <caption>asyncio.Future and this class</caption>
 *   <tr><th>asyncio</th><th>here</th></tr>
 *   <tr><td>{@code done()}, {@code cancelled()}, {@code _state}</td>
 *       <td>{@link #isDone()}, {@link #isCancelled()}, {@link #futureState()} (core's {@link
 *       FutureState}: PENDING, CANCELLED or FINISHED only).</td></tr>
 *   <tr><td>{@code InvalidStateError}, {@code CancelledError}</td>
 *       <td>{@link InvalidStateException}, {@link CancellationException} (carrying the cancel
 *       message).</td></tr>
 *   <tr><td>{@code result()} re-raising the exception</td>
 *       <td>An unchecked exception or error is rethrown as the same object, a checked one wrapped
 *       once in {@link CompletionException}; {@link #exception()} returns it as it was set.</td></tr>
 *   <tr><td>{@code Future(loop=None)}</td>
 *       <td>{@link #LoopFuture()} takes the running loop and fails without one; prefer {@link
 *       EventLoop#createFuture()}.</td></tr>
 *   <tr><td>{@code await future}</td><td>{@link Await#await(LoopFuture)} in a {@link Task}.</td></tr>
 *   <tr><td>{@code __del__} reporting the exception</td>
 *       <td>A {@link Cleaner} reports it (only failed futures pay); the report cannot name the
 *       collected future, so its description is in the message. The handler runs on the loop's
 *       thread at its next turn (or from {@code close()}), not where the collection was
 *       found.</td></tr>
 *   <tr><td>{@code repr(future)}</td>
 *       <td>{@link #toString()}: the state by its name; the result ({@code result=} in asyncio,
 *       which calls its {@code repr}) by value for boxed primitives, strings, big numbers and enum
 *       constants, else as {@code Class@hash} (a user's {@code toString} is never called; the rule
 *       of {@link dev.eventual.ConcurrentFuture#toString()}); the callbacks by class, and in debug
 *       mode where the future was created.</td></tr>
 *   <tr><td>{@code set_exception} with a class or {@code StopIteration}</td>
 *       <td>Only instances; no special case.</td></tr>
 * </table>
 *
 * @param <V> the result type; {@code null} is a valid result
 */
public class LoopFuture<V> {
  /** The outcome while the future is pending. */
  private static final Object PENDING = new Object();

  private static final ContextAccess CONTEXTS = ContextAccess.get();

  private final EventLoop loop;

  /**
   * {@link #PENDING}, or the done outcome in core's one form for both kinds of future ({@link
   * Outcome}): the result itself (possibly null; boxed only if it is an {@code Outcome}), a {@link
   * Failure} holding the exception, or a {@link Cancelled} with the message. One field instead of
   * state, result, exception and message keeps the future small (it is the one object every
   * operation allocates).
   */
  private Object outcome = PENDING;

  /**
   * The callbacks: null; the only one (its context in {@link #soleContext}), the common case, with
   * no list; or, from the second on, a {@link Registrations} list (users cannot create one, so it
   * is never mistaken for a callback). Once the future is done they are no longer registered but
   * scheduled: they stay here until the loop's turn runs them (outside debug mode).
   */
  private Object callbacks;

  /**
   * The context of the sole callback: a {@link Context} the caller gave; or, for the copy of the
   * current context that {@link #addDoneCallback(Consumer)} takes, only the variables it would hold
   * (a {@link CowMap}). The copy is then made as the callback runs, where no other code can reach
   * it: it costs no ownership check, and nothing at all until then.
   */
  private Object soleContext;

  private final StackTraceElement[] sourceTraceback;

  /** A callback and the context it runs in. */
  private record Registration<V>(Consumer<? super LoopFuture<V>> callback, Object context) {}

  /** The context a registration's {@code context} stands for (a new one for a snapshot). */
  private static Context contextOf(Object context) {
    return context instanceof Context c ? c : CONTEXTS.contextOf((CowMap) context);
  }

  /**
   * The registrations once there are two or more, in order.
   *
   * @param <V> the type of the future's result
   */
  private static final class Registrations<V> extends ArrayList<Registration<V>> {
    private static final long serialVersionUID = 1L;

    Registrations(int capacity) {
      super(capacity);
    }
  }

  /**
   * Creates a pending future bound to the loop running on this thread: Python's {@code
   * asyncio.Future()}.
   *
   * @throws IllegalStateException "no running event loop", if none runs on this thread
   */
  public LoopFuture() {
    this(EventLoop.getRunningLoop());
  }

  /**
   * Creates a pending future bound to {@code loop}: Python's {@code asyncio.Future(loop=loop)}.
   *
   * @param loop the loop that will run its callbacks
   * @throws NullPointerException if {@code loop} is null
   */
  public LoopFuture(EventLoop loop) {
    this.loop = Objects.requireNonNull(loop, "loop must not be null");
    this.sourceTraceback = loop.getDebug() ? Tracebacks.capture() : null;
  }

  /**
   * The loop this future is bound to: Python's {@code get_loop()}.
   *
   * @return the loop
   */
  public EventLoop getLoop() {
    return loop;
  }

  /**
   * Returns true if the future was cancelled or has a result or an exception: Python's {@code
   * done()}.
   *
   * @return whether the future is done
   */
  public boolean isDone() {
    return outcome != PENDING;
  }

  /**
   * Returns true if the future was cancelled: Python's {@code cancelled()}.
   *
   * @return whether the future is CANCELLED
   */
  public boolean isCancelled() {
    return outcome instanceof Cancelled;
  }

  /**
   * The state by CPython's name (asyncio's {@code _state}).
   *
   * @return PENDING, CANCELLED or FINISHED
   */
  public FutureState futureState() {
    Object o = outcome;
    return o == PENDING ? FutureState.PENDING : Outcome.stateOf(o);
  }

  /**
   * Where the future was created, in debug mode (asyncio's {@code _source_traceback}).
   *
   * @return the creator's stack, or null when the loop's debug mode was off
   */
  public StackTraceElement[] getSourceTraceback() {
    return sourceTraceback == null ? null : sourceTraceback.clone();
  }

  /** The message given to {@link #cancel(String)}, or null. */
  String cancelMessage() {
    return Outcome.cancelMessageOf(outcome);
  }

  /**
   * The done outcome ({@link Outcome}; a raw result may be null), read without retrieving anything.
   *
   * @throws InvalidStateException while the future is pending
   */
  final Object outcome() {
    Object o = outcome;
    if (o == PENDING) {
      throw new InvalidStateException("Result is not ready.");
    }
    return o;
  }

  /**
   * Completes this pending future with a done outcome read from another future, of either kind: the
   * same result, the same exception (the source's is marked retrieved), or a cancellation with the
   * same message. The one way an outcome is copied into a loop future.
   *
   * @param done a done outcome ({@link #outcome()}, or a {@code ConcurrentFuture}'s)
   * @throws InvalidStateException if this future already has a result or an exception
   * @throws IllegalStateException as {@link #setResult} throws it
   */
  @SuppressWarnings("unchecked")
  final void completeFrom(Object done) {
    if (done instanceof Failure f) {
      f.markRetrieved();
      setException(f.exception);
    } else if (done instanceof Cancelled c) {
      cancel(c.message);
    } else {
      setResult((V) Outcome.resultOf(done));
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Returns the result without waiting: Python's {@code result()}.
   *
   * @return the result
   * @throws InvalidStateException "Result is not ready." while the future is pending
   * @throws CancellationException if the future was cancelled (carries the cancel message)
   * @throws RuntimeException the very exception that was set, if unchecked
   * @throws Error the very error that was set
   * @throws CompletionException wrapping the exception that was set, if checked
   */
  public V result() {
    Object o = outcome;
    if (o == PENDING) {
      throw new InvalidStateException("Result is not ready.");
    }
    return Outcome.resultOf(o);
  }

  /**
   * Returns the exception that was set, or null if the future has a result: Python's {@code
   * exception()}. Never waits.
   *
   * @return the very exception that was set, or null
   * @throws InvalidStateException "Exception is not set." while the future is pending
   * @throws CancellationException if the future was cancelled (carries the cancel message)
   */
  public Throwable exception() {
    Object o = outcome;
    if (o == PENDING) {
      throw new InvalidStateException("Exception is not set.");
    }
    return Outcome.exceptionOf(o);
  }

  // ---------------------------------------------------------------- completing

  /**
   * Sets the result and schedules the callbacks: Python's {@code set_result}.
   *
   * @param result the result, may be null
   * @throws InvalidStateException if the future is already done; it is left unchanged
   * @throws IllegalStateException if callbacks must be scheduled on a closed loop, or if called
   *     from another thread than the one running the loop (always checked, not only in debug mode);
   *     the future is left unchanged
   */
  public void setResult(V result) {
    checkPending("setResult");
    outcome = Outcome.ofResult(result);
    scheduleCallbacks();
  }

  /**
   * Sets the exception and schedules the callbacks: Python's {@code set_exception}.
   *
   * @param exception the exception
   * @throws NullPointerException if {@code exception} is null; the future is left unchanged
   * @throws InvalidStateException if the future is already done; it is left unchanged
   * @throws IllegalStateException if callbacks must be scheduled on a closed loop, or if called
   *     from another thread than the one running the loop (always checked, not only in debug mode);
   *     the future is left unchanged
   */
  public void setException(Throwable exception) {
    Objects.requireNonNull(exception, "exception must not be null");
    checkPending("setException");
    Failure failure = new Failure(exception);
    outcome = failure;
    EventLoop l = loop; // the reporter must not capture this future, or it is never collected
    failure.watch(this, toString(), (description, ex) -> reportUnretrieved(l, description, ex));
    scheduleCallbacks();
  }

  /**
   * Hands a failure nobody retrieved to the loop's exception handler, on the loop's thread (the
   * report comes from the cleaner's thread): see {@link UnretrievedReports}.
   */
  private static void reportUnretrieved(EventLoop loop, String description, Throwable exception) {
    loop.unretrieved.report(
        new ExceptionContext(Failure.NEVER_RETRIEVED + description, exception, null, null));
  }

  private void checkPending(String method) {
    loop.checkThread(method);
    if (outcome != PENDING) {
      throw new InvalidStateException(futureState() + ": " + this);
    }
    if (callbacks != null) {
      loop.checkClosed();
    }
  }

  /**
   * Cancels the future and schedules the callbacks: Python's {@code cancel()}.
   *
   * @return true if the future is now cancelled; false if it was already done (or cancelled)
   * @throws IllegalStateException if callbacks must be scheduled on a closed loop, or if called
   *     from another thread than the one running the loop (always checked, not only in debug mode);
   *     the future is left unchanged
   */
  public boolean cancel() {
    return cancel(null);
  }

  /**
   * Cancels the future with a message that every later {@link CancellationException} carries:
   * Python's {@code cancel(msg)}.
   *
   * @param message the message, or null
   * @return true if the future is now cancelled; false if it was already done (or cancelled)
   * @throws IllegalStateException if callbacks must be scheduled on a closed loop, or if called
   *     from another thread than the one running the loop (always checked, not only in debug mode);
   *     the future is left unchanged
   */
  public boolean cancel(String message) {
    loop.checkThread("cancel");
    if (outcome != PENDING) {
      return false;
    }
    if (callbacks != null) {
      loop.checkClosed();
    }
    outcome = Cancelled.of(message);
    scheduleCallbacks();
    return true;
  }

  /**
   * Schedules the callbacks, in order. Outside debug mode the future itself goes into the ready
   * queue, keeping its callbacks, and its turn runs them ({@link #runScheduledCallbacks}): no
   * handle per callback. In debug mode each callback gets its handle, which records where it was
   * scheduled and is timed on its own.
   */
  @SuppressWarnings("unchecked")
  private void scheduleCallbacks() {
    Object cbs = callbacks;
    if (cbs == null) {
      return;
    }
    if (!loop.getDebug()) {
      loop.scheduler.scheduleCallbacksOf(this);
      return;
    }
    callbacks = null;
    if (cbs instanceof Registrations<?> list) {
      for (Registration<V> r : (Registrations<V>) list) {
        loop.scheduler.schedule(new Handle(this, r.callback, contextOf(r.context)));
      }
    } else {
      Object context = soleContext;
      soleContext = null;
      loop.scheduler.schedule(
          new Handle(this, (Consumer<? super LoopFuture<V>>) cbs, contextOf(context)));
    }
  }

  /**
   * Runs the callbacks the future kept when it was done (the loop's turn calls this), each in its
   * context; what one throws goes to the loop's exception handler, as from a handle. If an error
   * the loop does not handle escapes one, the future keeps the callbacks after it, and the loop
   * puts the future back at the front of its ready queue.
   *
   * @param slot the running thread's context slot (see {@link ContextAccess})
   */
  @SuppressWarnings("unchecked")
  final void runScheduledCallbacks(Object slot) {
    Object cbs = callbacks;
    Object context = soleContext;
    callbacks = null;
    soleContext = null;
    if (!(cbs instanceof Registrations<?>)) {
      if (cbs != null) {
        runCallback((Consumer<? super LoopFuture<V>>) cbs, context, slot);
      }
      return;
    }
    Registrations<V> list = (Registrations<V>) cbs;
    for (int i = 0, n = list.size(); i < n; i++) {
      Registration<V> r = list.get(i);
      try {
        runCallback(r.callback, r.context, slot);
      } catch (VirtualMachineError fatal) {
        Registrations<V> rest = new Registrations<>(n - i - 1);
        rest.addAll(list.subList(i + 1, n));
        callbacks = rest.isEmpty() ? null : rest;
        throw fatal;
      }
    }
  }

  /**
   * Takes the callback due, if it is the only one and a task's step (a task awaited this future and
   * nothing else waits for it): the loop's turn then runs the step itself, a task switch (see
   * {@code Scheduler.runTurns}). The future keeps no callback after that.
   *
   * @return the step, or null (the callbacks stay, for {@link #runScheduledCallbacks})
   */
  final Strand takeSoleStep() {
    Strand step = soleStep();
    if (step != null) {
      callbacks = null;
      soleContext = null;
    }
    return step;
  }

  /**
   * The step of a task, if it is this done future's only callback, left in place; else null.
   *
   * @return the step, or null
   */
  final Strand soleStep() {
    return callbacks instanceof Strand step ? step : null;
  }

  /**
   * What a step taken with {@link #takeSoleStep} threw (a bug: the body's own failures end its
   * task) goes to the loop's exception handler, as from the step's handle.
   */
  @SuppressWarnings("unchecked")
  final void reportStepFailure(Strand step, Throwable failure) {
    reportCallbackFailure(
        (Consumer<? super LoopFuture<V>>) (Object) step, step.task.getContext(), failure);
  }

  /** What a callback threw goes to the loop's exception handler, as from its handle. */
  private void reportCallbackFailure(
      Consumer<? super LoopFuture<V>> callback, Object context, Throwable failure) {
    new Handle(this, callback, contextOf(context)).reportFailure(failure);
  }

  private void runCallback(Consumer<? super LoopFuture<V>> callback, Object context, Object slot) {
    try {
      if (callback instanceof Strand step) {
        step.step(slot); // a task's step: it enters the task's own context itself
      } else if (context instanceof CowMap snapshot) {
        CONTEXTS.runInCopy(snapshot, slot, callback, this);
      } else {
        CONTEXTS.run((Context) context, slot, callback, this);
      }
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      reportCallbackFailure(callback, context, t);
    }
  }

  // ---------------------------------------------------------------- callbacks

  /**
   * Adds a callback that receives this future once it is done, run in a copy of the current
   * context: Python's {@code add_done_callback}. It is scheduled with {@code callSoon}, also when
   * the future is already done; never run inline.
   *
   * @param callback the callback
   * @throws NullPointerException if {@code callback} is null
   * @throws IllegalStateException if the future is done and the loop closed, or if called from
   *     another thread than the one running the loop (always checked, not only in debug mode)
   */
  public void addDoneCallback(Consumer<? super LoopFuture<V>> callback) {
    Objects.requireNonNull(callback, "callback must not be null");
    register(callback, loop.scheduler.snapshotCurrentContext());
  }

  /**
   * Adds a callback that runs in {@code context}: Python's {@code add_done_callback(callback,
   * context=context)}.
   *
   * @param callback the callback
   * @param context the context to run it in
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the future is done and the loop closed, or if called from
   *     another thread than the one running the loop (always checked, not only in debug mode)
   */
  public void addDoneCallback(Consumer<? super LoopFuture<V>> callback, Context context) {
    Objects.requireNonNull(callback, "callback must not be null");
    Objects.requireNonNull(context, "context must not be null");
    register(callback, context);
  }

  /** Adds a callback; {@code context} is a {@link Context} or a snapshot ({@link CowMap}). */
  private void register(Consumer<? super LoopFuture<V>> callback, Object context) {
    loop.checkThread("addDoneCallback");
    if (outcome != PENDING) {
      loop.checkClosed();
      loop.scheduler.schedule(new Handle(this, callback, contextOf(context)));
      return;
    }
    Object cbs = callbacks;
    if (cbs == null) {
      callbacks = callback;
      soleContext = context;
    } else {
      registrations().add(new Registration<>(callback, context));
    }
  }

  /**
   * Registers a task's step as a done callback of this pending future, for the task's {@code
   * await}: {@link #addDoneCallback(Consumer, Context)} without its checks, which hold by
   * construction there (the arguments are the task's own, the caller is the task's step on the
   * loop's thread, and the await saw this future pending).
   */
  @SuppressWarnings("unchecked")
  final void addStepCallback(Strand step, Context context) {
    Object cbs = callbacks;
    if (cbs == null) {
      callbacks = step;
      soleContext = context;
    } else {
      registrations()
          .add(new Registration<>((Consumer<? super LoopFuture<V>>) (Object) step, context));
    }
  }

  /** The callbacks as a list (never null): the sole callback, if any, moves into a new one. */
  @SuppressWarnings("unchecked")
  private Registrations<V> registrations() {
    Object cbs = callbacks;
    if (cbs instanceof Registrations<?> list) {
      return (Registrations<V>) list;
    }
    Registrations<V> list = new Registrations<>(4);
    if (cbs != null) {
      list.add(new Registration<>((Consumer<? super LoopFuture<V>>) cbs, soleContext));
      soleContext = null;
    }
    callbacks = list;
    return list;
  }

  /**
   * Whether {@code callback} (the very object) is registered on this pending future; false once the
   * future is done (its callbacks are scheduled then, no longer registered).
   */
  final boolean hasDoneCallback(Object callback) {
    Object cbs = callbacks;
    if (cbs == callback) {
      return outcome == PENDING;
    }
    if (cbs instanceof Registrations<?> list && outcome == PENDING) {
      for (int i = 0, n = list.size(); i < n; i++) {
        if (list.get(i).callback == callback) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Removes every registration of {@code callback} (compared with {@code equals}): Python's {@code
   * remove_done_callback}. Once the future is done there is nothing left to remove.
   *
   * @param callback the callback
   * @return how many registrations were removed
   * @throws NullPointerException if {@code callback} is null
   */
  public int removeDoneCallback(Consumer<? super LoopFuture<V>> callback) {
    Objects.requireNonNull(callback, "callback must not be null");
    Object cbs = callbacks;
    if (cbs == null || outcome != PENDING) {
      return 0;
    }
    if (!(cbs instanceof Registrations<?> list)) {
      // as with a list: if it matches, what callback.equals added meanwhile is dropped too
      if (!callback.equals(cbs)) {
        return 0;
      }
      callbacks = null;
      soleContext = null;
      return 1;
    }
    // a snapshot: callback.equals may itself add or remove callbacks (CPython issue 28963)
    @SuppressWarnings("unchecked")
    Registration<V>[] snapshot = list.toArray(new Registration[0]);
    Registrations<V> kept = new Registrations<>(snapshot.length);
    for (Registration<V> r : snapshot) {
      if (!callback.equals(r.callback)) {
        kept.add(r);
      }
    }
    int removed = snapshot.length - kept.size();
    if (removed > 0) {
      callbacks = kept.isEmpty() ? null : kept;
      soleContext = null;
    }
    return removed;
  }

  private static String describe(Object callback) {
    return callback instanceof Handle.Described
        ? callback.toString()
        : Tracebacks.identity(callback);
  }

  // ---------------------------------------------------------------- reporting

  /** The state as toString shows it; a task says CANCELLING while a cancel is pending. */
  String stateName() {
    return futureState().name();
  }

  /** Lets a task add its name and what it waits for to toString. */
  void describeTask(StringBuilder b) {}

  /**
   * Describes the future as asyncio's {@code repr} does. A future that is already being described
   * on this thread (two tasks awaiting each other) shows as {@code ...}, as in CPython.
   *
   * @return for example {@code LoopFuture@1b6d3586[FINISHED returned 42]} or {@code
   *     LoopFuture@1b6d3586[PENDING cb=[Main$$Lambda@4554617c] created at Main.java:12]}
   */
  @Override
  public String toString() {
    // CPython's _future_repr is @reprlib.recursive_repr(): a future already being described on
    // this thread (a task awaiting a task that awaits it) is shown as "..."
    java.util.Set<LoopFuture<?>> describing = DESCRIBING.get();
    if (!describing.add(this)) {
      return "...";
    }
    try {
      return describe();
    } finally {
      describing.remove(this);
    }
  }

  /** The futures whose toString runs on this thread now (to cut a cycle of awaits short). */
  private static final ThreadLocal<java.util.Set<LoopFuture<?>>> DESCRIBING =
      ThreadLocal.withInitial(
          () -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

  private String describe() {
    StringBuilder b =
        new StringBuilder(getClass().getSimpleName())
            .append('@')
            .append(Integer.toHexString(System.identityHashCode(this)))
            .append('[')
            .append(stateName());
    describeTask(b);
    Object o = outcome;
    if (o != PENDING) {
      Outcome.describeTo(b, o);
    }
    // a done future's callbacks are scheduled, no longer registered (asyncio clears its list)
    Object cbs = o == PENDING ? callbacks : null;
    if (cbs instanceof Registrations<?> list) {
      int n = list.size();
      b.append(" cb=[").append(describe(list.get(0).callback));
      if (n == 2) {
        b.append(", ").append(describe(list.get(1).callback));
      } else if (n > 2) {
        b.append(", <").append(n - 2).append(" more>, ");
        b.append(describe(list.get(n - 1).callback));
      }
      b.append(']');
    } else if (cbs != null) {
      b.append(" cb=[").append(describe(cbs)).append(']');
    }
    return b.append(Tracebacks.createdAt(sourceTraceback)).append(']').toString();
  }
}
