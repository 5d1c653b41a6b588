package dev.eventual.stress;

import dev.eventual.ConcurrentFuture;

/**
 * A deliberately broken future: it completes by check-then-set instead of one compare-and-set, so
 * two racing completions can both report success. It exists to show that the Lincheck tests of this
 * module can fail (see {@link BrokenFutureLincheckTest}); nothing else uses it.
 */
final class CheckThenSetFuture<V> extends ConcurrentFuture<V> {
  @Override
  public boolean trySetResult(V result) {
    if (isDone()) { // check ...
      return false;
    }
    Thread.yield(); // (widens the window for stress mode; a switch point for the model checker)
    super.trySetResult(result); // ... then set, ignoring whether this call won
    return true;
  }
}
