package dev.eventual.internal;

import java.util.ArrayDeque;

/**
 * Runs a completed future's callbacks without growing the stack without bound.
 *
 * <p>Callbacks run inline on the completing thread, as CPython does. A callback that completes
 * another future runs that future's callbacks inline too, up to {@link #MAX_DEPTH} nested levels;
 * deeper completions are queued and run, in order, by the outermost drain on the same thread. So a
 * chain of a million continuations completes in constant stack.
 */
public final class CallbackRunner {
  /** Nesting depth up to which callbacks run inline. */
  public static final int MAX_DEPTH = 32;

  private static final ThreadLocal<CallbackRunner> CURRENT =
      ThreadLocal.withInitial(CallbackRunner::new);

  /** Something whose callbacks can be drained later. */
  public interface Drainable {
    /**
     * Runs the callbacks captured at completion.
     *
     * @param callbacks the state the completion replaced (a callback or a list)
     * @param outcome the state the completion installed
     */
    void drain(Object callbacks, Object outcome);
  }

  private int depth;
  private final ArrayDeque<Object> deferred = new ArrayDeque<>();

  private CallbackRunner() {}

  /**
   * Drains now, or defers when already deep in nested drains.
   *
   * @param target the completed future
   * @param callbacks what its completion replaced
   * @param outcome what its completion installed
   */
  public static void run(Drainable target, Object callbacks, Object outcome) {
    CallbackRunner r = CURRENT.get();
    if (r.depth >= MAX_DEPTH) {
      r.deferred.add(target);
      r.deferred.add(callbacks);
      r.deferred.add(outcome);
      return;
    }
    r.depth++;
    try {
      target.drain(callbacks, outcome);
    } finally {
      r.depth--;
    }
    if (r.depth == 0 && !r.deferred.isEmpty()) {
      r.runDeferred();
    }
  }

  private void runDeferred() {
    depth++;
    try {
      Object t;
      while ((t = deferred.poll()) != null) {
        Object callbacks = deferred.poll();
        Object outcome = deferred.poll();
        ((Drainable) t).drain(callbacks, outcome);
      }
    } finally {
      depth--;
    }
  }
}
