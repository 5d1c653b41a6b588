package dev.eventual.loop;

import dev.eventual.Context;
import dev.eventual.FutureState;
import dev.eventual.InvalidStateException;
import dev.eventual.loop.internal.Cleaners;
import dev.eventual.loop.internal.Tracebacks;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
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
 * never run inline: when the future is done, each is scheduled with {@link EventLoop#callSoon}, in
 * registration order, and runs in the {@link Context} captured when it was added (or the one
 * given). A failed future whose exception was never retrieved ({@link #result()} or {@link
 * #exception()}) is reported to its loop's exception handler when it is garbage-collected.
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
 *       collected future, so its description is in the message.</td></tr>
 *   <tr><td>{@code repr(future)}</td>
 *       <td>{@link #toString()}: the state by its name, a result as {@code Class@hash} (its own
 *       {@code toString} is never called), the callbacks by class, and in debug mode where the
 *       future was created.</td></tr>
 *   <tr><td>{@code set_exception} with a class or {@code StopIteration}</td>
 *       <td>Only instances; no special case.</td></tr>
 * </table>
 *
 * @param <V> the result type; {@code null} is a valid result
 */
public class LoopFuture<V> {
  private final EventLoop loop;
  private FutureState state = FutureState.PENDING;
  private V result;
  private Throwable exception;
  private String cancelMessage;
  private List<Registration<V>> callbacks;
  private UnretrievedReport report;
  private final StackTraceElement[] sourceTraceback;

  /** A callback and the context it runs in. */
  private record Registration<V>(Consumer<? super LoopFuture<V>> callback, Context context) {}

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
    return state != FutureState.PENDING;
  }

  /**
   * Returns true if the future was cancelled: Python's {@code cancelled()}.
   *
   * @return whether the future is CANCELLED
   */
  public boolean isCancelled() {
    return state == FutureState.CANCELLED;
  }

  /**
   * The state by CPython's name (asyncio's {@code _state}).
   *
   * @return PENDING, CANCELLED or FINISHED
   */
  public FutureState futureState() {
    return state;
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
    return cancelMessage;
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
    if (state == FutureState.CANCELLED) {
      throw new CancellationException(cancelMessage);
    }
    if (state != FutureState.FINISHED) {
      throw new InvalidStateException("Result is not ready.");
    }
    markRetrieved();
    Throwable ex = exception;
    if (ex == null) {
      return result;
    }
    if (ex instanceof RuntimeException) {
      throw (RuntimeException) ex;
    }
    if (ex instanceof Error) {
      throw (Error) ex;
    }
    throw new CompletionException(ex);
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
    if (state == FutureState.CANCELLED) {
      throw new CancellationException(cancelMessage);
    }
    if (state != FutureState.FINISHED) {
      throw new InvalidStateException("Exception is not set.");
    }
    markRetrieved();
    return exception;
  }

  private void markRetrieved() {
    UnretrievedReport r = report;
    if (r != null) {
      report = null;
      r.retrieved = true;
      r.cleanable.clean();
    }
  }

  // ---------------------------------------------------------------- completing

  /**
   * Sets the result and schedules the callbacks: Python's {@code set_result}.
   *
   * @param result the result, may be null
   * @throws InvalidStateException if the future is already done; it is left unchanged
   * @throws IllegalStateException if callbacks must be scheduled on a closed loop, or (debug mode)
   *     if called from another thread than the one running the loop; the future is left unchanged
   */
  public void setResult(V result) {
    checkPending("setResult");
    this.result = result;
    state = FutureState.FINISHED;
    scheduleCallbacks();
  }

  /**
   * Sets the exception and schedules the callbacks: Python's {@code set_exception}.
   *
   * @param exception the exception
   * @throws NullPointerException if {@code exception} is null; the future is left unchanged
   * @throws InvalidStateException if the future is already done; it is left unchanged
   * @throws IllegalStateException if callbacks must be scheduled on a closed loop, or (debug mode)
   *     if called from another thread than the one running the loop; the future is left unchanged
   */
  public void setException(Throwable exception) {
    Objects.requireNonNull(exception, "exception must not be null");
    checkPending("setException");
    this.exception = exception;
    state = FutureState.FINISHED;
    report = new UnretrievedReport(loop, exception, toString());
    report.cleanable = Cleaners.register(this, report);
    scheduleCallbacks();
  }

  private void checkPending(String method) {
    loop.checkThread(method);
    if (state != FutureState.PENDING) {
      throw new InvalidStateException(state + ": " + this);
    }
    if (callbacks != null) {
      loop.checkClosed();
    }
  }

  /**
   * Cancels the future and schedules the callbacks: Python's {@code cancel()}.
   *
   * @return true if the future is now cancelled; false if it was already done (or cancelled)
   * @throws IllegalStateException if callbacks must be scheduled on a closed loop, or (debug mode)
   *     if called from another thread than the one running the loop; the future is left unchanged
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
   * @throws IllegalStateException if callbacks must be scheduled on a closed loop, or (debug mode)
   *     if called from another thread than the one running the loop; the future is left unchanged
   */
  public boolean cancel(String message) {
    loop.checkThread("cancel");
    if (state != FutureState.PENDING) {
      return false;
    }
    if (callbacks != null) {
      loop.checkClosed();
    }
    state = FutureState.CANCELLED;
    cancelMessage = message;
    scheduleCallbacks();
    return true;
  }

  private void scheduleCallbacks() {
    List<Registration<V>> list = callbacks;
    if (list == null) {
      return;
    }
    callbacks = null;
    for (Registration<V> r : list) {
      loop.scheduler.schedule(new Handle(loop, new Call<>(this, r.callback), r.context));
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
   * @throws IllegalStateException if the future is done and the loop closed, or (debug mode) if
   *     called from another thread than the one running the loop
   */
  public void addDoneCallback(Consumer<? super LoopFuture<V>> callback) {
    addDoneCallback(callback, Context.copyContext());
  }

  /**
   * Adds a callback that runs in {@code context}: Python's {@code add_done_callback(callback,
   * context=context)}.
   *
   * @param callback the callback
   * @param context the context to run it in
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the future is done and the loop closed, or (debug mode) if
   *     called from another thread than the one running the loop
   */
  public void addDoneCallback(Consumer<? super LoopFuture<V>> callback, Context context) {
    Objects.requireNonNull(callback, "callback must not be null");
    Objects.requireNonNull(context, "context must not be null");
    loop.checkThread("addDoneCallback");
    if (state != FutureState.PENDING) {
      loop.callSoon(new Call<>(this, callback), context);
      return;
    }
    if (callbacks == null) {
      callbacks = new ArrayList<>(2);
    }
    callbacks.add(new Registration<>(callback, context));
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
    List<Registration<V>> list = callbacks;
    if (list == null) {
      return 0;
    }
    // a snapshot: callback.equals may itself add or remove callbacks (CPython issue 28963)
    @SuppressWarnings("unchecked")
    Registration<V>[] snapshot = list.toArray(new Registration[0]);
    List<Registration<V>> kept = new ArrayList<>(snapshot.length);
    for (Registration<V> r : snapshot) {
      if (!callback.equals(r.callback)) {
        kept.add(r);
      }
    }
    int removed = snapshot.length - kept.size();
    if (removed > 0) {
      callbacks = kept.isEmpty() ? null : kept;
    }
    return removed;
  }

  /** Runs one done-callback with the future; describes itself by the callback's class. */
  private static final class Call<V> implements Runnable, Handle.Described {
    private final LoopFuture<V> future;
    private final Consumer<? super LoopFuture<V>> callback;

    Call(LoopFuture<V> future, Consumer<? super LoopFuture<V>> callback) {
      this.future = future;
      this.callback = callback;
    }

    @Override
    public void run() {
      callback.accept(future);
    }

    @Override
    public String toString() {
      return describe(callback) + " for " + future;
    }
  }

  private static String describe(Object callback) {
    return callback instanceof Handle.Described
        ? callback.toString()
        : Tracebacks.identity(callback);
  }

  // ---------------------------------------------------------------- reporting

  /**
   * Reports an exception nobody retrieved, once its future is collected. Holds the loop and a
   * description, never the future.
   */
  private static final class UnretrievedReport implements Runnable {
    private final EventLoop loop;
    private final Throwable exception;
    private final String description;
    volatile boolean retrieved;
    Cleaner.Cleanable cleanable;

    UnretrievedReport(EventLoop loop, Throwable exception, String description) {
      this.loop = loop;
      this.exception = exception;
      this.description = description;
    }

    @Override
    public void run() {
      if (retrieved) {
        return;
      }
      ExceptionContext context =
          new ExceptionContext(
              "Future exception was never retrieved: " + description, exception, null, null);
      if (!loop.isRunning()
          || !loop.callSoonThreadsafeIfOpen(() -> loop.callExceptionHandler(context))) {
        loop.callExceptionHandler(context);
      }
    }
  }

  /** The state as toString shows it; a task says CANCELLING while a cancel is pending. */
  String stateName() {
    return state.name();
  }

  /** Lets a task add its name and what it waits for to toString. */
  void describeTask(StringBuilder b) {}

  /**
   * Describes the future as asyncio's {@code repr} does.
   *
   * @return for example {@code LoopFuture@1b6d3586[FINISHED returned java.lang.Integer@2a]} or
   *     {@code LoopFuture@1b6d3586[PENDING cb=[Main$$Lambda@4554617c] created at Main.java:12]}
   */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder(getClass().getSimpleName())
            .append('@')
            .append(Integer.toHexString(System.identityHashCode(this)))
            .append('[')
            .append(stateName());
    describeTask(b);
    if (state == FutureState.FINISHED) {
      if (exception != null) {
        b.append(" raised ").append(exception.getClass().getName());
      } else {
        b.append(" returned ").append(Tracebacks.identity(result));
      }
    }
    List<Registration<V>> list = callbacks;
    if (list != null) {
      int n = list.size();
      b.append(" cb=[").append(describe(list.get(0).callback));
      if (n == 2) {
        b.append(", ").append(describe(list.get(1).callback));
      } else if (n > 2) {
        b.append(", <").append(n - 2).append(" more>, ");
        b.append(describe(list.get(n - 1).callback));
      }
      b.append(']');
    }
    return b.append(Tracebacks.createdAt(sourceTraceback)).append(']').toString();
  }
}
