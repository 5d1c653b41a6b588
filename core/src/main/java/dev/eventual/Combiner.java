package dev.eventual;

import dev.eventual.internal.Failure;
import dev.eventual.internal.Outcome.Boxed;
import dev.eventual.internal.Outcome.Cancelled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The engine of {@link Futures#combine}: one callback object registered on every input.
 *
 * <p>Each input's completion decrements {@link #remaining}; a failed or cancelled input also pushes
 * its outcome on a lock-free stack (so successes allocate nothing). The completion that brings the
 * count to zero reads every input's result in input order, or reports the oldest failure: as it is
 * when it is the only distinct one, else as the cause of a new {@link CombinedException} with the
 * later ones attached as suppressed (the inputs' exceptions are never changed). Callbacks run
 * through the future's trampoline, so deep nesting and huge inputs use constant stack.
 */
final class Combiner<V> implements Consumer<ConcurrentFuture<?>> {
  private static final VarHandle REMAINING;
  private static final VarHandle FAILURES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      REMAINING = lookup.findVarHandle(Combiner.class, "remaining", int.class);
      FAILURES = lookup.findVarHandle(Combiner.class, "failures", FailureNode.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A failed or cancelled outcome, newest first until {@link #finish} reverses the list. */
  private static final class FailureNode {
    final Object outcome;
    FailureNode next;

    FailureNode(Object outcome) {
      this.outcome = outcome;
    }
  }

  private final ConcurrentFuture<List<V>> combined = new ConcurrentFuture<>();

  /** The inputs, in order; dropped once the combined future is completed. */
  private Object[] inputs;

  @SuppressWarnings("unused") // accessed through REMAINING
  private volatile int remaining;

  @SuppressWarnings("unused") // accessed through FAILURES
  private volatile FailureNode failures;

  /**
   * @param inputs the input futures, not empty, no nulls; owned by this object from now on
   */
  Combiner(Object[] inputs) {
    this.inputs = inputs;
    this.remaining = inputs.length;
  }

  /** Registers this callback on every input and returns the combined future. */
  ConcurrentFuture<List<V>> start() {
    Object[] in = inputs;
    for (Object f : in) {
      ((ConcurrentFuture<?>) f).addDoneCallback(this);
    }
    return combined;
  }

  @Override
  public void accept(ConcurrentFuture<?> input) {
    Object s = input.rawState();
    if (s instanceof Failure || s instanceof Cancelled) {
      FailureNode node = new FailureNode(s);
      FailureNode head;
      do {
        head = failures;
        node.next = head;
      } while (!FAILURES.compareAndSet(this, head, node));
    }
    if ((int) REMAINING.getAndAdd(this, -1) == 1) {
      finish();
    }
  }

  /** Runs once, on the thread whose callback completed the last input. */
  @SuppressWarnings("unchecked")
  private void finish() {
    Object[] in = inputs;
    inputs = null;
    FailureNode newest = failures;
    if (newest == null) {
      Object[] values = new Object[in.length];
      for (int i = 0; i < in.length; i++) {
        Object s = ((ConcurrentFuture<?>) in[i]).rawState();
        values[i] = s instanceof Boxed ? ((Boxed) s).value : s;
      }
      combined.trySetResult((List<V>) Collections.unmodifiableList(Arrays.asList(values)));
      return;
    }
    FailureNode first = null;
    for (FailureNode p = newest; p != null; ) {
      FailureNode next = p.next;
      p.next = first;
      first = p;
      p = next;
    }
    if (first.outcome instanceof Cancelled) {
      combined.cancel(((Cancelled) first.outcome).message);
      return;
    }
    Throwable exception = ((Failure) first.outcome).exception;
    // Each later failure once, never the first again (linear even for many failures). The inputs'
    // exceptions are never changed: other readers share them, and another combine of the same
    // inputs in another order would make two of them suppress each other.
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.add(exception);
    List<Throwable> later = new ArrayList<>();
    for (FailureNode p = first.next; p != null; p = p.next) {
      Throwable t =
          p.outcome instanceof Failure
              ? ((Failure) p.outcome).exception
              : new CancellationException(((Cancelled) p.outcome).message);
      if (seen.add(t)) {
        later.add(t);
      }
    }
    if (!later.isEmpty()) {
      exception = new CombinedException(exception, later, in.length);
    }
    combined.trySetException(exception);
  }
}
