package dev.eventual.loop;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Context;
import dev.eventual.FutureExecutor;
import dev.eventual.ThreadPoolFutureExecutor;
import dev.eventual.WaitInterruptedException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs callbacks one at a time on one thread: asyncio's event loop. Callbacks are scheduled with
 * {@link #callSoon} (FIFO), {@link #callLater} and {@link #callAt} (by time, then FIFO), or from
 * other threads with {@link #callSoonThreadsafe}. The loop runs on the thread that calls {@link
 * #runForever()} or {@link #runUntilComplete}, until {@link #stop()}; an idle loop blocks (on its
 * next timer or on work from other threads) and uses no CPU.
 *
 * <pre>{@code
 * try (EventLoop loop = new EventLoop()) {
 *   LoopFuture<String> fut = loop.createFuture();
 *   loop.callLater(Duration.ofSeconds(1), () -> fut.setResult("... world"));
 *   System.out.println("hello ...");
 *   System.out.println(loop.runUntilComplete(fut));
 * }
 * }</pre>
 *
 * <p>Only {@link #callSoonThreadsafe}, {@link #isRunning()}, {@link #isClosed()}, {@link #time()}
 * and {@link #timeNanos()} may be called from any thread; everything else belongs to the thread
 * running the loop (or, while it is not running, to the one thread that uses it). While the loop
 * runs, a call from another thread ({@code callSoon}, {@code createTask}, a loop future's {@code
 * setResult}, {@code cancel}, {@code addDoneCallback}, ...) fails at once with {@link
 * IllegalStateException} ("Non-thread-safe operation ... use callSoonThreadsafe"), in every mode:
 * CPython checks this only in debug mode, and outside it such a call could leave a callback waiting
 * forever for a loop that sleeps. In debug mode ({@link #setDebug}) callbacks slower than {@link
 * #getSlowCallbackDuration()} are logged, and handles and futures record where they were created.
 *
 * <p>A callback that throws is reported to the {@linkplain #setExceptionHandler exception handler}
 * and the loop goes on. The default handler logs through {@link System.Logger} (logger {@code
 * dev.eventual.loop.EventLoop}).
 *
 * <h2>Differences from Python</h2>
 *
 * <table>
 *   <caption>asyncio's loop and this class</caption>
 *   <tr><th>asyncio</th><th>here</th></tr>
 *   <tr><td>{@code call_soon(cb, *args, context=None)}</td>
 *       <td>{@link #callSoon(Runnable)}, {@link #callSoon(Runnable, Context)}: pass arguments with
 *       a lambda; the context defaults to a copy of the current one.</td></tr>
 *   <tr><td>{@code call_later(delay, ...)} with a float of seconds</td>
 *       <td>{@link #callLater(Duration, Runnable)}; {@link #callAt(double, Runnable)} keeps seconds
 *       as a double, {@link #callAtNanos} and {@link #timeNanos()} work in nanoseconds.</td></tr>
 *   <tr><td>{@code RuntimeError}</td><td>{@link IllegalStateException}</td></tr>
 *   <tr><td>a non-thread-safe call from another thread: {@code RuntimeError} in debug mode only
 *       ({@code _check_thread})</td>
 *       <td>{@link IllegalStateException} in every mode, while the loop runs.</td></tr>
 *   <tr><td>{@code ValueError} (future of another loop)</td>
 *       <td>{@link IllegalArgumentException}</td></tr>
 *   <tr><td>{@code get_running_loop()}</td><td>{@link #getRunningLoop()}</td></tr>
 *   <tr><td>{@code get_debug()}, {@code slow_callback_duration}</td>
 *       <td>{@link #getDebug()}, {@link #getSlowCallbackDuration()} and their setters.</td></tr>
 *   <tr><td>{@code run_in_executor(None, fn)}</td>
 *       <td>{@link #runInExecutor(FutureExecutor, Callable)} with {@code null}, or {@link
 *       #runInExecutor(Callable)}; the default executor is a {@link ThreadPoolFutureExecutor}
 *       created lazily and shut down by {@link #close()}.</td></tr>
 *   <tr><td>{@code KeyboardInterrupt} in {@code run_forever}</td>
 *       <td>An interrupt of the loop's thread, noticed when the loop would block, ends {@link
 *       #runForever()} with {@link WaitInterruptedException} (the interrupt flag stays set).</td></tr>
 *   <tr><td>{@code Handle.cancel()}</td><td>May be called from any thread.</td></tr>
 *   <tr><td>virtual time for tests</td>
 *       <td>Not in asyncio: {@link TestEventLoop}; any clock can be injected with {@link
 *       #EventLoop(LongSupplier)}.</td></tr>
 *   <tr><td>sockets, subprocesses, signals, transports</td><td>Not offered.</td></tr>
 * </table>
 */
public class EventLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");
  final Scheduler scheduler;
  final TaskRuntime runtime = new TaskRuntime(this);
  private volatile boolean closed;
  private boolean debug;
  private long slowCallbackNanos = 100_000_000L;
  private ExceptionHandler exceptionHandler;
  private FutureExecutor defaultExecutor;
  private boolean executorShutdownCalled;
  private TaskFactory taskFactory;

  /** Creates a loop on the {@link System#nanoTime()} clock. */
  public EventLoop() {
    this(System::nanoTime);
  }

  /**
   * Creates a loop that reads the time from {@code nanoClock}. The clock must be monotonic and
   * advance in nanoseconds at the speed of real time, since the loop sleeps for the difference
   * between now and its next timer. For time that moves only when a test says so, use {@link
   * TestEventLoop}.
   *
   * @param nanoClock the clock, in nanoseconds
   * @throws NullPointerException if {@code nanoClock} is null
   */
  public EventLoop(LongSupplier nanoClock) {
    this.scheduler =
        new Scheduler(this, Objects.requireNonNull(nanoClock, "nanoClock must not be null"));
    LoopRegistry.register(this); // seen by dev.eventual.loop.tools.Ps through JMX
  }

  /**
   * Returns the loop running on the current thread: asyncio's {@code get_running_loop()}.
   *
   * @return the running loop
   * @throws IllegalStateException "no running event loop", if none runs on this thread
   */
  public static EventLoop getRunningLoop() {
    EventLoop loop = Scheduler.runningLoop();
    if (loop == null) {
      throw new IllegalStateException("no running event loop");
    }
    return loop;
  }

  /**
   * Which task runtime this JVM runs task bodies on: {@code "continuation"} (on the loop's own
   * thread, JDK 21+ started with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}),
   * {@code "virtual"} (a virtual thread per task, JDK 21+) or {@code "platform"} (a platform thread
   * per pending task, any JDK). Chosen once, at the first use; {@code
   * -Ddev.eventual.loop.taskRuntime=continuation|virtual|platform|threads|auto} asks for one. See
   * the README's JDK table for what each costs.
   *
   * @return the runtime's name
   */
  public static String taskRuntime() {
    switch (TaskRuntime.kind()) {
      case CONTINUATION:
        return "continuation";
      case VIRTUAL_THREAD:
        return "virtual";
      default:
        return "platform";
    }
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
    Handle h = new Handle(this, callback, context);
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
    Handle h = new Handle(this, callback, context);
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
   * @throws IllegalStateException if the loop is closed, already running, or another loop is
   *     running on this thread
   * @throws WaitInterruptedException if the thread is interrupted while the loop waits for work;
   *     the interrupt flag stays set
   */
  public void runForever() {
    enter();
    try {
      for (; ; ) {
        scheduler.runOnce(true, debug, slowCallbackNanos);
        if (scheduler.isStopping()) {
          break;
        }
      }
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
   *     thread, or the loop was stopped before the future was done ("Event loop stopped before
   *     Future completed.")
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
    LoopRegistry.unregister(this);
    scheduler.clear();
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
  }

  final void exit() {
    scheduler.exit();
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

  // ---------------------------------------------------------------- I/O (asyncio's selector loop)

  final IoSelector io() {
    return scheduler.io;
  }

  /**
   * Calls {@code callback} each time {@code channel} is readable (or, for a server socket, has a
   * connection to accept), until {@link #removeReader}: asyncio's {@code add_reader(fd, callback)}.
   * A reader already registered for the channel is replaced (its handle cancelled). The first
   * reader or writer of a loop opens its {@link java.nio.channels.Selector}; from then on the loop
   * waits in it.
   *
   * @param channel a non-blocking channel
   * @param callback what to call; it runs in the context current now
   * @throws NullPointerException if {@code channel} or {@code callback} is null
   * @throws IllegalArgumentException if {@code channel} is blocking or closed
   * @throws IllegalStateException if the loop is closed, or it runs in another thread than the
   *     caller's
   * @throws java.io.UncheckedIOException if the selector cannot be opened
   */
  public void addReader(SelectableChannel channel, Runnable callback) {
    addIo(channel, callback, true, "addReader");
  }

  /**
   * Stops calling the reader of {@code channel}: asyncio's {@code remove_reader(fd)}.
   *
   * @param channel the channel
   * @return whether it had a reader
   * @throws NullPointerException if {@code channel} is null
   * @throws IllegalStateException if the loop is closed, or it runs in another thread than the
   *     caller's
   */
  public boolean removeReader(SelectableChannel channel) {
    checkClosed();
    checkThread("removeReader");
    return scheduler.io.remove(channel, true);
  }

  /**
   * Calls {@code callback} each time {@code channel} is writable (or, for a socket whose connection
   * is pending, when the connection is made or fails), until {@link #removeWriter}: asyncio's
   * {@code add_writer(fd, callback)}. A writer already registered is replaced.
   *
   * @param channel a non-blocking channel
   * @param callback what to call; it runs in the context current now
   * @throws NullPointerException if {@code channel} or {@code callback} is null
   * @throws IllegalArgumentException if {@code channel} is blocking or closed
   * @throws IllegalStateException if the loop is closed, or it runs in another thread than the
   *     caller's
   * @throws java.io.UncheckedIOException if the selector cannot be opened
   */
  public void addWriter(SelectableChannel channel, Runnable callback) {
    addIo(channel, callback, false, "addWriter");
  }

  /**
   * Stops calling the writer of {@code channel}: asyncio's {@code remove_writer(fd)}.
   *
   * @param channel the channel
   * @return whether it had a writer
   * @throws NullPointerException if {@code channel} is null
   * @throws IllegalStateException if the loop is closed, or it runs in another thread than the
   *     caller's
   */
  public boolean removeWriter(SelectableChannel channel) {
    checkClosed();
    checkThread("removeWriter");
    return scheduler.io.remove(channel, false);
  }

  private void addIo(SelectableChannel channel, Runnable callback, boolean reader, String method) {
    Objects.requireNonNull(channel, "channel must not be null");
    Objects.requireNonNull(callback, "callback must not be null");
    checkClosed();
    checkThread(method);
    scheduler.io.add(
        channel, new Handle(this, callback, scheduler.copyCurrentContext()), reader, null);
  }

  /**
   * Receives up to {@code n} bytes from {@code channel}: asyncio's {@code sock_recv(sock, n)}. The
   * future holds what one read returned, an empty array at end of stream; cancelling it stops
   * waiting.
   *
   * @param channel a connected non-blocking socket channel
   * @param n the most bytes to receive, zero or more
   * @return a future of the bytes received
   * @throws NullPointerException if {@code channel} is null
   * @throws IllegalArgumentException if {@code channel} is blocking or {@code n} is negative
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another socket operation already waits to read {@code channel} (CPython would leave that
   *     one pending for ever)
   */
  public LoopFuture<byte[]> sockRecv(SocketChannel channel, int n) {
    return SocketOps.recv(this, channel, n);
  }

  /**
   * Receives into {@code buffer} (from its position up to its limit): asyncio's {@code
   * sock_recv_into(sock, buf)}.
   *
   * @param channel a connected non-blocking socket channel
   * @param buffer where the bytes go
   * @return a future of how many bytes were received: 0 at end of stream (as in Python, not -1)
   * @throws NullPointerException if {@code channel} or {@code buffer} is null
   * @throws IllegalArgumentException if {@code channel} is blocking or {@code buffer} read-only
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another operation already waits to read {@code channel}
   */
  public LoopFuture<Integer> sockRecvInto(SocketChannel channel, ByteBuffer buffer) {
    return SocketOps.recvInto(this, channel, buffer);
  }

  /**
   * Sends every remaining byte of {@code data}, waiting while the socket's send buffer is full:
   * asyncio's {@code sock_sendall(sock, data)}. The buffer's position advances as bytes go; after a
   * cancel or an error it tells how far the send got.
   *
   * @param channel a connected non-blocking socket channel
   * @param data the bytes to send
   * @return a future that is done once every byte was handed to the socket
   * @throws NullPointerException if {@code channel} or {@code data} is null
   * @throws IllegalArgumentException if {@code channel} is blocking
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another operation already waits to write {@code channel}
   */
  public LoopFuture<Void> sockSendall(SocketChannel channel, ByteBuffer data) {
    return SocketOps.sendall(this, channel, data);
  }

  /**
   * Connects {@code channel} to {@code address}: asyncio's {@code sock_connect(sock, address)}. An
   * unresolved address is resolved first with {@link #getaddrinfo}, as CPython does.
   *
   * @param channel an unconnected non-blocking socket channel
   * @param address where to connect
   * @return a future that is done once connected, or fails with the connect's error (for example
   *     {@link java.net.ConnectException} when nothing listens there)
   * @throws NullPointerException if {@code channel} or {@code address} is null
   * @throws IllegalArgumentException if {@code channel} is blocking
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another operation already waits to write {@code channel}
   */
  public LoopFuture<Void> sockConnect(SocketChannel channel, SocketAddress address) {
    return SocketOps.connect(this, channel, address);
  }

  /**
   * Accepts a connection on {@code channel}: asyncio's {@code sock_accept(sock)}. The accepted
   * channel is non-blocking; its peer is {@link SocketChannel#getRemoteAddress()} (Python returns
   * the pair).
   *
   * @param channel a bound non-blocking server socket channel
   * @return a future of the accepted channel
   * @throws NullPointerException if {@code channel} is null
   * @throws IllegalArgumentException if {@code channel} is blocking
   * @throws IllegalStateException if the loop is closed, runs in another thread than the caller's,
   *     or another operation already waits to accept on {@code channel}
   */
  public LoopFuture<SocketChannel> sockAccept(ServerSocketChannel channel) {
    return SocketOps.accept(this, channel);
  }

  /**
   * Resolves {@code host} in the default executor: asyncio's {@code getaddrinfo(host, port)}, which
   * also runs the blocking lookup in a thread. Python returns 5-tuples; this returns the socket
   * addresses, in the resolver's order.
   *
   * @param host a host name or address literal; null for the loopback address
   * @param port the port of every address, 0..65535
   * @return a future of the addresses, failing with {@link java.net.UnknownHostException}
   * @throws IllegalArgumentException if {@code port} is out of range
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<List<InetSocketAddress>> getaddrinfo(String host, int port) {
    return SocketOps.getaddrinfo(this, host, port);
  }

  /**
   * Opens a TCP connection to {@code host}:{@code port} and wires a new protocol to it: asyncio's
   * {@code create_connection(protocol_factory, host, port)}. The addresses {@link #getaddrinfo}
   * gives are tried in order; the future is done once the protocol's {@code connectionMade} ran.
   *
   * @param protocolFactory makes the protocol (a {@link Protocol} or {@link BufferedProtocol})
   * @param host the host name or address
   * @param port the port, 0..65535
   * @param <P> the protocol's type
   * @return a future of the transport and protocol; it fails with the first connect error (the
   *     others suppressed), or the factory's
   * @throws NullPointerException if {@code protocolFactory} or {@code host} is null
   * @throws IllegalArgumentException if {@code port} is out of range
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends BaseProtocol> LoopFuture<Connection<P>> createConnection(
      Supplier<P> protocolFactory, String host, int port) {
    return Connections.connect(this, protocolFactory, host, port);
  }

  /**
   * {@link #createServer(Supplier, String, int, int)} with asyncio's default backlog of 100.
   *
   * @param protocolFactory makes a protocol per accepted connection
   * @param host the host to bind; null for every interface
   * @param port the port, 0..65535; 0 picks a free one per address
   * @return a future of the serving server
   * @throws NullPointerException if {@code protocolFactory} is null
   * @throws IllegalArgumentException if {@code port} is out of range
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Server> createServer(
      Supplier<? extends BaseProtocol> protocolFactory, String host, int port) {
    return createServer(protocolFactory, host, port, 100);
  }

  /**
   * Listens on every address of {@code host} and serves each accepted connection with a new
   * protocol: asyncio's {@code create_server(protocol_factory, host, port, backlog=backlog)}. The
   * server already serves when the future is done.
   *
   * @param protocolFactory makes a protocol per accepted connection
   * @param host the host to bind; null for every interface
   * @param port the port, 0..65535; 0 picks a free one per address
   * @param backlog the listen backlog, also how many connections one turn accepts at most
   * @return a future of the serving server; it fails with the bind's error (for example an address
   *     in use)
   * @throws NullPointerException if {@code protocolFactory} is null
   * @throws IllegalArgumentException if {@code port} is out of range or {@code backlog} is not
   *     positive
   * @throws IllegalStateException if the loop is closed
   */
  public LoopFuture<Server> createServer(
      Supplier<? extends BaseProtocol> protocolFactory, String host, int port, int backlog) {
    return Connections.serve(this, protocolFactory, host, port, backlog);
  }

  // ---------------------------------------------------------------- futures and executors

  /**
   * Creates a future bound to this loop: asyncio's {@code create_future()}.
   *
   * @param <V> the result type
   * @return a new pending future
   */
  public <V> LoopFuture<V> createFuture() {
    return new LoopFuture<>(this);
  }

  /**
   * Wraps {@code body} in a task and schedules its first step: asyncio's {@code create_task}. The
   * task runs in a copy of the current context and is named {@code Task-<n>}.
   *
   * @param body the task's code, in direct style (it may call {@link Await#await})
   * @param <V> the result type
   * @return the new pending task
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public <V> Task<V> createTask(TaskBody<V> body) {
    return createTask(body, null, null);
  }

  /**
   * Wraps {@code body} in a task with a name and a context: asyncio's {@code create_task(coro,
   * name=name, context=context)}. Each step of the task enters {@code context} and leaves it when
   * the body suspends, so several tasks may share one context, as in CPython.
   *
   * @param body the task's code, in direct style (it may call {@link Await#await})
   * @param name the name, or null for {@code Task-<n>}
   * @param context the context to run in, or null for a copy of the current one
   * @param <V> the result type
   * @return the new pending task
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public <V> Task<V> createTask(TaskBody<V> body, String name, Context context) {
    return createTask(body, name, context, null);
  }

  /**
   * Wraps {@code body} in a task, started eagerly or not: asyncio's {@code create_task(coro,
   * name=name, context=context, eager_start=eager_start)} (3.14). An eager task's body runs at once
   * until it first suspends (see {@link TaskFactory}); without a {@linkplain #setTaskFactory task
   * factory}, null means false.
   *
   * @param body the task's code, in direct style (it may call {@link Await#await})
   * @param name the name, or null for {@code Task-<n>}
   * @param context the context to run in, or null for a copy of the current one
   * @param eagerStart whether to start the body now, or null to let the task factory decide
   * @param <V> the result type
   * @return the new task (already done if an eager body ended without suspending)
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException if the loop is closed, if the task factory returned null or a
   *     task of another loop, or if called from another thread than the one running the loop
   *     (always checked, not only in debug mode)
   */
  public <V> Task<V> createTask(
      TaskBody<V> body, String name, Context context, Boolean eagerStart) {
    Objects.requireNonNull(body, "body must not be null");
    checkClosed();
    TaskFactory factory = taskFactory;
    if (factory == null) {
      return TaskFactory.newTask(this, body, name, context, eagerStart != null && eagerStart);
    }
    Task<V> task = factory.createTask(this, body, name, context, eagerStart);
    if (task == null || task.getLoop() != this) {
      throw new IllegalStateException(
          "the task factory " + factory + " returned " + task + " instead of a task of this loop");
    }
    return task;
  }

  /**
   * Sets what {@link #createTask} calls to make tasks: asyncio's {@code set_task_factory}. {@link
   * TaskFactory#EAGER} makes every task eager.
   *
   * @param factory the factory, or null for plain tasks
   */
  public void setTaskFactory(TaskFactory factory) {
    taskFactory = factory;
  }

  /**
   * The factory set by {@link #setTaskFactory}: asyncio's {@code get_task_factory}.
   *
   * @return the factory, or null when tasks are made plainly
   */
  public TaskFactory getTaskFactory() {
    return taskFactory;
  }

  /**
   * Runs {@code fn} in the default executor and returns a loop future of its result; see {@link
   * #runInExecutor(FutureExecutor, Callable)}.
   *
   * @param fn the function
   * @param <V> its result type
   * @return a future of this loop that completes with {@code fn}'s outcome
   * @throws NullPointerException if {@code fn} is null
   * @throws IllegalStateException if the loop is closed
   */
  public <V> LoopFuture<V> runInExecutor(Callable<V> fn) {
    return runInExecutor(null, fn);
  }

  /**
   * Runs {@code fn} in {@code executor} (the default executor when null) and returns a loop future
   * of its result, delivered through {@link #callSoonThreadsafe}: asyncio's {@code
   * run_in_executor}. Cancelling the loop future cancels the executor's future while it has not
   * started. As in asyncio, {@code fn} does not run in the caller's context; wrap it with {@link
   * Context#wrap(Callable)} for that.
   *
   * @param executor the executor, or null for the default one
   * @param fn the function
   * @param <V> its result type
   * @return a future of this loop that completes with {@code fn}'s outcome
   * @throws NullPointerException if {@code fn} is null
   * @throws IllegalStateException if the loop is closed
   * @throws RejectedExecutionException if the executor is shut down
   */
  public <V> LoopFuture<V> runInExecutor(FutureExecutor executor, Callable<V> fn) {
    Objects.requireNonNull(fn, "fn must not be null");
    checkClosed();
    FutureExecutor ex = executor != null ? executor : defaultExecutor();
    ConcurrentFuture<V> submitted = ex.submit(fn);
    return Asyncio.wrapFuture(submitted, this);
  }

  private FutureExecutor defaultExecutor() {
    if (executorShutdownCalled) {
      throw new IllegalStateException("Executor shutdown has been called");
    }
    if (defaultExecutor == null) {
      defaultExecutor =
          ThreadPoolFutureExecutor.builder().threadNamePrefix("eventual-loop-executor").build();
    }
    return defaultExecutor;
  }

  /**
   * Shuts down the default executor and returns a future that is done once its threads have
   * finished, or {@code timeout} passed (then it is shut down without waiting and a warning is
   * logged): asyncio's {@code await loop.shutdown_default_executor(timeout)}. The waiting happens
   * on a thread of its own, never on the loop. Afterwards {@link #runInExecutor(Callable)} refuses
   * work with "Executor shutdown has been called". {@link Runner#close()} and {@link
   * Asyncio#run(TaskBody)} call it.
   *
   * @param timeout how long to wait for the executor's threads, or null for no limit
   * @return a future of this loop, done when the executor has finished (already done when there is
   *     no default executor)
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws IllegalStateException if the loop is closed, or if called from another thread than the
   *     one running the loop (always checked, not only in debug mode)
   */
  public LoopFuture<Void> shutdownDefaultExecutor(Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    checkClosed();
    checkThread("shutdownDefaultExecutor");
    executorShutdownCalled = true;
    return ExecutorShutdown.start(this, defaultExecutor, timeout);
  }

  /**
   * Sets the executor {@link #runInExecutor(Callable)} uses: asyncio's {@code
   * set_default_executor}. {@link #close()} shuts it down, as asyncio does.
   *
   * @param executor the executor
   * @throws NullPointerException if {@code executor} is null
   */
  public void setDefaultExecutor(FutureExecutor executor) {
    defaultExecutor = Objects.requireNonNull(executor, "executor must not be null");
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
      handler.handle(this, context);
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

  /**
   * Describes the loop: running, closed, debug, and once it has had a reader or writer how many it
   * has now.
   *
   * @return for example {@code EventLoop@1b6d3586[running=true closed=false debug=false]}, or
   *     {@code EventLoop@1b6d3586[running=true closed=false debug=false readers=2 writers=0]}
   */
  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "@"
        + Integer.toHexString(System.identityHashCode(this))
        + "[running="
        + isRunning()
        + " closed="
        + closed
        + " debug="
        + debug
        + scheduler.io.describe()
        + "]";
  }
}
