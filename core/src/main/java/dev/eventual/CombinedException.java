package dev.eventual;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The exception of a {@link Futures#combine} whose inputs failed with more than one distinct
 * exception: its cause is the first to fail (in completion order), and every later one is attached
 * as {@linkplain Throwable#getSuppressed() suppressed}. The inputs' own exceptions are never
 * changed: each combine builds its own {@code CombinedException}, so other readers of an input see
 * its exception as it was set, and combines of the same inputs in any order cannot make two
 * exceptions suppress each other.
 *
 * <p>It extends {@link CompletionException}, the wrapper {@link ConcurrentFuture#result()} already
 * uses for a checked exception: code that unwraps one cause unwraps this too.
 */
public class CombinedException extends CompletionException {
  private static final long serialVersionUID = 1L;

  /** How many futures were combined. */
  private final int inputs;

  /**
   * Creates the exception.
   *
   * @param first the first failure, the cause
   * @param later the later distinct failures, in completion order, attached as suppressed
   * @param inputs how many futures were combined, for the message
   * @throws NullPointerException if {@code first}, {@code later} or one of its elements is null
   */
  public CombinedException(Throwable first, List<? extends Throwable> later, int inputs) {
    super(
        (later.size() + 1)
            + " of "
            + inputs
            + " combined futures failed; the first to fail is the cause",
        java.util.Objects.requireNonNull(first, "first must not be null"));
    this.inputs = inputs;
    for (Throwable t : later) {
      addSuppressed(java.util.Objects.requireNonNull(t, "later failures must not be null"));
    }
  }

  /**
   * Returns every failure: the cause, then the suppressed ones.
   *
   * @return an unmodifiable list, first failure first
   */
  public List<Throwable> failures() {
    List<Throwable> all = new ArrayList<>();
    all.add(getCause());
    Collections.addAll(all, getSuppressed());
    return Collections.unmodifiableList(all);
  }

  /**
   * Returns how many futures were combined.
   *
   * @return the number of inputs, failed or not
   */
  public int inputs() {
    return inputs;
  }
}
