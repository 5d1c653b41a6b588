package dev.eventual;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Futures#wait(java.util.Collection) Futures.wait} returns: Python's named 2-tuple
 * {@code DoneAndNotDoneFutures(done, not_done)}. Both sets are unmodifiable copies that keep the
 * order in which the futures were first given.
 *
 * @param done the futures that completed (FINISHED or CANCELLED_AND_NOTIFIED) before the wait
 *     returned
 * @param notDone the futures that had not completed
 * @param <F> the type of the futures
 */
public record DoneAndNotDone<F>(Set<F> done, Set<F> notDone) {
  /**
   * Creates the pair, copying both sets into unmodifiable ones.
   *
   * @param done the completed futures
   * @param notDone the futures that had not completed
   * @throws NullPointerException if either set is null
   */
  public DoneAndNotDone {
    Objects.requireNonNull(done, "done must not be null");
    Objects.requireNonNull(notDone, "notDone must not be null");
    done = frozen(done);
    notDone = frozen(notDone);
  }

  /** An unmodifiable copy, unless it is already one that Futures.wait built. */
  private static <F> Set<F> frozen(Set<F> set) {
    return set instanceof FrozenSet ? set : Collections.unmodifiableSet(new LinkedHashSet<>(set));
  }
}
