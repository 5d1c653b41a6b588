package dev.eventual.loop;

import dev.eventual.Context;
import dev.eventual.WaitInterruptedException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs several task bodies, one after the other, on one event loop and in one context: Python's
 * {@code asyncio.Runner} (3.11). The loop is created at the first {@link #run} or {@link #getLoop}
 * and closed by {@link #close()}, which first cancels the tasks left over and shuts down the loop's
 * default executor. {@link Asyncio#run(TaskBody)} is a runner used for one body.
 *
 * <pre>{@code
 * try (Runner runner = new Runner()) {
 *   runner.run(() -> connect());
 *   runner.run(() -> serve());
 * }
 * }</pre>
 *
 * <p>State: CREATED (no loop yet) → INITIALIZED (the loop and the context exist; {@code run} may be
 * called any number of times) → CLOSED (the loop is closed; {@code run} and {@code getLoop} throw).
 * {@link #close()} in CREATED goes straight to CLOSED; closing twice does nothing.
 *
 * <p>Not thread-safe: a runner belongs to the thread that uses it, as its loop does.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code Runner(debug=None, loop_factory=None)} is {@link #Runner(Boolean, Supplier)}; the
 *       factory is a {@link Supplier} of {@link EventLoop}. There is no event loop policy: without
 *       a factory the runner creates a plain {@link EventLoop}.
 *   <li>{@code run(coro, context=None)} takes a {@link TaskBody}; "a coroutine was expected" has no
 *       equivalent, since the type says it.
 *   <li>{@code KeyboardInterrupt} is an interrupt of the thread that runs the loop, noticed when
 *       the loop would wait: it cancels the main task, runs the loop until the task has ended, and
 *       then {@link #run} throws {@link WaitInterruptedException} with the interrupt flag set
 *       (CPython installs a SIGINT handler that does the same and raises {@code
 *       KeyboardInterrupt}).
 *   <li>Closing has no asynchronous generators to shut down ({@code shutdown_asyncgens}); Java has
 *       none.
 *   <li>{@code RuntimeError} is {@link IllegalStateException}.
 * </ul>
 */
public final class Runner implements AutoCloseable {
  /** How long {@link #close()} waits for the default executor's threads, as CPython's 300 s. */
  static final Duration THREAD_JOIN_TIMEOUT = Duration.ofSeconds(300);

  private enum State {
    CREATED,
    INITIALIZED,
    CLOSED
  }

  private final Boolean debug;
  private final Supplier<? extends EventLoop> loopFactory;
  private State state = State.CREATED;
  private EventLoop loop;
  private Context context;

  /** A runner whose loop keeps its own debug flag and is a new {@link EventLoop}. */
  public Runner() {
    this(null, null);
  }

  /**
   * A runner: Python's {@code asyncio.Runner(debug=debug, loop_factory=loop_factory)}.
   *
   * @param debug the loop's debug mode, or null to leave it as the loop has it
   * @param loopFactory what creates the loop (called once, at the first use), or null for {@code
   *     new EventLoop()}
   */
  public Runner(Boolean debug, Supplier<? extends EventLoop> loopFactory) {
    this.debug = debug;
    this.loopFactory = loopFactory;
  }

  /**
   * Runs {@code body} as a task of the runner's loop, in the runner's context, until it is done:
   * Python's {@code Runner.run(coro)}. A context variable the body sets is seen by the next {@code
   * run}, since every run shares the context copied when the runner was initialized.
   *
   * @param body the main task's code
   * @param <T> its result type
   * @return what {@code body} returned
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException "Runner.run() cannot be called from a running event loop", or
   *     "Runner is closed", or if the loop factory fails or returns null or a closed loop
   * @throws CancellationException if the main task was cancelled
   * @throws WaitInterruptedException if the thread was interrupted while the loop waited: the main
   *     task was cancelled and has ended; the interrupt flag is set
   * @throws RuntimeException what {@code body} threw, if unchecked, or a {@link
   *     CompletionException} wrapping a checked one
   * @throws Error what {@code body} threw, if an error
   */
  public <T> T run(TaskBody<T> body) {
    return run(body, null);
  }

  /**
   * Runs {@code body} as {@link #run(TaskBody)} does, in {@code context}: Python's {@code
   * Runner.run(coro, context=context)}.
   *
   * @param body the main task's code
   * @param context the context to run it in, or null for the runner's own
   * @param <T> its result type
   * @return what {@code body} returned
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException "Runner.run() cannot be called from a running event loop", or
   *     "Runner is closed", or if the loop factory fails or returns null or a closed loop
   * @throws CancellationException if the main task was cancelled
   * @throws WaitInterruptedException if the thread was interrupted while the loop waited: the main
   *     task was cancelled and has ended; the interrupt flag is set
   * @throws RuntimeException what {@code body} threw, if unchecked, or a {@link
   *     CompletionException} wrapping a checked one
   * @throws Error what {@code body} threw, if an error
   */
  public <T> T run(TaskBody<T> body, Context context) {
    Objects.requireNonNull(body, "body must not be null");
    if (Scheduler.runningLoop() != null) {
      throw new IllegalStateException("Runner.run() cannot be called from a running event loop");
    }
    lazyInit();
    Task<T> task = loop.createTask(body, null, context != null ? context : this.context);
    try {
      return loop.runUntilComplete(task);
    } catch (WaitInterruptedException interrupted) {
      if (task.isDone()) {
        throw interrupted;
      }
      cancelAfterInterrupt(task);
      throw interrupted;
    }
  }

  /** CPython's SIGINT handler and what run() does after it: cancel the task, let it end. */
  private void cancelAfterInterrupt(Task<?> task) {
    Thread.interrupted(); // the loop must be able to wait while the task unwinds
    try {
      task.cancel();
      loop.runUntilComplete(Gathering.gather(loop, List.of(task), true));
    } finally {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The runner's loop, created now if it was not yet: Python's {@code Runner.get_loop()}.
   *
   * @return the loop
   * @throws IllegalStateException "Runner is closed", or if the loop factory fails or returns null
   *     or a closed loop
   */
  public EventLoop getLoop() {
    lazyInit();
    return loop;
  }

  /**
   * Cancels every task left on the loop and runs the loop until they have ended (a leftover task
   * that ends with another exception than a cancellation is reported to the loop's exception
   * handler), shuts down the loop's default executor (waiting up to 300 s for its threads, as
   * CPython), and closes the loop: Python's {@code Runner.close()}. Does nothing if the runner is
   * already closed; a runner that never created its loop just becomes closed.
   *
   * @throws IllegalStateException if called from the runner's running loop ("Cannot close a running
   *     event loop")
   */
  @Override
  public void close() {
    if (state != State.INITIALIZED) {
      state = State.CLOSED;
      return;
    }
    if (loop.isRunning()) {
      throw new IllegalStateException("Cannot close a running event loop");
    }
    try {
      cancelAllTasks(loop);
      loop.runUntilComplete(loop.shutdownDefaultExecutor(THREAD_JOIN_TIMEOUT));
    } finally {
      loop.close();
      loop = null;
      state = State.CLOSED;
    }
  }

  private void lazyInit() {
    if (state == State.CLOSED) {
      throw new IllegalStateException("Runner is closed");
    }
    if (state == State.INITIALIZED) {
      return;
    }
    EventLoop created;
    if (loopFactory == null) {
      created = new EventLoop();
    } else {
      created = loopFactory.get();
      if (created == null) {
        throw new IllegalStateException("loopFactory returned null instead of an EventLoop");
      }
      if (created.isClosed()) {
        throw new IllegalStateException("loopFactory returned a closed loop: " + created);
      }
    }
    if (debug != null) {
      created.setDebug(debug);
    }
    context = Context.copyContext();
    loop = created;
    state = State.INITIALIZED;
  }

  /**
   * Cancels the pending tasks of {@code loop} and runs it until they end; reports a task that ended
   * with another exception (asyncio's {@code runners._cancel_all_tasks}).
   */
  static void cancelAllTasks(EventLoop loop) {
    List<Task<?>> toCancel = loop.runtime.pending();
    if (toCancel.isEmpty()) {
      return;
    }
    for (Task<?> t : toCancel) {
      t.cancel();
    }
    loop.runUntilComplete(Gathering.gather(loop, toCancel, true));
    for (Task<?> t : toCancel) {
      if (!t.isCancelled() && t.exception() != null) {
        loop.callExceptionHandler(
            new ExceptionContext(
                "unhandled exception during Asyncio.run() shutdown", t.exception(), t, null));
      }
    }
  }

  /**
   * Describes the runner.
   *
   * @return for example {@code Runner[INITIALIZED loop=EventLoop@1b6d3586[...]]}
   */
  @Override
  public String toString() {
    return "Runner[" + state + (loop != null ? " loop=" + loop : "") + "]";
  }
}
