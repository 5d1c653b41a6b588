package dev.eventual;

import dev.eventual.internal.CallbackStack;
import dev.eventual.internal.Failure;
import dev.eventual.internal.Outcome;
import dev.eventual.internal.Outcome.Boxed;
import dev.eventual.internal.RawResults;
import java.util.concurrent.ExecutionException;

/**
 * What the raw state of a {@link ConcurrentFuture} means to a reader: its {@link FutureState}, the
 * result or exception it reports, and its description. Stateless; see the encoding table at the top
 * of {@code ConcurrentFuture}. A done state is an {@link Outcome} (or a raw result), read by the
 * methods the loop's futures share.
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
    if (ConcurrentFuture.isDone(s)) {
      return Outcome.stateOf(s);
    }
    return s instanceof CallbackStack && ((CallbackStack) s).running
        ? FutureState.RUNNING
        : FutureState.PENDING;
  }

  /** Python's result() on a done state: the value, or the exception by the project's rule. */
  static <V> V report(Object s) {
    return Outcome.resultOf(s);
  }

  /** Python's exception() on a done state. */
  static Throwable reportException(Object s) {
    return Outcome.exceptionOf(s);
  }

  /** The JDK's get() on a done state. */
  static <V> V reportGet(Object s) throws ExecutionException {
    if (s instanceof Failure) {
      Failure f = (Failure) s;
      f.markRetrieved();
      throw new ExecutionException(f.exception);
    }
    return Outcome.resultOf(s);
  }

  /** Describes one snapshot of a state: "[PENDING]", "[FINISHED returned 42]". */
  static String describe(Object s) {
    FutureState st = stateOf(s);
    if (st != FutureState.FINISHED) {
      return "[" + st + "]";
    }
    return Outcome.describeTo(new StringBuilder("[FINISHED"), s).append(']').toString();
  }
}
