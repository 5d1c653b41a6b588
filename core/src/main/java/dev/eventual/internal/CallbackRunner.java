package dev.eventual.internal;

import java.util.ArrayDeque;

/**
 * Runs a completed future's callbacks without growing the stack without bound.
 *
 * <p>Callbacks run inline on the completing thread, as CPython does. A callback that completes
 * another future runs that future's callbacks inline too, up to {@link #MAX_DEPTH} nested levels;
 * deeper completions are queued and run, in order, by the outermost drain on the same thread. So a
 * chain of a million continuations completes in constant stack.
 *
 * <p>The price of the queue: a completion at depth {@link #MAX_DEPTH} returns before its callbacks
 * have run; they run, on the same thread, before the outermost completion returns.
 */
public final class CallbackRunner {
  /** Nesting depth up to which callbacks run inline. */
  public static final int MAX_DEPTH = 32;

  private static final ThreadLocal<CallbackRunner> CURRENT =
      ThreadLocal.withInitial(CallbackRunner::new);

  /**
   * Runs the callbacks of a completed target. One shared instance serves every target of a class,
   * so deferring a drain allocates nothing but queue slots, and the target needs no public method.
   */
  @FunctionalInterface
  public interface Drainer {
    /**
     * Runs the callbacks captured at completion; must not throw.
     *
     * @param target the completed future
     * @param callbacks the state the completion replaced (a callback or a list)
     * @param outcome the state the completion installed
     */
    void drain(Object target, Object callbacks, Object outcome);
  }

  private int depth;
  private final ArrayDeque<Object> deferred = new ArrayDeque<>();

  /** The first fatal error a callback threw during the outermost drain ({@link FatalErrors}). */
  private Throwable fatal;

  private CallbackRunner() {}

  /**
   * Drains now, or defers when already {@link #MAX_DEPTH} drains deep on this thread. Deferred
   * drains run before the outermost {@code run} on this thread returns, even if a drain throws
   * (which a {@link Drainer} must not do): the queue is always left empty.
   *
   * @param drainer runs the callbacks
   * @param target the completed future
   * @param callbacks what its completion replaced
   * @param outcome what its completion installed
   * @throws NullPointerException if any argument is null; nothing is run or queued
   */
  public static void run(Drainer drainer, Object target, Object callbacks, Object outcome) {
    if (drainer == null || target == null || callbacks == null || outcome == null) {
      throw new NullPointerException("drainer, target, callbacks and outcome must not be null");
    }
    CallbackRunner r = CURRENT.get();
    if (r.depth >= MAX_DEPTH) {
      r.deferred.add(drainer);
      r.deferred.add(target);
      r.deferred.add(callbacks);
      r.deferred.add(outcome);
      return;
    }
    r.depth++;
    try {
      drainer.drain(target, callbacks, outcome);
    } finally {
      if (--r.depth == 0 && !r.deferred.isEmpty()) {
        r.runDeferred();
      }
    }
    if (r.depth == 0 && r.fatal != null) {
      Throwable t = r.fatal;
      r.fatal = null;
      throw (Error) t;
    }
  }

  /**
   * Handles a fatal error ({@link FatalErrors}) a callback threw: inside a drain on this thread it
   * is kept, the other callbacks run, and the outermost {@link #run} rethrows the first one;
   * outside any drain (a callback run at once because the future was done) it is rethrown now.
   *
   * @param error what the callback threw
   * @throws VirtualMachineError {@code error}, when no drain runs on this thread
   */
  public static void fatalFromCallback(VirtualMachineError error) {
    CallbackRunner r = CURRENT.get();
    if (r.depth == 0) {
      throw error;
    }
    if (r.fatal == null) {
      r.fatal = error;
    }
  }

  private void runDeferred() {
    depth++;
    try {
      Object d;
      while ((d = deferred.poll()) != null) {
        Object target = deferred.poll();
        Object callbacks = deferred.poll();
        Object outcome = deferred.poll();
        ((Drainer) d).drain(target, callbacks, outcome);
      }
    } finally {
      depth--;
      if (!deferred.isEmpty()) {
        runDeferred(); // a drain threw: the others still run, and the exception goes on
      }
    }
  }
}
