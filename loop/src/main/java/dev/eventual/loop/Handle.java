package dev.eventual.loop;

import dev.eventual.Context;
import dev.eventual.internal.ContextAccess;
import dev.eventual.loop.internal.Tracebacks;
import java.util.function.Consumer;

/**
 * A callback scheduled on an {@link EventLoop}, as {@link EventLoop#callSoon} returns it: asyncio's
 * {@code Handle}. The callback runs once, in the {@link Context} captured when it was scheduled,
 * unless the handle is cancelled first.
 *
 * <p>{@link #cancel()} may be called from any thread (the flag is volatile); a handle cancelled
 * from another thread while the loop is about to run it may still run once.
 */
public sealed class Handle permits TimerHandle {
  /** Callbacks of the library that describe themselves safely in {@link Handle#toString()}. */
  interface Described {}

  /**
   * The loop; or, for a future's done-callback, the future (which knows its loop). Sharing one
   * field keeps a done-callback handle as small as a plain one, with no wrapper around the
   * callback.
   */
  private final Object owner;

  private static final ContextAccess CONTEXTS = ContextAccess.get();

  /**
   * A Runnable; or, when {@link #owner} is a future, the Consumer that receives it; or a task's
   * {@link Strand}, which runs the task's step.
   */
  private final Object callback;

  private final Context context;
  private final StackTraceElement[] sourceTraceback;
  private volatile boolean cancelled;

  Handle(EventLoop loop, Runnable callback, Context context) {
    this.owner = loop;
    this.callback = callback;
    this.context = context;
    this.sourceTraceback = loop.getDebug() ? Tracebacks.capture() : null;
  }

  /** A handle that passes {@code future} to its done-callback {@code callback}. */
  <V> Handle(LoopFuture<V> future, Consumer<? super LoopFuture<V>> callback, Context context) {
    this.owner = future;
    this.callback = callback;
    this.context = context;
    this.sourceTraceback = future.getLoop().getDebug() ? Tracebacks.capture() : null;
  }

  /**
   * A handle that runs a task's step, in debug mode (where every callback gets a handle, which is
   * timed); the step enters its task's context itself. Outside debug mode a step needs no handle.
   */
  Handle(Strand step, Context context) {
    this.owner = step.task.getLoop();
    this.callback = step;
    this.context = context;
    this.sourceTraceback = Tracebacks.capture();
  }

  /** The loop that runs the callback. */
  final EventLoop loop() {
    return owner instanceof LoopFuture<?> f ? f.getLoop() : (EventLoop) owner;
  }

  /**
   * Cancels the callback: if it has not run yet, it never will. Cancelling again does nothing.
   * Python's {@code handle.cancel()}.
   */
  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      onCancel();
    }
  }

  void onCancel() {}

  /**
   * Returns true if the handle was cancelled: Python's {@code handle.cancelled()}.
   *
   * @return whether {@link #cancel()} was called
   */
  public boolean isCancelled() {
    return cancelled;
  }

  /**
   * The context the callback runs in: Python's {@code handle.get_context()}.
   *
   * @return the context
   */
  public Context getContext() {
    return context;
  }

  /**
   * Where the handle was created, in debug mode (asyncio's {@code _source_traceback}).
   *
   * @return the stack of the code that scheduled the callback, or null when debug mode was off
   */
  public StackTraceElement[] getSourceTraceback() {
    return sourceTraceback == null ? null : sourceTraceback.clone();
  }

  /**
   * Runs the callback in its context; what it throws goes to the loop's exception handler.
   *
   * @param slot the running thread's context slot (see {@link ContextAccess})
   */
  @SuppressWarnings("unchecked")
  final void run(Object slot) {
    try {
      if (callback instanceof Strand step) {
        step.step(slot); // a task's step: it enters the task's own context itself
      } else if (owner instanceof LoopFuture<?> f) {
        CONTEXTS.run(context, slot, (Consumer<Object>) callback, f);
      } else {
        CONTEXTS.run(context, slot, (Runnable) callback);
      }
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      reportFailure(t);
    }
  }

  /** Hands what the callback threw to the loop's exception handler. */
  final void reportFailure(Throwable t) {
    loop()
        .callExceptionHandler(
            new ExceptionContext("Exception in callback " + describeCallback(), t, null, this));
  }

  final String describeCallback() {
    String described =
        callback instanceof Described ? callback.toString() : Tracebacks.identity(callback);
    return owner instanceof LoopFuture<?> f ? described + " for " + f : described;
  }

  String kind() {
    return "Handle";
  }

  /**
   * Describes the handle: kind, state, callback (by class, never by its own {@code toString}) and,
   * in debug mode, where it was created.
   *
   * @return for example {@code Handle@1b6d3586[cancelled Main$$Lambda@4554617c]}
   */
  @Override
  public String toString() {
    return kind()
        + "@"
        + Integer.toHexString(System.identityHashCode(this))
        + "["
        + (cancelled ? "cancelled " : "")
        + details()
        + describeCallback()
        + Tracebacks.createdAt(sourceTraceback)
        + "]";
  }

  String details() {
    return "";
  }
}
