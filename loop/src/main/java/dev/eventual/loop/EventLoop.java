package dev.eventual.loop;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Context;
import dev.eventual.FutureExecutor;
import dev.eventual.ThreadPoolFutureExecutor;
import dev.eventual.WaitInterruptedException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

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
 * <p>Sockets, transports and servers ({@link #createConnection}, {@link #createServer}, {@link
 * #sockRecv}, {@link #addReader}, ...) wait in a {@link java.nio.channels.Selector} that the loop
 * opens with its first reader or writer; see {@link SelectorEventLoop} and {@link
 * TransportEventLoop}.
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
 *   <tr><td>a loop may be run by one thread, then by another</td>
 *       <td>The same, unless a task of the loop is suspended in a continuation ({@link
 *       #taskRuntime()}): a continuation resumes only on the thread it suspended on, so a run on
 *       another thread throws {@link IllegalStateException} and leaves the loop as it was. {@link
 *       #close()} on another thread still unwinds the tasks.</td></tr>
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
 *   <tr><td>{@code BaseEventLoop} and {@code BaseSelectorEventLoop} under it</td>
 *       <td>{@link BaseEventLoop} (scheduling, running, errors), {@link SelectorEventLoop} (readers,
 *       writers and the low-level socket calls) and {@link TransportEventLoop} (connections,
 *       servers, TLS, datagrams, Unix sockets) are this class's sealed superclasses, split only to
 *       keep each file readable; this is the class to create.</td></tr>
 *   <tr><td>signals</td><td>Not offered.</td></tr>
 * </table>
 */
public non-sealed class EventLoop extends TransportEventLoop {
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
    super(nanoClock);
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

  // ---------------------------------------------------------------- subprocesses

  /**
   * {@link #subprocessExec(java.util.function.Supplier, java.util.List, SubprocessRedirect,
   * SubprocessRedirect, SubprocessRedirect)} with a pipe for each of stdin, stdout and stderr,
   * asyncio's defaults.
   *
   * @param protocolFactory makes the process's protocol
   * @param args the program and its arguments
   * @param <P> the protocol's type
   * @return a future of the transport and protocol
   * @throws NullPointerException if {@code protocolFactory}, {@code args} or one of them is null
   * @throws IllegalArgumentException if {@code args} is empty
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends SubprocessProtocol> LoopFuture<SubprocessConnection<P>> subprocessExec(
      java.util.function.Supplier<P> protocolFactory, java.util.List<String> args) {
    return subprocessExec(
        protocolFactory,
        args,
        SubprocessRedirect.PIPE,
        SubprocessRedirect.PIPE,
        SubprocessRedirect.PIPE);
  }

  /**
   * Starts {@code args} as a child process and wires a new protocol to it: asyncio's {@code
   * loop.subprocess_exec(protocol_factory, *args, stdin=, stdout=, stderr=)}. The future is done
   * once the protocol's {@code connectionMade} ran.
   *
   * <p><b>Threads.</b> A {@link java.lang.Process}'s pipes are blocking streams, not selectable
   * channels, so they cannot join the loop's selector. Each pipe gets one daemon pump thread
   * ({@code eventual-subprocess-<pid>-stdin}, {@code -stdout}, {@code -stderr}) that blocks on the
   * stream and hands each chunk to the loop with {@link #callSoonThreadsafe}; a reading pump keeps
   * at most one chunk (64 KiB) in flight, so pausing the pipe's reading holds the child back. The
   * exit comes from {@link java.lang.Process#onExit()} (the JDK's own reaper thread). A pump ends
   * with its pipe: at end of stream, at an error, or when the pipe is closed (or within half a
   * second of the loop's close); a pump blocked in a read of a pipe that a grandchild keeps open
   * leaves only when that grandchild writes or closes it, because Java cannot interrupt a blocking
   * read of a pipe. At the child's exit the JDK closes this end of each output pipe once no read is
   * in progress (what was buffered is still read), so a grandchild that inherited a pipe may have
   * its later output cut off. {@link SubprocessTransport#close()} kills a child that still runs, as
   * asyncio does.
   *
   * <p>Differences from Python: no {@code cwd}, {@code env} or file objects as redirections; the
   * return code of a child killed by signal N is 128 + N (see {@link SubprocessTransport}).
   *
   * @param protocolFactory makes the process's protocol
   * @param args the program and its arguments (the program is looked up in {@code PATH})
   * @param stdin {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stdout {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stderr {@code PIPE}, {@code DEVNULL}, {@code STDOUT} or {@code INHERIT}
   * @param <P> the protocol's type
   * @return a future of the transport and protocol; it fails with the start's {@link
   *     java.io.IOException} (for example "Cannot run program" for a missing program), or the
   *     factory's error
   * @throws NullPointerException if an argument, or one of {@code args}, is null
   * @throws IllegalArgumentException if {@code args} is empty, or {@code stdin} or {@code stdout}
   *     is {@code STDOUT}
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends SubprocessProtocol> LoopFuture<SubprocessConnection<P>> subprocessExec(
      java.util.function.Supplier<P> protocolFactory,
      java.util.List<String> args,
      SubprocessRedirect stdin,
      SubprocessRedirect stdout,
      SubprocessRedirect stderr) {
    return ProcessTransport.start(self(), protocolFactory, args, stdin, stdout, stderr);
  }

  /**
   * {@link #subprocessShell(java.util.function.Supplier, String, SubprocessRedirect,
   * SubprocessRedirect, SubprocessRedirect)} with a pipe for each stream.
   *
   * @param protocolFactory makes the process's protocol
   * @param cmd the shell command
   * @param <P> the protocol's type
   * @return a future of the transport and protocol
   * @throws NullPointerException if {@code protocolFactory} or {@code cmd} is null
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends SubprocessProtocol> LoopFuture<SubprocessConnection<P>> subprocessShell(
      java.util.function.Supplier<P> protocolFactory, String cmd) {
    return subprocessShell(
        protocolFactory,
        cmd,
        SubprocessRedirect.PIPE,
        SubprocessRedirect.PIPE,
        SubprocessRedirect.PIPE);
  }

  /**
   * Runs {@code cmd} with {@code /bin/sh -c}: asyncio's {@code loop.subprocess_shell(
   * protocol_factory, cmd, stdin=, stdout=, stderr=)}. Otherwise as {@link #subprocessExec}; quote
   * what you put into {@code cmd} yourself.
   *
   * @param protocolFactory makes the process's protocol
   * @param cmd the shell command
   * @param stdin {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stdout {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stderr {@code PIPE}, {@code DEVNULL}, {@code STDOUT} or {@code INHERIT}
   * @param <P> the protocol's type
   * @return a future of the transport and protocol
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code stdin} or {@code stdout} is {@code STDOUT}
   * @throws IllegalStateException if the loop is closed
   */
  public <P extends SubprocessProtocol> LoopFuture<SubprocessConnection<P>> subprocessShell(
      java.util.function.Supplier<P> protocolFactory,
      String cmd,
      SubprocessRedirect stdin,
      SubprocessRedirect stdout,
      SubprocessRedirect stderr) {
    Objects.requireNonNull(cmd, "cmd must not be null");
    return subprocessExec(
        protocolFactory, java.util.List.of("/bin/sh", "-c", cmd), stdin, stdout, stderr);
  }
}
