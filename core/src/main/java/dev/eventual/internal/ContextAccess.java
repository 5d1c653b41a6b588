package dev.eventual.internal;

import dev.eventual.Context;
import java.util.function.Consumer;

/**
 * What the event loop needs from {@link Context} to run its callbacks without a thread-local lookup
 * for each one: the current thread's context slot, fetched once per loop turn and passed back in.
 * Not API: exported only to {@code dev.eventual.loop}. {@link Context} installs the one instance.
 *
 * <p>A slot belongs to the thread that fetched it, for that thread's whole life; it may only be
 * passed back in by that same thread.
 */
public abstract class ContextAccess {
  private static volatile ContextAccess instance;

  /** For {@link Context} only. */
  protected ContextAccess() {}

  /**
   * Installs the instance; for {@link Context}'s static initializer.
   *
   * @param access the instance
   * @throws IllegalStateException if one is installed already
   */
  public static void install(ContextAccess access) {
    if (instance != null) {
      throw new IllegalStateException("ContextAccess is installed already");
    }
    instance = access;
  }

  /**
   * The instance, once {@link Context} is initialized (this call initializes it).
   *
   * @return the instance
   */
  public static ContextAccess get() {
    ContextAccess a = instance;
    if (a == null) {
      new Context(); // runs Context's static initializer, which installs the instance
      a = instance;
    }
    return a;
  }

  /**
   * The calling thread's slot for its current context.
   *
   * @return the slot, the same object for every call on this thread
   */
  public abstract Object slot();

  /**
   * {@link Context#copyContext()} through the calling thread's slot.
   *
   * @param slot what {@link #slot()} returned on this thread
   * @return a copy of the thread's current context
   */
  public abstract Context copyCurrent(Object slot);

  /**
   * {@link Context#run(Consumer, Object)} through the calling thread's slot.
   *
   * @param context the context to enter
   * @param slot what {@link #slot()} returned on this thread
   * @param fn the code to run
   * @param arg what to pass to {@code fn}
   * @param <T> the argument type
   * @throws IllegalStateException if {@code context} is already entered
   * @throws RuntimeException whatever {@code fn} throws, as it is
   */
  public abstract <T> void run(Context context, Object slot, Consumer<? super T> fn, T arg);

  /**
   * {@link Context#run(Runnable)} through the calling thread's slot.
   *
   * @param context the context to enter
   * @param slot what {@link #slot()} returned on this thread
   * @param fn the code to run
   * @throws IllegalStateException if {@code context} is already entered
   * @throws RuntimeException whatever {@code fn} throws, as it is
   */
  public abstract void run(Context context, Object slot, Runnable fn);

  /**
   * Enters {@code context} on the calling thread and leaves it entered: the first half of {@link
   * #run(Context, Object, Runnable)}, for code that must leave a context while the code inside is
   * suspended (a task between two steps) and enter it again later. Pair with {@link #exit}.
   *
   * @param context the context to enter
   * @param slot what {@link #slot()} returned on this thread
   * @return the context that was current, to pass to {@link #exit}
   * @throws IllegalStateException if {@code context} is already entered
   */
  public abstract Context enter(Context context, Object slot);

  /**
   * Leaves {@code context}, entered by {@link #enter}, and makes {@code previous} current again.
   *
   * @param context the context {@link #enter} entered
   * @param slot what {@link #slot()} returned on this thread
   * @param previous what {@link #enter} returned
   * @return the context that was current just before: {@code context}, or one that code inside
   *     entered and has not left yet (to make current again with {@link #makeCurrent} on the next
   *     entry)
   */
  public abstract Context exit(Context context, Object slot, Context previous);

  /**
   * Makes {@code context} the thread's current context without taking it: for a context that the
   * same suspended code entered earlier and still holds (see {@link #exit}).
   *
   * @param slot what {@link #slot()} returned on this thread
   * @param context the context
   */
  public abstract void makeCurrent(Object slot, Context context);

  /**
   * The variables of the calling thread's current context, as they are now: what {@link
   * Context#copyContext()} would hold, without creating the copy. A snapshot never changes.
   *
   * @param slot what {@link #slot()} returned on this thread
   * @return the snapshot
   */
  public abstract CowMap snapshot(Object slot);

  /**
   * A new context holding a snapshot's variables, as {@link Context#copy()} would make it.
   *
   * @param snapshot what {@link #snapshot} returned
   * @return the new context
   */
  public abstract Context contextOf(CowMap snapshot);

  /**
   * Runs {@code fn} in a new context holding a snapshot's variables, as {@code
   * contextOf(snapshot).run(fn, arg)} would, but cheaper: no code outside can reach that context
   * (only the tokens of variables {@code fn} sets, which cannot enter it), so entering it takes no
   * ownership.
   *
   * @param snapshot what {@link #snapshot} returned, on any thread
   * @param slot what {@link #slot()} returned on this thread
   * @param fn the code to run
   * @param arg what to pass to {@code fn}
   * @param <T> the argument type
   * @throws RuntimeException whatever {@code fn} throws, as it is
   */
  public abstract <T> void runInCopy(CowMap snapshot, Object slot, Consumer<? super T> fn, T arg);
}
