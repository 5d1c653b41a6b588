package dev.eventual.loop;

import dev.eventual.Context;
import dev.eventual.FutureExecutor;
import dev.eventual.WaitInterruptedException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The part of {@link EventLoop} that schedules and runs callbacks and reports errors, as CPython's
 * {@code base_events.BaseEventLoop}: {@code call_soon}, {@code call_later}, {@code call_at}, {@code
 * run_forever}, {@code run_until_complete}, {@code stop}, {@code close}, the exception handler and
 * debug mode. It is a class of its own only to keep each file readable; the only subclass is {@link
 * SelectorEventLoop}, whose only subclass is {@link EventLoop}, the class to use. Thread rules, the
 * loop's states and the differences from Python are described on {@link EventLoop}.
 */
public abstract sealed class BaseEventLoop implements AutoCloseable permits SelectorEventLoop {
  static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");
  final Scheduler scheduler;
  final TaskRuntime runtime;
  volatile boolean closed;

  /** Unretrieved-exception reports on their way from the cleaner's thread to the handler. */
  final UnretrievedReports unretrieved = new UnretrievedReports(this);

  boolean debug;
  private long slowCallbackNanos = 100_000_000L;
  private ExceptionHandler exceptionHandler;
  FutureExecutor defaultExecutor;

  BaseEventLoop(LongSupplier nanoClock) {
    this.scheduler =
        new Scheduler(self(), Objects.requireNonNull(nanoClock, "nanoClock must not be null"));
    this.runtime = new TaskRuntime(self());
  }

  /** This loop as the one concrete class; the hierarchy is sealed, so the cast cannot fail. */
  final EventLoop self() {
    return (EventLoop) this;
  }

  // ---------------------------------------------------------------- scheduling

  /**
   * Schedules {@code callback} to run soon, after the callbacks already scheduled, in a copy of the
   * current context: asyncio's {@code call_soon}.
   *
   * @param callback the callback
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public Handle callSoon(Runnable callback) {
    return callSoon(callback, scheduler.copyCurrentContext());
  }

  /**
   * Schedules {@code callback} to run soon in {@code context}: asyncio's {@code call_soon(callback,
   * context=context)}.
   *
   * @param callback the callback
   * @param context the context to run it in
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} or {@code context} is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public Handle callSoon(Runnable callback, Context context) {
    Objects.requireNonNull(callback, "callback must not be null");
    Objects.requireNonNull(context, "context must not be null");
    checkClosed();
    checkThread("callSoon");
    Handle h = new Handle(self(), callback, context);
    scheduler.schedule(h);
    return h;
  }

  /**
   * Like {@link #callSoon(Runnable)}, but safe from any thread; wakes the loop if it is waiting:
   * asyncio's {@code call_soon_threadsafe}.
   *
   * @param callback the callback
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} is null
   * @throws IllegalStateException if the loop is closed
   */
  public Handle callSoonThreadsafe(Runnable callback) {
    return callSoonThreadsafe(callback, scheduler.copyCurrentContext());
  }

  /**
   * Like {@link #callSoon(Runnable, Context)}, but safe from any thread: asyncio's {@code
   * call_soon_threadsafe(callback, context=context)}.
   *
   * @param callback the callback
   * @param context the context to run it in
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} or {@code context} is null
   * @throws IllegalStateException if the loop is closed
   */
  public Handle callSoonThreadsafe(Runnable callback, Context context) {
    Objects.requireNonNull(callback, "callback must not be null");
    Objects.requireNonNull(context, "context must not be null");
    checkClosed();
    Handle h = new Handle(self(), callback, context);
    scheduler.scheduleThreadsafe(h);
    return h;
  }

  /** callSoonThreadsafe for the library: false instead of an exception when closed. */
  final boolean callSoonThreadsafeIfOpen(Runnable callback) {
    try {
      callSoonThreadsafe(callback);
      return true;
    } catch (IllegalStateException closedMeanwhile) {
      return false;
    }
  }

