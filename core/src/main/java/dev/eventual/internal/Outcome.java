package dev.eventual.internal;

import dev.eventual.FutureState;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * The outcome of a done future, one type for both kinds: {@code ConcurrentFuture} keeps it in its
 * state word, {@code LoopFuture} in its outcome field. A done outcome is one of:
 *
 * <table>
 *   <caption>the done outcomes</caption>
 *   <tr><th>object</th><th>meaning</th></tr>
 *   <tr><td>any object that is not an {@code Outcome}</td>
 *       <td>FINISHED with that very object as result (no allocation)</td></tr>
 *   <tr><td>{@link Boxed}</td>
 *       <td>FINISHED with a result that cannot be stored raw: one that is itself an {@code
 *       Outcome}, and for {@code ConcurrentFuture} also {@code null} and what it could mistake for
 *       a callback ({@link RawResults})</td></tr>
 *   <tr><td>{@link Failure}</td><td>FINISHED with an exception, and its retrieval tracked</td></tr>
 *   <tr><td>{@link Cancelled}</td>
 *       <td>CANCELLED, or CANCELLED_AND_NOTIFIED ({@code ConcurrentFuture} only), with its
 *       message</td></tr>
 * </table>
 *
 * <p>How a pending future is encoded is each future's own business; the static methods here read a
 * done outcome the same way for both.
 */
public abstract class Outcome {
  Outcome() {}

  /** A successful result that cannot be stored raw. */
  public static final class Boxed extends Outcome {
    /** The {@code null} result, shared. */
    public static final Boxed NULL = new Boxed(null);

    /** The result. */
    public final Object value;

    /**
     * Boxes a result.
     *
     * @param value the result
     */
    public Boxed(Object value) {
      this.value = value;
    }
  }

  /**
   * A cancellation. While {@code notified} is false (CANCELLED), {@code waiters} holds the {@link
   * NotifyOnlyCallback}s that {@code setRunningOrNotifyCancel} must still wake.
   */
  public static final class Cancelled extends Outcome {
    /** CANCELLED without message or waiters, shared. */
    public static final Cancelled PLAIN = new Cancelled(null, null, false);

    /** CANCELLED_AND_NOTIFIED without message or waiters, shared. */
    public static final Cancelled NOTIFIED = new Cancelled(null, null, true);

    /** The message given to {@code cancel(msg)}, or {@code null}. */
    public final String message;

    /** Waiters to wake on notification; always {@code null} once notified. */
    public final CallbackStack waiters;

    /** Whether this is CANCELLED_AND_NOTIFIED. */
    public final boolean notified;

    /**
     * Creates a cancellation outcome.
     *
     * @param message the cancel message, or {@code null}
     * @param waiters waiters to wake on notification, or {@code null}
     * @param notified whether this is CANCELLED_AND_NOTIFIED
     */
    public Cancelled(String message, CallbackStack waiters, boolean notified) {
      this.message = message;
      this.waiters = waiters;
      this.notified = notified;
    }

    /**
     * A CANCELLED outcome without waiters: the shared {@link #PLAIN} one when there is no message.
     *
     * @param message the cancel message, or {@code null}
     * @return the outcome
     */
    public static Cancelled of(String message) {
      return message == null ? PLAIN : new Cancelled(message, null, false);
    }
  }

  /**
   * Encodes a result for a future whose pending states are not outcomes (the loop's): raw, unless
   * it is itself an {@code Outcome}.
   *
   * @param result the result, may be null
   * @return what to store
   */
  public static Object ofResult(Object result) {
    return result instanceof Outcome ? new Boxed(result) : result;
  }

  /**
   * The outcome a {@link java.util.concurrent.CompletionStage} completed with, as its {@code
   * whenComplete} reports it: the result; or the failure without the {@link CompletionException}
   * wrapper a stage adds; a {@link CancellationException} (so wrapped or not) is a cancellation
   * with its message. The one reading of a stage's completion for both kinds of future.
   *
   * @param value the stage's result, when {@code failure} is null
   * @param failure the stage's failure, or null
   * @return a done outcome; a failure's is not watched (pass it to a future's {@code completeFrom})
   */
  public static Object ofCompletion(Object value, Throwable failure) {
    if (failure == null) {
      return ofResult(value);
    }
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause instanceof CancellationException
        ? Cancelled.of(cause.getMessage())
        : new Failure(cause);
  }

  /**
   * The state a done outcome stands for.
   *
   * @param done a done outcome
   * @return FINISHED, CANCELLED or CANCELLED_AND_NOTIFIED
   */
  public static FutureState stateOf(Object done) {
    if (done instanceof Cancelled) {
      return ((Cancelled) done).notified
          ? FutureState.CANCELLED_AND_NOTIFIED
          : FutureState.CANCELLED;
    }
    return FutureState.FINISHED;
  }

  /**
   * Python's {@code result()} of a done future: the result; or the exception, by the project's rule
   * (an unchecked exception or error as the same object, a checked one wrapped once in {@link
   * CompletionException}), marked retrieved; or a {@link CancellationException} with the cancel
   * message.
   *
   * @param done a done outcome
   * @param <V> the result type
   * @return the result
   */
  @SuppressWarnings("unchecked")
  public static <V> V resultOf(Object done) {
    if (!(done instanceof Outcome)) {
      return (V) done; // a raw result: one class test on the fast path
    }
    if (done instanceof Boxed) {
      return (V) ((Boxed) done).value;
    }
    if (done instanceof Failure) {
      Failure f = (Failure) done;
      f.markRetrieved();
      Throwable ex = f.exception;
      if (ex instanceof RuntimeException) {
        throw (RuntimeException) ex;
      }
      if (ex instanceof Error) {
        throw (Error) ex;
      }
      throw new CompletionException(ex);
    }
    throw new CancellationException(((Cancelled) done).message);
  }

  /**
   * Python's {@code exception()} of a done future: the very exception, marked retrieved; {@code
   * null} for a result; a {@link CancellationException} with the cancel message.
   *
   * @param done a done outcome
   * @return the exception or {@code null}
   */
  public static Throwable exceptionOf(Object done) {
    if (done instanceof Failure) {
      Failure f = (Failure) done;
      f.markRetrieved();
      return f.exception;
    }
    if (done instanceof Cancelled) {
      throw new CancellationException(((Cancelled) done).message);
    }
    return null;
  }

  /**
   * The cancel message of an outcome, without retrieving anything.
   *
   * @param outcome any outcome or state
   * @return the message if it is a cancellation with one, else {@code null}
   */
  public static String cancelMessageOf(Object outcome) {
    return outcome instanceof Cancelled ? ((Cancelled) outcome).message : null;
  }

  /**
   * Appends what {@code toString} shows of a done outcome after its state: {@code " raised
   * java.lang.IllegalStateException"}, {@code " returned 42"} ({@link ResultRepr}), nothing for a
   * cancellation.
   *
   * @param b where to append
   * @param done a done outcome
   * @return {@code b}
   */
  public static StringBuilder describeTo(StringBuilder b, Object done) {
    if (done instanceof Failure) {
      return b.append(" raised ").append(((Failure) done).exception.getClass().getName());
    }
    if (done instanceof Cancelled) {
      return b;
    }
    Object value = done instanceof Boxed ? ((Boxed) done).value : done;
    return b.append(" returned ").append(ResultRepr.of(value));
  }
}
