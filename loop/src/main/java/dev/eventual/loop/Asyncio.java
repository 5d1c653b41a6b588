package dev.eventual.loop;

import dev.eventual.ConcurrentFuture;
import dev.eventual.DoneAndNotDone;
import dev.eventual.ReturnWhen;
import dev.eventual.WaitTimeoutException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The module functions of Python's {@code asyncio}, as static methods: {@code asyncio.wrap_future}
 * is {@code Asyncio.wrapFuture}. The class is named after the module so that a reader of the Python
 * documentation finds each function under the same name (as core's {@code Futures} holds those of
 * {@code concurrent.futures}).
 *
 * <p>Python's coroutine functions ({@code sleep}, {@code wait_for}, {@code wait}) are direct-style
 * methods here: they must be called by a {@link Task}'s body, suspend that task without blocking
 * the loop, and return the value the {@code await} would produce. The others return loop futures to
 * pass to {@link Await#await}.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code TimeoutError} is {@link WaitTimeoutException}; {@code ValueError} and {@code
 *       TypeError} are {@link IllegalArgumentException}; {@code RuntimeError} is {@link
 *       IllegalStateException}.
 *   <li>{@code gather(*aws, return_exceptions=True)} is {@link #gather(List, boolean)}, whose list
 *       holds {@code Object}s (results or exceptions). Coroutines are not accepted by {@code
 *       gather}: create tasks, or use {@link #gatherLimited}, which takes bodies.
 *   <li>{@code async with timeout(delay) as cm:} is {@code Timeout cm = timeout(delay);
 *       cm.run(body)} ({@link Timeout#run}), or {@link #timeout(Duration, TaskBody)} when the block
 *       needs no handle; likewise {@link #timeoutAt(Double)}.
 *   <li>{@code to_thread(func, *args)} is a coroutine function; {@link #toThread} returns the loop
 *       future to await (or gather), as {@code run_in_executor} does; pass arguments with a lambda.
 *   <li>{@code as_completed} returns an iterator whose {@code next()} awaits and returns the next
 *       future to complete (Python 3.13's {@code async for} form).
 * </ul>
 */
public final class Asyncio {
  private Asyncio() {}

  /**
   * Creates a loop, runs {@code main} as a task on it until it is done, cancels the tasks left,
   * shuts down the default executor and closes the loop: Python's {@code asyncio.run(main)}, a
   * {@link Runner} used once. A task left over that ends with an exception other than a
   * cancellation is reported to the loop's exception handler.
   *
   * @param main the main task's code
   * @param <T> its result type
   * @return what {@code main} returned
   * @throws NullPointerException if {@code main} is null
   * @throws IllegalStateException if a loop is running on this thread (or this is a task's thread)
   * @throws CancellationException if the main task was cancelled
   * @throws dev.eventual.WaitInterruptedException if the thread was interrupted while the loop
   *     waited (see {@link Runner#run(TaskBody)})
   * @throws RuntimeException what {@code main} threw, if unchecked, or a {@link
   *     CompletionException} wrapping a checked one
   * @throws Error what {@code main} threw, if an error
   */
  public static <T> T run(TaskBody<T> main) {
    return run(main, null, null);
  }

  /**
   * Like {@link #run(TaskBody)}, with the loop's debug mode set: Python's {@code asyncio.run(main,
   * debug=debug)}.
   *
   * @param main the main task's code
   * @param debug whether the loop runs in debug mode
   * @param <T> its result type
   * @return what {@code main} returned
   * @throws NullPointerException if {@code main} is null
   * @throws IllegalStateException if a loop is running on this thread (or this is a task's thread)
   * @throws CancellationException if the main task was cancelled
   * @throws dev.eventual.WaitInterruptedException if the thread was interrupted while the loop
   *     waited (see {@link Runner#run(TaskBody)})
   * @throws RuntimeException what {@code main} threw, if unchecked, or a {@link
   *     CompletionException} wrapping a checked one
   * @throws Error what {@code main} threw, if an error
   */
  public static <T> T run(TaskBody<T> main, boolean debug) {
    return run(main, debug, null);
  }

  /**
   * Like {@link #run(TaskBody)}, on a loop that {@code loopFactory} creates: Python's {@code
   * asyncio.run(main, debug=debug, loop_factory=loop_factory)} (3.12).
   *
   * @param main the main task's code
   * @param debug the loop's debug mode, or null to leave it as the factory made it
   * @param loopFactory what creates the loop, or null for {@code new EventLoop()}
   * @param <T> its result type
   * @return what {@code main} returned
   * @throws NullPointerException if {@code main} is null
   * @throws IllegalStateException if a loop is running on this thread (or this is a task's thread),
   *     or if the factory returns null or a closed loop
   * @throws CancellationException if the main task was cancelled
   * @throws dev.eventual.WaitInterruptedException if the thread was interrupted while the loop
   *     waited (see {@link Runner#run(TaskBody)})
   * @throws RuntimeException what {@code main} threw, if unchecked, or a {@link
   *     CompletionException} wrapping a checked one
   * @throws Error what {@code main} threw, if an error
   */
  public static <T> T run(
      TaskBody<T> main, Boolean debug, Supplier<? extends EventLoop> loopFactory) {
    Objects.requireNonNull(main, "main must not be null");
    if (Scheduler.runningLoop() != null) {
      throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop");
    }
    try (Runner runner = new Runner(debug, loopFactory)) {
      return runner.run(main);
    }
  }

  /**
   * Creates a task on the running loop: Python's {@code asyncio.create_task(coro)}.
   *
   * @param body the task's code
   * @param <V> its result type
   * @return the new task
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException "no running event loop", if none runs on this thread
   */
  public static <V> Task<V> createTask(TaskBody<V> body) {
    Objects.requireNonNull(body, "body must not be null");
    return EventLoop.getRunningLoop().createTask(body);
  }

  /**
   * Creates a task on the running loop, started eagerly or not: Python's {@code
   * asyncio.create_task(coro, name=name, context=context, eager_start=eager_start)} (3.14); see
   * {@link EventLoop#createTask(TaskBody, String, Context, Boolean)}.
   *
   * @param body the task's code
   * @param name the name, or null for {@code Task-<n>}
   * @param context the context, or null for a copy of the current one
   * @param eagerStart whether to run the body at once until it first suspends, or null to let the
   *     loop's task factory decide
   * @param <V> its result type
   * @return the new task (already done if an eager body ended without suspending)
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException "no running event loop", if none runs on this thread
   */
  public static <V> Task<V> createTask(
      TaskBody<V> body, String name, dev.eventual.Context context, Boolean eagerStart) {
    Objects.requireNonNull(body, "body must not be null");
    return EventLoop.getRunningLoop().createTask(body, name, context, eagerStart);
  }

  /**
   * Python's {@code asyncio.eager_task_factory} (3.12): pass it to {@link EventLoop#setTaskFactory}
   * to start every task eagerly.
   *
   * @return {@link TaskFactory#EAGER}
   */
  public static TaskFactory eagerTaskFactory() {
    return TaskFactory.EAGER;
  }

  /**
   * Suspends the current task for {@code delay}: Python's {@code await asyncio.sleep(delay)}. A
   * zero or negative delay lets the loop run the other ready callbacks once, then resumes.
   *
   * @param delay how long
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it sleeps
   */
  public static void sleep(Duration delay) {
    Waits.sleep(delay, null);
  }

  /**
   * Suspends the current task for {@code delay}, then returns {@code result}: Python's {@code await
   * asyncio.sleep(delay, result)}.
   *
   * @param delay how long
   * @param result what to return
   * @param <T> its type
   * @return {@code result}
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it sleeps
   */
  public static <T> T sleep(Duration delay, T result) {
    return Waits.sleep(delay, result);
  }

  /**
   * Returns a future of the results of {@code futures}, in their order: Python's {@code
   * asyncio.gather(*aws)}. The first exception (or cancellation, as a {@link
   * CancellationException}) of a child becomes the outer future's exception; the other children go
   * on. Cancelling the outer future cancels every child. A future given twice is awaited once.
   *
   * @param futures futures of one loop
   * @param <T> the result type
   * @return the outer future; with no futures, one of the running loop already done with an empty
   *     list
   * @throws NullPointerException if {@code futures} or one of them is null
   * @throws IllegalArgumentException if the futures belong to different loops
   * @throws IllegalStateException if {@code futures} is empty and no loop runs on this thread
   */
  @SafeVarargs
  public static <T> LoopFuture<List<T>> gather(LoopFuture<? extends T>... futures) {
    Objects.requireNonNull(futures, "futures must not be null");
    return Gathering.gather(null, Arrays.asList(futures), false);
  }

  /**
   * Like {@link #gather(LoopFuture[])}, for a list.
   *
   * @param futures futures of one loop
   * @param <T> the result type
   * @return the outer future
   * @throws NullPointerException if {@code futures} or one of them is null
   * @throws IllegalArgumentException if the futures belong to different loops
   * @throws IllegalStateException if {@code futures} is empty and no loop runs on this thread
   */
  public static <T> LoopFuture<List<T>> gather(List<? extends LoopFuture<? extends T>> futures) {
    return Gathering.gather(null, futures, false);
  }

  /**
   * Python's {@code asyncio.gather(*aws, return_exceptions=...)}. With {@code returnExceptions},
   * the outer future waits for every child and its list holds each one's result, exception, or
   * {@link CancellationException}; without, it is {@link #gather(List)}.
   *
   * @param futures futures of one loop
   * @param returnExceptions whether exceptions are returned in the list
   * @return the outer future
   * @throws NullPointerException if {@code futures} or one of them is null
   * @throws IllegalArgumentException if the futures belong to different loops
   * @throws IllegalStateException if {@code futures} is empty and no loop runs on this thread
   */
  public static LoopFuture<List<Object>> gather(
      List<? extends LoopFuture<?>> futures, boolean returnExceptions) {
    return Gathering.gather(null, futures, returnExceptions);
  }

  /**
   * Runs {@code bodies} as tasks of the running loop, at most {@code limit} at a time, and gathers
   * their results in order (as {@link #gather(List)}). Not in asyncio (people write it with a
   * semaphore). Once the outer future is cancelled, bodies not yet started never start.
   *
   * @param limit how many tasks may run at once, at least 1
   * @param bodies the tasks' code
   * @param <T> the result type
   * @return the outer future
   * @throws NullPointerException if {@code bodies} or one of them is null
   * @throws IllegalArgumentException if {@code limit} is not positive
   * @throws IllegalStateException "no running event loop", if none runs on this thread
   */
  public static <T> LoopFuture<List<T>> gatherLimited(
      int limit, List<? extends TaskBody<? extends T>> bodies) {
    return Gathering.gatherLimited(EventLoop.getRunningLoop(), limit, bodies);
  }

  /**
   * Awaits {@code future} for at most {@code timeout}, cancelling it on timeout: Python's {@code
   * await asyncio.wait_for(fut, timeout)}. If it is a task, this waits until the cancellation is
   * done; a result that arrived before the timeout, or that the task returns despite the
   * cancellation, wins.
   *
   * @param future a future of the current task's loop
   * @param timeout the limit; zero or negative: a done future's result, else cancel and time out
   * @param <T> the result type
   * @return the future's result
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if called outside a task
   * @throws WaitTimeoutException if the timeout passed first
   * @throws CancellationException if the future or the waiting task was cancelled
   * @throws RuntimeException the future's exception if unchecked, or a {@link CompletionException}
   *     wrapping a checked one
   */
  public static <T> T waitFor(LoopFuture<T> future, Duration timeout) {
    return Waits.waitFor(future, timeout);
  }

  /**
   * Runs {@code body} as a task and awaits it for at most {@code timeout}: Python's {@code await
   * asyncio.wait_for(coro, timeout)}.
   *
   * @param body the code
   * @param timeout the limit
   * @param <T> the result type
   * @return its result
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if called outside a task
   * @throws WaitTimeoutException if the timeout passed first
   * @throws CancellationException if the waiting task was cancelled
   * @throws RuntimeException the body's exception if unchecked, or a {@link CompletionException}
   *     wrapping a checked one
   */
  public static <T> T waitFor(TaskBody<T> body, Duration timeout) {
    Objects.requireNonNull(body, "body must not be null");
    Objects.requireNonNull(timeout, "timeout must not be null");
    return Waits.waitFor(Task.require("Asyncio.waitFor()").getLoop().createTask(body), timeout);
  }

  /**
   * Runs {@code body} in the current task with a deadline: Python's {@code async with
   * asyncio.timeout(delay):}, that is {@code timeout(delay).run(body)}; see {@link Timeout}. When
   * the delay passes, the task is cancelled; if the resulting {@link CancellationException} leaves
   * {@code body}, it becomes a {@link WaitTimeoutException}. A cancellation from elsewhere stays a
   * cancellation ({@link Task#cancelling()} counts them).
   *
   * @param delay the time allowed, or null for no deadline
   * @param body the code
   * @param <T> its result type
   * @return what {@code body} returned
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException if called outside a task
   * @throws WaitTimeoutException if the deadline passed and cancelled the body
   * @throws Exception what {@code body} threw
   */
  public static <T> T timeout(Duration delay, TaskBody<T> body) throws Exception {
    Objects.requireNonNull(body, "body must not be null");
    return timeout(delay).run(body);
  }

  /**
   * A deadline {@code delay} from now, for a block to {@link Timeout#run}: Python's {@code
   * asyncio.timeout(delay)}.
   *
   * @param delay the time allowed from now (zero or negative: already past), or null for no
   *     deadline
   * @return the handle, not entered yet
   * @throws IllegalStateException "no running event loop", if none runs on this thread
   */
  public static Timeout timeout(Duration delay) {
    return Timeout.after(EventLoop.getRunningLoop(), delay);
  }

  /**
   * A deadline at {@code when}, for a block to {@link Timeout#run}: Python's {@code
   * asyncio.timeout_at(when)} (3.11).
   *
   * @param when the deadline in seconds on the scale of {@link EventLoop#time()}, or null for none
   * @return the handle, not entered yet
   * @throws IllegalArgumentException if {@code when} is NaN
   */
  public static Timeout timeoutAt(Double when) {
    return new Timeout(when);
  }

  /**
   * Runs {@code body} in the current task with a deadline at {@code when}: Python's {@code async
   * with asyncio.timeout_at(when):}, that is {@code timeoutAt(when).run(body)}.
   *
   * @param when the deadline in seconds on the scale of {@link EventLoop#time()}, or null for none
   * @param body the code
   * @param <T> its result type
   * @return what {@code body} returned
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalArgumentException if {@code when} is NaN
   * @throws IllegalStateException if called outside a task
   * @throws WaitTimeoutException if the deadline passed and cancelled the body
   * @throws Exception what {@code body} threw
   */
  public static <T> T timeoutAt(Double when, TaskBody<T> body) throws Exception {
    Objects.requireNonNull(body, "body must not be null");
    return new Timeout(when).run(body);
  }

  /**
   * Protects {@code future} from cancellation: Python's {@code asyncio.shield(aw)}. Returns a new
   * future that follows it; cancelling the returned future leaves {@code future} running. A done
   * future is returned as it is.
   *
   * @param future the future to protect
   * @param <T> the result type
   * @return the outer future
   * @throws NullPointerException if {@code future} is null
   */
  public static <T> LoopFuture<T> shield(LoopFuture<T> future) {
    return Waits.shield(future);
  }

  // ---------------------------------------------------------------- call graph (3.14)

  /**
   * The call graph of the current task: Python 3.14's {@code asyncio.capture_call_graph()}. Its
   * call stack is the caller's own frames (down to the task body's entry); its {@code awaitedBy}
   * the tasks that await this one, each with where it is suspended, recursively.
   *
   * @return the graph, or null when called on the loop's thread outside a task (a callback)
   * @throws IllegalStateException if no loop runs on this thread
   */
  public static FutureCallGraph captureCallGraph() {
    return CallGraphs.capture(null);
  }

  /**
   * The call graph of {@code future}: Python 3.14's {@code asyncio.capture_call_graph(future)}. For
   * a task, its call stack is where its body is suspended ({@link Task#getStack()}, newest first);
   * for a plain future it is empty. {@link FutureCallGraph#awaitedBy()} holds the tasks that await
   * it (through {@code await}, {@link #gather}, {@link #shield}, {@link #wait}, {@link #waitFor},
   * or a {@link TaskGroup} exit), each with its own graph.
   *
   * <p>Nothing is recorded as tasks await: the graph is rebuilt from the loop's pending tasks when
   * asked (one pass over them, plus one stack read per task in the graph), so it costs the await
   * path nothing. Differences from Python: a {@link TaskGroup}'s tasks count as awaited by the
   * group's parent task only while the parent waits for them at the end of {@link TaskGroup#run}
   * (CPython links them from their creation); a gather counts as awaited by the task that awaits it
   * (CPython: the task that called {@code gather}).
   *
   * @param future a future or task
   * @return the graph
   * @throws NullPointerException if {@code future} is null
   * @throws IllegalStateException if called from another thread while the future's loop runs
   */
  public static FutureCallGraph captureCallGraph(LoopFuture<?> future) {
    return CallGraphs.capture(Objects.requireNonNull(future, "future must not be null"));
  }

  /**
   * The call graph of {@code future} as text: Python 3.14's {@code
   * asyncio.format_call_graph(future)}. Lines look like {@code * Task(name='worker',
   * id=0x1b6d3586)}, {@code + Call stack:}, {@code | at Main.work(Main.java:12)}, {@code + Awaited
   * by:}, each level indented by four spaces.
   *
   * @param future a future or task
   * @return the text, without a final newline
   * @throws NullPointerException if {@code future} is null
   * @throws IllegalStateException if called from another thread while the future's loop runs
   */
  public static String formatCallGraph(LoopFuture<?> future) {
    return CallGraphs.format(captureCallGraph(future));
  }

  /**
   * Prints {@link #formatCallGraph(LoopFuture)} and a newline to {@code out}: Python 3.14's {@code
   * asyncio.print_call_graph(future, file=out)}.
   *
   * @param future a future or task
   * @param out where to print
   * @throws NullPointerException if {@code future} or {@code out} is null
   * @throws IllegalStateException if called from another thread while the future's loop runs
   */
  public static void printCallGraph(LoopFuture<?> future, PrintStream out) {
    Objects.requireNonNull(out, "out must not be null");
    out.println(formatCallGraph(future));
    out.flush();
  }

  /**
   * Waits until {@code futures} are done as {@code returnWhen} says, or {@code timeout} passes:
   * Python's {@code await asyncio.wait(aws, timeout=..., return_when=...)}. Nothing is cancelled on
   * timeout.
   *
   * @param futures futures of the current task's loop
   * @param timeout the limit, or null for none
   * @param returnWhen when to return
   * @param <F> the future type
   * @return the futures done and not done, each in the given order
   * @throws NullPointerException if {@code futures}, one of them or {@code returnWhen} is null
   * @throws IllegalArgumentException "Set of Tasks/Futures is empty.", a negative timeout, or a
   *     future of another loop
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the waiting task is cancelled
   */
  public static <F extends LoopFuture<?>> DoneAndNotDone<F> wait(
      Collection<F> futures, Duration timeout, ReturnWhen returnWhen) {
    return Waits.wait(futures, timeout, returnWhen);
  }

  /**
   * Yields {@code futures} as they complete: Python's {@code asyncio.as_completed(aws,
   * timeout=...)}, in Python 3.13's {@code async for} form: the iterator's {@code next()} must be
   * called in a task of their loop; it awaits the next future to complete and returns it, the very
   * object that was given (a future given twice is yielded once). Nothing is cancelled on timeout;
   * after the {@link WaitTimeoutException}, {@code hasNext()} is false.
   *
   * @param futures futures of the running loop
   * @param timeout the limit for the whole iteration, or null for none; once it passes, {@code
   *     next()} throws {@link WaitTimeoutException}
   * @param <F> the future type
   * @return the iterator
   * @throws NullPointerException if {@code futures} or one of them is null
   * @throws IllegalArgumentException if a future belongs to another loop than the running one
   * @throws IllegalStateException "no running event loop", if none runs on this thread
   */
  public static <F extends LoopFuture<?>> Iterator<F> asCompleted(
      Collection<F> futures, Duration timeout) {
    Objects.requireNonNull(futures, "futures must not be null");
    return new Waits.AsCompleted<>(EventLoop.getRunningLoop(), futures, timeout);
  }

  /**
   * Runs {@code fn} on the running loop's default executor, in a copy of the current context, and
   * returns a loop future of its outcome: Python's {@code await asyncio.to_thread(fn)} (3.9), whose
   * function runs in {@code contextvars.copy_context()}. Await it from a task, or gather several.
   * Cancelling the loop future cancels the call while it has not started (as in Python, a call
   * already running goes on).
   *
   * @param fn the blocking function
   * @param <T> its result type
   * @return a future of the running loop
   * @throws NullPointerException if {@code fn} is null
   * @throws IllegalStateException "no running event loop", if none runs on this thread; "Executor
   *     shutdown has been called" after {@link EventLoop#shutdownDefaultExecutor}
   */
  public static <T> LoopFuture<T> toThread(java.util.concurrent.Callable<T> fn) {
    return Threads.toThread(fn);
  }

  /**
   * Submits {@code body} as a task of {@code loop} from any thread, and returns a thread-safe
   * future of its outcome: Python's {@code asyncio.run_coroutine_threadsafe(coro, loop)}. The task
   * is created on the loop's thread (through {@link EventLoop#callSoonThreadsafe}). Cancelling the
   * returned future cancels the task (on the loop's thread); a task that ends cancelled cancels the
   * future. If the task cannot be created (the loop's task factory throws), the future gets that
   * exception and the loop reports it to its exception handler.
   *
   * @param body the task's code
   * @param loop the loop to run it on, usually running on another thread
   * @param <T> its result type
   * @return the thread-safe future; its {@code result(timeout)} may be waited on from any thread
   *     but the loop's
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the loop is closed
   */
  public static <T> ConcurrentFuture<T> runCoroutineThreadsafe(TaskBody<T> body, EventLoop loop) {
    return Threads.runCoroutineThreadsafe(body, loop);
  }

  // ---------------------------------------------------------------- streams (asyncio.streams)

  /**
   * Opens a TCP connection and returns its reader and writer: Python's {@code reader, writer =
   * await asyncio.open_connection(host, port)}, with the default limit of 64 KiB. Suspends the
   * calling task until the connection is made.
   *
   * @param host the host name or address
   * @param port the port, 0..65535
   * @return the reader and the writer
   * @throws java.io.IOException the connect's error (for example {@link java.net.ConnectException}
   *     when nothing listens there; the errors of the other addresses suppressed)
   * @throws NullPointerException if {@code host} is null
   * @throws IllegalArgumentException if {@code port} is out of range
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits (nothing stays open)
   */
  public static StreamPair openConnection(String host, int port) throws java.io.IOException {
    return Streams.openConnection(host, port, StreamReader.DEFAULT_LIMIT);
  }

  /**
   * {@link #openConnection(String, int)} with the reader's limit: Python's {@code
   * open_connection(host, port, limit=limit)}.
   *
   * @param host the host name or address
   * @param port the port, 0..65535
   * @param limit the reader's line limit in bytes (see {@link StreamReader#StreamReader(int)})
   * @return the reader and the writer
   * @throws java.io.IOException the connect's error
   * @throws NullPointerException if {@code host} is null
   * @throws IllegalArgumentException if {@code port} is out of range or {@code limit} is not
   *     positive
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits
   */
  public static StreamPair openConnection(String host, int port, int limit)
      throws java.io.IOException {
    return Streams.openConnection(host, port, limit);
  }

  /**
   * Starts a TCP server that runs {@code clientConnected} as a task for each connection: Python's
   * {@code await asyncio.start_server(client_connected_cb, host, port)}, with the default limit.
   * Suspends the calling task until the server listens.
   *
   * @param clientConnected what serves one connection (a task body with its reader and writer)
   * @param host the host to bind; null for every interface
   * @param port the port, 0..65535; 0 picks a free one
   * @return the serving {@link Server}
   * @throws java.io.IOException the bind's error (for example an address in use)
   * @throws NullPointerException if {@code clientConnected} is null
   * @throws IllegalArgumentException if {@code port} is out of range
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits
   */
  public static Server startServer(ClientConnected clientConnected, String host, int port)
      throws java.io.IOException {
    return Streams.startServer(clientConnected, host, port, StreamReader.DEFAULT_LIMIT);
  }

  /**
   * {@link #startServer(ClientConnected, String, int)} with each reader's limit: Python's {@code
   * start_server(client_connected_cb, host, port, limit=limit)}.
   *
   * @param clientConnected what serves one connection
   * @param host the host to bind; null for every interface
   * @param port the port, 0..65535; 0 picks a free one
   * @param limit each reader's line limit in bytes
   * @return the serving {@link Server}
   * @throws java.io.IOException the bind's error
   * @throws NullPointerException if {@code clientConnected} is null
   * @throws IllegalArgumentException if {@code port} is out of range or {@code limit} is not
   *     positive
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits
   */
  public static Server startServer(
      ClientConnected clientConnected, String host, int port, int limit)
      throws java.io.IOException {
    return Streams.startServer(clientConnected, host, port, limit);
  }

  // ---------------------------------------------------------------- subprocesses
  // (asyncio.subprocess)

  /**
   * {@link #createSubprocessExec(java.util.List, SubprocessRedirect, SubprocessRedirect,
   * SubprocessRedirect)} with every stream inherited, asyncio's defaults ({@code None}).
   *
   * @param args the program and its arguments
   * @return the running process
   * @throws java.io.IOException the start's error ("Cannot run program" for a missing program)
   * @throws NullPointerException if {@code args} or one of them is null
   * @throws IllegalArgumentException if {@code args} is empty
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits (the child is killed)
   */
  public static Process createSubprocessExec(java.util.List<String> args)
      throws java.io.IOException {
    return createSubprocessExec(
        args, SubprocessRedirect.INHERIT, SubprocessRedirect.INHERIT, SubprocessRedirect.INHERIT);
  }

  /**
   * Starts {@code args} as a child process with streams: Python's {@code await
   * asyncio.create_subprocess_exec(*args, stdin=, stdout=, stderr=)}, with the default limit of 64
   * KiB for the stdout and stderr readers. Suspends the calling task until the child runs and its
   * pipes are connected. How the pipes are pumped (one thread per pipe) is told at {@link
   * EventLoop#subprocessExec}.
   *
   * @param args the program and its arguments (the program is looked up in {@code PATH})
   * @param stdin {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stdout {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stderr {@code PIPE}, {@code DEVNULL}, {@code STDOUT} or {@code INHERIT}
   * @return the running process
   * @throws java.io.IOException the start's error ("Cannot run program" for a missing program)
   * @throws NullPointerException if an argument, or one of {@code args}, is null
   * @throws IllegalArgumentException if {@code args} is empty, or {@code stdin} or {@code stdout}
   *     is {@code STDOUT}
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits (the child is killed)
   */
  public static Process createSubprocessExec(
      java.util.List<String> args,
      SubprocessRedirect stdin,
      SubprocessRedirect stdout,
      SubprocessRedirect stderr)
      throws java.io.IOException {
    return Process.start(
        args, stdin, stdout, stderr, StreamReader.DEFAULT_LIMIT, "Asyncio.createSubprocessExec()");
  }

  /**
   * {@link #createSubprocessExec(java.util.List, SubprocessRedirect, SubprocessRedirect,
   * SubprocessRedirect)} with the readers' limit: Python's {@code limit=}.
   *
   * @param args the program and its arguments
   * @param stdin {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stdout {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stderr {@code PIPE}, {@code DEVNULL}, {@code STDOUT} or {@code INHERIT}
   * @param limit the stdout and stderr readers' limit in bytes
   * @return the running process
   * @throws java.io.IOException the start's error
   * @throws NullPointerException if an argument, or one of {@code args}, is null
   * @throws IllegalArgumentException if {@code args} is empty, {@code stdin} or {@code stdout} is
   *     {@code STDOUT}, or {@code limit} is not positive
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits (the child is killed)
   */
  public static Process createSubprocessExec(
      java.util.List<String> args,
      SubprocessRedirect stdin,
      SubprocessRedirect stdout,
      SubprocessRedirect stderr,
      int limit)
      throws java.io.IOException {
    return Process.start(args, stdin, stdout, stderr, limit, "Asyncio.createSubprocessExec()");
  }

  /**
   * Runs {@code cmd} with {@code /bin/sh -c}, with streams: Python's {@code await
   * asyncio.create_subprocess_shell(cmd, stdin=, stdout=, stderr=)}. Otherwise as {@link
   * #createSubprocessExec(java.util.List, SubprocessRedirect, SubprocessRedirect,
   * SubprocessRedirect)}; quote what you put into {@code cmd} yourself.
   *
   * @param cmd the shell command
   * @param stdin {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stdout {@code PIPE}, {@code DEVNULL} or {@code INHERIT}
   * @param stderr {@code PIPE}, {@code DEVNULL}, {@code STDOUT} or {@code INHERIT}
   * @return the running process
   * @throws java.io.IOException the start's error
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code stdin} or {@code stdout} is {@code STDOUT}
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits (the child is killed)
   */
  public static Process createSubprocessShell(
      String cmd, SubprocessRedirect stdin, SubprocessRedirect stdout, SubprocessRedirect stderr)
      throws java.io.IOException {
    java.util.Objects.requireNonNull(cmd, "cmd must not be null");
    return Process.start(
        java.util.List.of("/bin/sh", "-c", cmd),
        stdin,
        stdout,
        stderr,
        StreamReader.DEFAULT_LIMIT,
        "Asyncio.createSubprocessShell()");
  }

  /**
   * Connects to a Unix domain socket and returns its reader and writer: Python's {@code
   * asyncio.open_unix_connection(path)}, with the default limit of 64 KiB.
   *
   * @param path the socket file
   * @return the reader and the writer
   * @throws java.io.IOException the connect's error (no server there, say)
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits
   */
  public static StreamPair openUnixConnection(java.nio.file.Path path) throws java.io.IOException {
    return Streams.openUnixConnection(path, StreamReader.DEFAULT_LIMIT);
  }

  /**
   * {@link #openUnixConnection(java.nio.file.Path)} with the reader's limit: Python's {@code
   * open_unix_connection(path, limit=limit)}.
   *
   * @param path the socket file
   * @param limit the reader's line limit in bytes
   * @return the reader and the writer
   * @throws java.io.IOException the connect's error
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if {@code limit} is not positive
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits
   */
  public static StreamPair openUnixConnection(java.nio.file.Path path, int limit)
      throws java.io.IOException {
    return Streams.openUnixConnection(path, limit);
  }

  /**
   * Starts a Unix domain socket server that runs {@code clientConnected} as a task for each
   * connection: Python's {@code asyncio.start_unix_server(client_connected_cb, path)}; see {@link
   * EventLoop#createUnixServer(java.util.function.Supplier, java.nio.file.Path, int)} for the
   * socket file.
   *
   * @param clientConnected what serves one connection
   * @param path the socket file to create
   * @return the serving {@link Server}
   * @throws java.io.IOException the bind's error
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits
   */
  public static Server startUnixServer(ClientConnected clientConnected, java.nio.file.Path path)
      throws java.io.IOException {
    return Streams.startUnixServer(clientConnected, path, StreamReader.DEFAULT_LIMIT);
  }

  /**
   * {@link #startUnixServer(ClientConnected, java.nio.file.Path)} with each reader's limit.
   *
   * @param clientConnected what serves one connection
   * @param path the socket file to create
   * @param limit each reader's line limit in bytes
   * @return the serving {@link Server}
   * @throws java.io.IOException the bind's error
   * @throws NullPointerException if {@code clientConnected} or {@code path} is null
   * @throws IllegalArgumentException if {@code limit} is not positive
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the task is cancelled while it waits
   */
  public static Server startUnixServer(
      ClientConnected clientConnected, java.nio.file.Path path, int limit)
      throws java.io.IOException {
    return Streams.startUnixServer(clientConnected, path, limit);
  }

  /**
   * Returns true for a loop future (or task): Python's {@code asyncio.isfuture(obj)}.
   *
   * @param obj anything
   * @return whether {@code obj} is a {@link LoopFuture}
   */
  public static boolean isFuture(Object obj) {
    return obj instanceof LoopFuture;
  }

  /**
   * Makes a loop future of {@code obj}, on the running loop: Python's {@code
   * asyncio.ensure_future(obj)}; see {@link #ensureFuture(Object, EventLoop)}.
   *
   * @param obj a loop future, a {@link TaskBody}, a {@link ConcurrentFuture} or a {@link
   *     CompletionStage}
   * @return the future
   * @throws NullPointerException if {@code obj} is null
   * @throws IllegalArgumentException if {@code obj} is none of those
   * @throws IllegalStateException "no running event loop", if one is needed and none runs here
   */
  public static LoopFuture<?> ensureFuture(Object obj) {
    return ensureFuture(obj, null);
  }

  /**
   * Makes a loop future of {@code obj}: Python's {@code asyncio.ensure_future(obj, loop=loop)}. A
   * loop future is returned as it is; a {@link TaskBody} becomes a task; a {@link ConcurrentFuture}
   * is wrapped with {@link #wrapFuture(ConcurrentFuture, EventLoop)}; a {@link CompletionStage} is
   * followed likewise (cancelling the loop future cancels it if it is a {@link
   * java.util.concurrent.Future}).
   *
   * @param obj a loop future, a {@link TaskBody}, a {@link ConcurrentFuture} or a {@link
   *     CompletionStage}
   * @param loop the loop, or null for the future's own loop or the running one
   * @return the future
   * @throws NullPointerException if {@code obj} is null
   * @throws IllegalArgumentException if {@code obj} is none of those, or a loop future of another
   *     loop than {@code loop}
   * @throws IllegalStateException "no running event loop", if one is needed and none runs here
   */
  public static LoopFuture<?> ensureFuture(Object obj, EventLoop loop) {
    return Bridges.ensureFuture(obj, loop);
  }

  /**
   * Wraps a thread-safe future in a future of the loop running on this thread: Python's {@code
   * asyncio.wrap_future(future)}.
   *
   * @param future the future to follow
   * @param <V> the result type
   * @return a new loop future; see {@link #wrapFuture(ConcurrentFuture, EventLoop)}
   * @throws NullPointerException if {@code future} is null
   * @throws IllegalStateException "no running event loop", if none runs on this thread
   */
  public static <V> LoopFuture<V> wrapFuture(ConcurrentFuture<V> future) {
    Objects.requireNonNull(future, "future must not be null");
    return wrapFuture(future, EventLoop.getRunningLoop());
  }

  /**
   * Wraps a thread-safe future in a future of {@code loop}: Python's {@code
   * asyncio.wrap_future(future, loop=loop)}. The outcome (result, exception or cancellation with
   * its message) is delivered through {@link EventLoop#callSoonThreadsafe}, so the loop future
   * completes on the loop's thread. Cancelling the loop future cancels {@code future} with the same
   * message (which succeeds only while it has not started running); cancelling {@code future}
   * cancels the loop future. An outcome that arrives after the loop was closed is dropped.
   *
   * @param future the future to follow
   * @param loop the loop of the new future
   * @param <V> the result type
   * @return a new pending loop future
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if called from another thread than the one running the loop
   *     (always checked, not only in debug mode)
   */
  public static <V> LoopFuture<V> wrapFuture(ConcurrentFuture<V> future, EventLoop loop) {
    return Bridges.wrapFuture(future, loop);
  }
}