  /**
   * Schedules {@code callback} to run after {@code delay}, in a copy of the current context:
   * asyncio's {@code call_later}. A zero or negative delay makes it due at once (as asyncio);
   * callbacks due at the same time run in the order they were scheduled.
   *
   * @param delay how long from now
   * @param callback the callback
   * @return a handle that can cancel it
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public TimerHandle callLater(Duration delay, Runnable callback) {
    return callLater(delay, callback, scheduler.copyCurrentContext());
  }

  /**
   * Schedules {@code callback} to run after {@code delay} in {@code context}: asyncio's {@code
   * call_later(delay, callback, context=context)}.
   *
   * @param delay how long from now
   * @param callback the callback
   * @param context the context to run it in
   * @return a handle that can cancel it
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public TimerHandle callLater(Duration delay, Runnable callback, Context context) {
    Objects.requireNonNull(delay, "delay must not be null");
    return callAtNanos(
        scheduler.clock.getAsLong() + Scheduler.clampDelay(delay), callback, context);
  }

  /**
   * Schedules {@code callback} at time {@code when} (seconds, on the scale of {@link #time()}), in
   * a copy of the current context: asyncio's {@code call_at}.
   *
   * @param when the time
   * @param callback the callback
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} is null
   * @throws IllegalArgumentException if {@code when} is NaN
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public TimerHandle callAt(double when, Runnable callback) {
    return callAt(when, callback, scheduler.copyCurrentContext());
  }

  /**
   * Schedules {@code callback} at time {@code when} in {@code context}: asyncio's {@code
   * call_at(when, callback, context=context)}.
   *
   * @param when the time, in seconds on the scale of {@link #time()}
   * @param callback the callback
   * @param context the context to run it in
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} or {@code context} is null
   * @throws IllegalArgumentException if {@code when} is NaN
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public TimerHandle callAt(double when, Runnable callback, Context context) {
    if (Double.isNaN(when)) {
      throw new IllegalArgumentException("when must not be NaN");
    }
    long whenNanos = Scheduler.clampWhen(when, scheduler.clock.getAsLong());
    return callAtNanos(whenNanos, callback, context);
  }

  /**
   * Schedules {@code callback} at {@code whenNanos} on the scale of {@link #timeNanos()}, in a copy
   * of the current context.
   *
   * @param whenNanos the time, in nanoseconds
   * @param callback the callback
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public TimerHandle callAtNanos(long whenNanos, Runnable callback) {
    return callAtNanos(whenNanos, callback, scheduler.copyCurrentContext());
  }

  /**
   * Schedules {@code callback} at {@code whenNanos} in {@code context}. A time more than about 73
   * years ({@code 2^61} ns) before or after now is taken as that far, so that every time compares
   * with every other one, however extreme ({@code Long.MIN_VALUE} runs at the next turn, {@code
   * Long.MAX_VALUE} never delays an earlier timer).
   *
   * @param whenNanos the time, in nanoseconds on the scale of {@link #timeNanos()}
   * @param callback the callback
   * @param context the context to run it in
   * @return a handle that can cancel it
   * @throws NullPointerException if {@code callback} or {@code context} is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public TimerHandle callAtNanos(long whenNanos, Runnable callback, Context context) {
    Objects.requireNonNull(callback, "callback must not be null");
    Objects.requireNonNull(context, "context must not be null");
    checkClosed();
    checkThread("callAt");
    long now = scheduler.clock.getAsLong();
    return scheduler.addTimer(Scheduler.clampNanos(whenNanos, now), callback, context);
  }

  /**
   * The loop's current time in seconds, from its monotonic clock: asyncio's {@code loop.time()}.
   *
   * @return the time; only differences are meaningful
   */
  public double time() {
    return scheduler.clock.getAsLong() / 1e9;
  }

  /**
   * The loop's current time in nanoseconds, the scale of {@link #callAtNanos} and {@link
   * TimerHandle#whenNanos()}.
   *
   * @return the time; only differences are meaningful
   */
  public long timeNanos() {
    return scheduler.clock.getAsLong();
  }

  // ---------------------------------------------------------------- running

  /**
   * Runs the loop on the calling thread until {@link #stop()} is called: asyncio's {@code
   * run_forever}. Stopping before this call makes it run the callbacks already scheduled, once, and
   * return. A stopped loop can be run again.
   *
   * @throws IllegalStateException if the loop is closed, already running, another loop is running
   *     on this thread, or a task of the loop is suspended in a continuation on another thread (see
   *     {@link EventLoop#taskRuntime()})
   * @throws WaitInterruptedException if the thread is interrupted while the loop waits for work;
   *     the interrupt flag stays set
   */
  public void runForever() {
    enter();
    try {
      scheduler.runUntilStopped(); // turns (runOnce) until isStopping(), debug mode read per turn
    } finally {
      exit();
    }
  }

