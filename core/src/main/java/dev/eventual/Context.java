package dev.eventual;

import dev.eventual.internal.ContextAccess;
import dev.eventual.internal.CowMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A mapping of {@link ContextVar}s to their values: Python's {@code contextvars.Context} (PEP 567).
 *
 * <p>Every thread has a current context, empty when the thread starts. {@link ContextVar#get()}
 * reads it and {@link ContextVar#set} changes it. {@link #copyContext()} takes a snapshot of the
 * current context, and {@link #run(Runnable)} runs code with a context as the current one: what the
 * code sets stays in that context, and the caller's context is untouched. Copies are cheap:
 * contexts share an immutable map until one of them changes.
 *
 * <p>The event loop runs every callback in the context captured when it was scheduled. For plain
 * {@code java.util.concurrent} executors, {@link #wrap(Runnable)}, {@link #wrap(Callable)} and
 * {@link #wrapExecutor(Executor)} carry the submitter's context into the worker thread.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code contextvars.copy_context()} is {@link #copyContext()}; {@code ctx.run(fn, *args)} is
 *       {@link #run(Runnable)}, {@link #run(Supplier)} or {@link #run(Consumer, Object)} (pass more
 *       arguments with a lambda).
 *   <li>{@code ctx[var]} and {@code ctx.get(var)} are {@link #get(ContextVar)}, which returns
 *       {@code null} for a missing variable (no {@code KeyError}); {@link #contains} tells a
 *       missing variable from one set to {@code null}. {@code len(ctx)} is {@link #size()};
 *       iterating yields the variables, as Python's does.
 *   <li>{@code RuntimeError} ("is already entered") is {@link IllegalStateException}.
 *   <li>Contexts compare by identity (Python compares their mappings).
 *   <li>The {@code with ctx:} statement of Python 3.14 is not offered; use {@link #run}.
 * </ul>
 *
 * <p>A context may be read from any thread; it is entered by one thread at a time.
 */
public final class Context implements Iterable<ContextVar<?>> {
  /** Each thread's slot for its current context: one thread-local lookup per enter and exit. */
  private static final ThreadLocal<Slot> CURRENT = ThreadLocal.withInitial(Slot::new);

  private static final VarHandle CHANGED;
  private static final VarHandle OWNER;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CHANGED = lookup.findVarHandle(Context.class, "changed", CowMap.class);
      OWNER = lookup.findVarHandle(Context.class, "owner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    ContextAccess.install(new SlotAccess());
  }

  /** The event loop's way in: the thread's slot fetched once, then passed back (not API). */
  private static final class SlotAccess extends ContextAccess {
    @Override
    public Object slot() {
      return CURRENT.get();
    }

    @Override
    public Context copyCurrent(Object slot) {
      return ((Slot) slot).current.copy();
    }

    @Override
    public <T> void run(Context context, Object slot, Consumer<? super T> fn, T arg) {
      context.runIn((Slot) slot, fn, arg);
    }

    @Override
    public void run(Context context, Object slot, Runnable fn) {
      context.runIn((Slot) slot, fn);
    }

    @Override
    public Context enter(Context context, Object slot) {
      context.take();
      return ((Slot) slot).swap(context);
    }

    @Override
    public Context exit(Context context, Object slot, Context previous) {
      Slot s = (Slot) slot;
      Context at = s.current;
      context.exit(s, previous);
      return at;
    }

    @Override
    public void makeCurrent(Object slot, Context context) {
      ((Slot) slot).current = context;
    }

    @Override
    public CowMap snapshot(Object slot) {
      return ((Slot) slot).current.vars();
    }

    @Override
    public Context contextOf(CowMap snapshot) {
      return new Context(snapshot);
    }

    @Override
    public <T> void runInCopy(CowMap snapshot, Object slot, Consumer<? super T> fn, T arg) {
      Slot s = (Slot) slot;
      Context base = s.current;
      if (base.vars() == snapshot && !s.lending) {
        // the copy would hold what the current context holds: lend the current one instead
        if (s.lent != base) {
          s.lent = base; // the same for a whole loop turn: skip the reference store (a barrier)
        }
        s.lending = true;
        try {
          fn.accept(arg);
        } finally {
          s.lending = false;
          if (s.current != base) {
            s.current = base; // a write made the copy; no store otherwise (a barrier to skip)
          }
        }
        return;
      }
      // reachable only from the slot (and from tokens, which cannot enter it): needs no owner
      s.current = new Context(snapshot);
      try {
        fn.accept(arg);
      } finally {
        s.current = base;
      }
    }
  }

  /** A thread's current context; touched only by its thread. */
  private static final class Slot {
    Context current = new Context();

    /**
     * The context last lent to code that should run in a copy of it ({@link SlotAccess#runInCopy});
     * it is lent while {@link #lending} is set and it is {@link #current}. Meanwhile reads see its
     * variables, and the first write ({@link #currentForWrite}) makes the copy and writes there:
     * the many callbacks that never set a variable need no copy. A context entered meanwhile is
     * current instead, so it is not lent; when that run ends, the lent one is current, and lent,
     * again.
     */
    Context lent;

    /** True while a {@link SlotAccess#runInCopy} lends {@link #lent}. */
    boolean lending;

    /** Whether {@link #current} is only lent. */
    boolean isLent() {
      return lending && lent == current;
    }

    /** Makes {@code next} current and returns the context it replaces. */
    Context swap(Context next) {
      Context previous = current;
      current = next;
      return previous;
    }
  }

  /**
   * The variables the context was created with. Final, so that a copy costs no fence and is safe to
   * read however it was handed over.
   */
  private final CowMap initial;

  /**
   * The variables since the first change, or null; replaced, never changed. Written (release) only
   * by the thread that entered us; read with acquire from any thread.
   */
  @SuppressWarnings("unused") // accessed through CHANGED
  private CowMap changed;

  /**
   * The thread that entered this context, or null. Taken by CAS (only when null) and released with
   * a release store: the next thread's CAS sees everything the previous one did inside.
   */
  @SuppressWarnings("unused") // accessed through OWNER
  private Thread owner;

  /** Creates an empty context: Python's {@code contextvars.Context()}. */
  public Context() {
    this(CowMap.EMPTY);
  }

  private Context(CowMap vars) {
    this.initial = vars;
  }

  /**
   * Returns a copy of the current thread's context: Python's {@code contextvars.copy_context()}.
   * Cheap: the copy shares the variables until either side changes.
   *
   * @return a new context holding the current values
   */
  public static Context copyContext() {
    return current().copy();
  }

  /**
   * Returns a shallow copy of this context: Python's {@code ctx.copy()}.
   *
   * @return a new context with the same values
   */
  public Context copy() {
    return new Context(vars());
  }

  /** The current thread's context, to read (for ContextVar). */
  static Context current() {
    return CURRENT.get().current;
  }

  /**
   * The current thread's context, to write (for ContextVar): if it is only lent (see {@link
   * Slot#lent}), the copy it stands for is made now and becomes current.
   */
  static Context currentForWrite() {
    Slot s = CURRENT.get();
    if (s.isLent()) {
      s.current = s.current.copy();
    }
    return s.current;
  }

  /**
   * The current thread's context if it is a context of its own, or null while one is only lent: no
   * token can have been made in the copy that is not made yet (for ContextVar.reset).
   */
  static Context currentIfOwn() {
    Slot s = CURRENT.get();
    return s.isLent() ? null : s.current;
  }

  CowMap vars() {
    CowMap c = (CowMap) CHANGED.getAcquire(this);
    return c != null ? c : initial;
  }

  void vars(CowMap next) {
    CHANGED.setRelease(this, next);
  }

  // ---------------------------------------------------------------- running

  /**
   * Runs {@code fn} with this context as the current one, then restores the caller's context:
   * Python's {@code ctx.run(fn)}. Variables {@code fn} sets stay in this context.
   *
   * @param fn the code to run
   * @throws NullPointerException if {@code fn} is null
   * @throws IllegalStateException if this context is already entered, by this thread or another
   *     (CPython: {@code RuntimeError: cannot enter context: ... is already entered})
   * @throws RuntimeException whatever {@code fn} throws, as it is
   */
  public void run(Runnable fn) {
    Objects.requireNonNull(fn, "fn must not be null");
    runIn(CURRENT.get(), fn);
  }

  /**
   * Runs {@code fn} with this context as the current one and returns its result: Python's {@code
   * ctx.run(fn)}.
   *
   * @param fn the code to run
   * @param <T> the result type
   * @return what {@code fn} returns
   * @throws NullPointerException if {@code fn} is null
   * @throws IllegalStateException if this context is already entered
   * @throws RuntimeException whatever {@code fn} throws, as it is
   */
  public <T> T run(Supplier<T> fn) {
    Objects.requireNonNull(fn, "fn must not be null");
    Slot slot = enter();
    Context previous = slot.swap(this);
    try {
      return fn.get();
    } finally {
      exit(slot, previous);
    }
  }

  /**
   * Runs {@code fn} with {@code arg} with this context as the current one: Python's {@code
   * ctx.run(fn, arg)}. Unlike {@code run(() -> fn.accept(arg))}, allocates nothing.
   *
   * @param fn the code to run
   * @param arg what to pass to {@code fn}
   * @param <T> the argument type
   * @throws NullPointerException if {@code fn} is null
   * @throws IllegalStateException if this context is already entered
   * @throws RuntimeException whatever {@code fn} throws, as it is
   */
  public <T> void run(Consumer<? super T> fn, T arg) {
    Objects.requireNonNull(fn, "fn must not be null");
    runIn(CURRENT.get(), fn, arg);
  }

  /** {@link #run(Runnable)} on the calling thread's {@code slot}. */
  private void runIn(Slot slot, Runnable fn) {
    take();
    Context previous = slot.swap(this);
    try {
      fn.run();
    } finally {
      exit(slot, previous);
    }
  }

  /** {@link #run(Consumer, Object)} on the calling thread's {@code slot}. */
  private <T> void runIn(Slot slot, Consumer<? super T> fn, T arg) {
    take();
    Context previous = slot.swap(this);
    try {
      fn.accept(arg);
    } finally {
      exit(slot, previous);
    }
  }

  /** Gives up ownership and makes {@code previous} the thread's current context again. */
  private void exit(Slot slot, Context previous) {
    slot.current = previous;
    OWNER.setRelease(this, (Thread) null);
  }

  /** Takes ownership (or fails) and returns the thread's slot; the caller sets and restores it. */
  private Slot enter() {
    take();
    return CURRENT.get();
  }

  /** Takes ownership, or fails if another entry holds it. */
  private void take() {
    if (!OWNER.compareAndSet(this, (Thread) null, Thread.currentThread())) {
      throw new IllegalStateException("cannot enter context: " + this + " is already entered");
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Returns the value of {@code var} in this context: Python's {@code ctx.get(var)}. The variable's
   * own default is not consulted.
   *
   * @param var the variable
   * @param <T> its type
   * @return the value, or {@code null} if the variable is not set here
   * @throws NullPointerException if {@code var} is null
   */
  public <T> T get(ContextVar<T> var) {
    return get(var, null);
  }

  /**
   * Returns the value of {@code var} in this context, or {@code defaultValue}: Python's {@code
   * ctx.get(var, default)}.
   *
   * @param var the variable
   * @param defaultValue returned when the variable is not set here
   * @param <T> its type
   * @return the value or {@code defaultValue}
   * @throws NullPointerException if {@code var} is null
   */
  @SuppressWarnings("unchecked")
  public <T> T get(ContextVar<T> var, T defaultValue) {
    Objects.requireNonNull(var, "var must not be null");
    Object v = vars().get(var);
    return v == CowMap.ABSENT ? defaultValue : (T) v;
  }

  /**
   * Returns true if {@code var} is set in this context: Python's {@code var in ctx}.
   *
   * @param var the variable
   * @return whether it has a value here (possibly {@code null})
   * @throws NullPointerException if {@code var} is null
   */
  public boolean contains(ContextVar<?> var) {
    Objects.requireNonNull(var, "var must not be null");
    return vars().get(var) != CowMap.ABSENT;
  }

  /**
   * The number of variables set in this context: Python's {@code len(ctx)}.
   *
   * @return the count
   */
  public int size() {
    return vars().size();
  }

  /**
   * The variables set in this context, in the order they were first set: Python's {@code
   * ctx.keys()}.
   *
   * @return an unmodifiable snapshot
   */
  public List<ContextVar<?>> keys() {
    CowMap m = vars();
    List<ContextVar<?>> out = new ArrayList<>(m.size());
    for (int i = 0; i < m.size(); i++) {
      out.add((ContextVar<?>) m.keyAt(i));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The values in this context, in the order of {@link #keys()}: Python's {@code ctx.values()}.
   *
   * @return an unmodifiable snapshot (values may be {@code null})
   */
  public List<Object> values() {
    CowMap m = vars();
    List<Object> out = new ArrayList<>(m.size());
    for (int i = 0; i < m.size(); i++) {
      out.add(m.valueAt(i));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The variables and their values: Python's {@code ctx.items()}.
   *
   * @return an unmodifiable snapshot of entries
   */
  public List<Map.Entry<ContextVar<?>, Object>> items() {
    CowMap m = vars();
    List<Map.Entry<ContextVar<?>, Object>> out = new ArrayList<>(m.size());
    for (int i = 0; i < m.size(); i++) {
      out.add(new AbstractMap.SimpleImmutableEntry<>((ContextVar<?>) m.keyAt(i), m.valueAt(i)));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Iterates over a snapshot of the variables: Python's {@code iter(ctx)}.
   *
   * @return an iterator over {@link #keys()}
   */
  @Override
  public Iterator<ContextVar<?>> iterator() {
    return keys().iterator();
  }

  // ---------------------------------------------------------------- carrying into executors

  /**
   * Returns a task that runs {@code task} in a copy of the context current now, as {@code
   * asyncio.to_thread} does for its function. Each run gets a fresh copy of that snapshot, so the
   * task may run many times, also at once on several threads; what it sets is not seen outside.
   *
   * @param task the task
   * @return the wrapped task
   * @throws NullPointerException if {@code task} is null
   */
  public static Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task must not be null");
    Context snapshot = copyContext();
    return () -> snapshot.copy().run(task);
  }

  /**
   * Returns a task that calls {@code task} in a copy of the context current now; see {@link
   * #wrap(Runnable)}.
   *
   * @param task the task
   * @param <V> its result type
   * @return the wrapped task; it throws what {@code task} throws
   * @throws NullPointerException if {@code task} is null
   */
  public static <V> Callable<V> wrap(Callable<V> task) {
    Objects.requireNonNull(task, "task must not be null");
    Context snapshot = copyContext();
    return () -> {
      Context ctx = snapshot.copy();
      Slot slot = ctx.enter();
      Context previous = slot.swap(ctx);
      try {
        return task.call();
      } finally {
        ctx.exit(slot, previous);
      }
    };
  }

  /**
   * Returns an executor that runs each task in a copy of the context current when the task was
   * passed to {@link Executor#execute}: the bridge that carries contexts into any {@code
   * java.util.concurrent} executor.
   *
   * @param executor the executor that runs the tasks
   * @return the decorating executor
   * @throws NullPointerException if {@code executor} is null
   */
  public static Executor wrapExecutor(Executor executor) {
    Objects.requireNonNull(executor, "executor must not be null");
    return new Executor() {
      @Override
      public void execute(Runnable command) {
        executor.execute(wrap(command));
      }

      @Override
      public String toString() {
        return "Context.wrapExecutor(" + executor + ")";
      }
    };
  }

  /**
   * Describes the context by identity and size; values are not shown.
   *
   * @return for example {@code Context@1b6d3586[2 vars]}
   */
  @Override
  public String toString() {
    return "Context@"
        + Integer.toHexString(System.identityHashCode(this))
        + "["
        + size()
        + " vars]";
  }

  /** Fails a lookup of a variable that has no value and no default (Python's LookupError). */
  static NoSuchElementException lookupError(ContextVar<?> var) {
    return new NoSuchElementException(var + " has no value in the current context and no default");
  }
}
