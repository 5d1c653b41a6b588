package dev.eventual;

import dev.eventual.internal.CallbackStack;
import dev.eventual.internal.Failure;
import dev.eventual.internal.Outcome;
import dev.eventual.internal.Outcome.Boxed;
import dev.eventual.internal.Outcome.Cancelled;
import dev.eventual.internal.RawResults;
import dev.eventual.internal.ResultRepr;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What the raw state of a {@link ConcurrentFuture} means to a reader: its {@link FutureState}, the
 * result or exception it reports, and its description. Stateless; see the encoding table at the top
 * of {@code ConcurrentFuture}.
 */
final class Outcomes {
  private Outcomes() {}

  /** Encodes a successful result: raw when it cannot be mistaken for a state, else boxed. */
  static Object encode(Object result) {
    if (result == null) {
      return Boxed.NULL;
    }
    return RawResults.isRaw(result.getClass()) ? result : new Boxed(result);
  }

  /** Decodes a state into CPython's state name. */
  static FutureState stateOf(Object s) {
    if (s instanceof Cancelled) {
      return ((Cancelled) s).notified ? FutureState.CANCELLED_AND_NOTIFIED : FutureState.CANCELLED;
    }
    if (ConcurrentFuture.isDone(s)) {
      return FutureState.FINISHED;
    }
    return s instanceof CallbackStack && ((CallbackStack) s).running
        ? FutureState.RUNNING
        : FutureState.PENDING;
  }

  /** Python's result() on a done state: the value, or the exception by the project's rule. */
  @SuppressWarnings("unchecked")
  static <V> V report(Object s) {
    if (!(s instanceof Outcome)) {
      return (V) s; // a raw result: one class test on the fast path
    }
    if (s instanceof Boxed) {
      return (V) ((Boxed) s).value;
    }
    if (s instanceof Failure) {
      Failure f = (Failure) s;
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
    throw new CancellationException(((Cancelled) s).message);
  }

  /** Python's exception() on a done state. */
  static Throwable reportException(Object s) {
    if (s instanceof Failure) {
      Failure f = (Failure) s;
      f.markRetrieved();
      return f.exception;
    }
    if (s instanceof Cancelled) {
      throw new CancellationException(((Cancelled) s).message);
    }
    return null;
  }

  /** The JDK's get() on a done state. */
  static <V> V reportGet(Object s) throws ExecutionException {
    if (s instanceof Failure) {
      Failure f = (Failure) s;
      f.markRetrieved();
      throw new ExecutionException(f.exception);
    }
    return report(s);
  }

  /** Describes one snapshot of a state: "[PENDING]", "[FINISHED returned 42]". */
  static String describe(Object s) {
    FutureState st = stateOf(s);
    if (st != FutureState.FINISHED) {
      return "[" + st + "]";
    }
    if (s instanceof Failure) {
      return "[FINISHED raised " + ((Failure) s).exception.getClass().getName() + "]";
    }
    Object value = s instanceof Boxed ? ((Boxed) s).value : s;
    return "[FINISHED returned " + ResultRepr.of(value) + "]";
  }
}