  /**
   * Runs the loop until {@code future} is done and returns its result: asyncio's {@code
   * run_until_complete}.
   *
   * @param future a future of this loop
   * @param <V> the result type
   * @return the future's result
   * @throws NullPointerException if {@code future} is null
   * @throws IllegalArgumentException if the future belongs to another loop
   * @throws IllegalStateException if the loop is closed, already running, another loop runs on this
   *     thread, a task of the loop is suspended in a continuation on another thread (see {@link
   *     EventLoop#taskRuntime()}), or the loop was stopped before the future was done ("Event loop
   *     stopped before Future completed.")
   * @throws java.util.concurrent.CancellationException if the future was cancelled
   * @throws RuntimeException the future's exception if unchecked, or a {@link
   *     java.util.concurrent.CompletionException} wrapping a checked one
   * @throws Error the future's exception if it is an error
   * @throws WaitInterruptedException if the thread is interrupted while the loop waits
   */
  public <V> V runUntilComplete(LoopFuture<V> future) {
    Objects.requireNonNull(future, "future must not be null");
    checkClosed();
    if (future.getLoop() != this) {
      throw new IllegalArgumentException(
          "The future belongs to a different loop than the one specified: " + future);
    }
    Consumer<LoopFuture<V>> stopper = new Stopper<>();
    future.addDoneCallback(stopper);
    try {
      runForever();
    } finally {
      future.removeDoneCallback(stopper);
    }
    if (!future.isDone()) {
      throw new IllegalStateException("Event loop stopped before Future completed.");
    }
    return future.result();
  }

  /** Stops the loop once the future of runUntilComplete is done. */
  private static final class Stopper<V> implements Consumer<LoopFuture<V>>, Handle.Described {
    @Override
    public void accept(LoopFuture<V> f) {
      f.getLoop().stop();
    }

    @Override
    public String toString() {
      return "EventLoop.runUntilComplete stopper";
    }
  }

  /**
   * Asks the loop to stop: the callbacks already scheduled run, then {@link #runForever()} returns.
   * Asyncio's {@code loop.stop()}. From another thread, prefer {@code
   * callSoonThreadsafe(loop::stop)}; a direct call from another thread also wakes the loop.
   */
  public void stop() {
    scheduler.stop();
  }

  /**
   * Returns true while the loop runs: asyncio's {@code is_running()}. Safe from any thread.
   *
   * @return whether a thread runs the loop now
   */
  public boolean isRunning() {
    return scheduler.owner.get() != null;
  }

  /**
   * Returns true once {@link #close()} was called: asyncio's {@code is_closed()}. Safe from any
   * thread.
   *
   * @return whether the loop is closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the loop: drops every pending callback and shuts down the default executor without
   * waiting for it; asyncio's {@code close()}. Closing again does nothing.
   *
   * @throws IllegalStateException if the loop is running ("Cannot close a running event loop")
   */
  @Override
  public void close() {
    if (isRunning()) {
      throw new IllegalStateException("Cannot close a running event loop");
    }
    if (closed) {
      return;
    }
    runtime.abandonAll();
    closed = true;
    LoopRegistry.unregister(self());
    scheduler.clear();
    unretrieved.flushAtClose(); // after the clear: each report is delivered by its drain or here
    scheduler.io.close();
    FutureExecutor executor = defaultExecutor;
    defaultExecutor = null;
    if (executor != null) {
      executor.shutdown(false, false);
    }
  }

  final void enter() {
    checkClosed();
    scheduler.enter();
    try {
      runtime.checkRunner(Thread.currentThread());
    } catch (IllegalStateException wrongThread) {
      scheduler.release();
      throw wrongThread;
    }
  }

  final void exit() {
    scheduler.exit();
  }

  /** The slow-callback duration in nanoseconds (see {@link #getSlowCallbackDuration()}). */
  final long slowCallbackNanos() {
    return slowCallbackNanos;
  }

  final void runOnce(boolean mayBlock) {
    scheduler.runOnce(mayBlock, debug, slowCallbackNanos);
  }

  /**
   * Waits until work arrives from another thread or {@code timeoutNanos} pass ({@code -1}: no
   * limit). May return early. {@link TestEventLoop} moves its virtual time instead.
   */
  void idle(long timeoutNanos) {
    scheduler.park(timeoutNanos);
  }

  final void timerCancelled(TimerHandle t) {
    scheduler.timerCancelled(t);
  }

  final void checkClosed() {
    if (closed) {
      throw new IllegalStateException("Event loop is closed");
    }
  }

  /**
   * Fails a non-thread-safe call made, while the loop runs, from another thread than the one
   * running it (or the task thread acting for it). Always on, not only in debug mode: such a call
   * would otherwise touch the loop's queues unsynchronized, and a callback it schedules could wait
   * forever for a loop that sleeps. The cost is one thread comparison (a volatile read of the owner
   * and {@code Thread.currentThread()}), measured in LoopFutureBenchmark.
   */
  final void checkThread(String method) {
    Thread o = scheduler.owner.get();
    if (o != null) {
      Thread me = Thread.currentThread();
      if (o != me && me != runtime.carrier) {
        throw new IllegalStateException(
            "Non-thread-safe operation "
                + method
                + "() invoked from thread '"
                + me.getName()
                + "' on an event loop running in thread '"
                + o.getName()
                + "'; use callSoonThreadsafe");
      }
    }
  }

  // ---------------------------------------------------------------- errors and debug

  /**
   * Sets the handler of errors nobody else can receive: asyncio's {@code set_exception_handler}.
   *
   * @param handler the handler, or null for {@link #defaultExceptionHandler}
   */
  public void setExceptionHandler(ExceptionHandler handler) {
    exceptionHandler = handler;
  }

  /**
   * The handler set by {@link #setExceptionHandler}: asyncio's {@code get_exception_handler}.
   *
   * @return the handler, or null when the default one is used
   */
  public ExceptionHandler getExceptionHandler() {
    return exceptionHandler;
  }

  /**
   * Reports an error to the exception handler: asyncio's {@code call_exception_handler}. If the
   * handler throws, that is logged together with the original report, and this method returns
   * normally.
   *
   * @param context what happened
   * @throws NullPointerException if {@code context} is null
   */
  public void callExceptionHandler(ExceptionContext context) {
    Objects.requireNonNull(context, "context must not be null");
    ExceptionHandler handler = exceptionHandler;
    if (handler == null) {
      try {
        defaultExceptionHandler(context);
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.ERROR, "Exception in default exception handler", t);
      }
      return;
    }
    try {
      handler.handle(self(), context);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      try {
        defaultExceptionHandler(
            new ExceptionContext(
                "Unhandled error in exception handler; the report was: " + context.message(),
                t,
                context.future(),
                context.handle()));
      } catch (VirtualMachineError fatal) {
        throw fatal;
      } catch (Throwable t2) {
        LOG.log(
            System.Logger.Level.ERROR,
            "Exception in default exception handler while handling an unexpected error in custom"
                + " exception handler",
            t2);
      }
    }
  }

  /**
   * Logs a report at level ERROR (logger {@code dev.eventual.loop.EventLoop}): asyncio's {@code
   * default_exception_handler}. Subclasses may override it.
   *
   * @param context what happened
   * @throws NullPointerException if {@code context} is null
   */
  public void defaultExceptionHandler(ExceptionContext context) {
    StringBuilder text = new StringBuilder(context.message());
    if (context.future() != null) {
      text.append("\nfuture: ").append(context.future());
    }
    if (context.handle() != null) {
      text.append("\nhandle: ").append(context.handle());
    }
    LOG.log(System.Logger.Level.ERROR, text.toString(), context.exception());
  }

  /**
   * Whether debug mode is on: asyncio's {@code get_debug()}.
   *
   * @return the debug flag
   */
  public boolean getDebug() {
    return debug;
  }

  /**
   * Turns debug mode on or off: asyncio's {@code set_debug}. Call it before the loop runs or from
   * its thread. In debug mode slow callbacks are logged at WARNING, and new handles and futures
   * record where they were created (non-thread-safe calls from other threads fail in every mode).
   *
   * @param enabled the new flag
   */
  public void setDebug(boolean enabled) {
    debug = enabled;
  }

  /**
   * How long a callback may run before debug mode reports it: asyncio's {@code
   * slow_callback_duration}, 100 ms by default.
   *
   * @return the threshold
   */
  public Duration getSlowCallbackDuration() {
    return Duration.ofNanos(slowCallbackNanos);
  }

  /**
   * Sets the threshold of {@link #getSlowCallbackDuration()}.
   *
   * @param duration zero or positive
   * @throws NullPointerException if {@code duration} is null
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public void setSlowCallbackDuration(Duration duration) {
    Objects.requireNonNull(duration, "duration must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE;
    }
    slowCallbackNanos = nanos;
  }
}
