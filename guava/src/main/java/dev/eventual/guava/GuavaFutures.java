package dev.eventual.guava;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.ListeningExecutorService;
import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import java.util.Objects;

/**
 * Where eventual meets Guava: adapters between Guava's {@link ListenableFuture} (what gRPC Java and
 * many Google libraries hand out) and {@link ConcurrentFuture}, and a {@link
 * ListeningExecutorService} view of any {@link FutureExecutor}.
 *
 * <pre>{@code
 * ListenableFuture<Reply> call = stub.sayHello(request);          // gRPC's future stub
 * ConcurrentFuture<Reply> reply = GuavaFutures.toConcurrentFuture(call);
 * reply.withTimeout(Duration.ofSeconds(2), OnTimeout.CANCEL_AND_INTERRUPT) ...
 *
 * try (FutureExecutor pool = new ThreadPoolFutureExecutor(4)) {
 *   ListeningExecutorService service = GuavaFutures.listeningExecutorService(pool);
 *   ListenableFuture<Integer> f = service.submit(() -> 6 * 7);      // any Guava API takes it
 * }
 * }</pre>
 *
 * <p>An adapter and its source are one computation seen through two interfaces: each takes the
 * other's outcome (the result, the very exception, or the cancellation), and cancelling either
 * cancels the other, {@code cancel(true)} passing its request to interrupt on to the side that runs
 * the task. Adapting an adapter back gives the original future, not a second adapter.
 *
 * <h2>Differences from Python and from Guava</h2>
 *
 * <ul>
 *   <li>Neither side has a Python name; Guava's {@code Futures} and {@code MoreExecutors} are the
 *       model.
 *   <li>A {@code ConcurrentFuture} follows Python's {@code cancel()}: it fails once the future is
 *       RUNNING. A {@code ConcurrentFuture} adapting a {@code ListenableFuture} is never RUNNING
 *       (it cannot know), so its {@code cancel()} always reaches the source.
 * </ul>
 */
public final class GuavaFutures {
  private GuavaFutures() {}

  /**
   * Returns a {@link ConcurrentFuture} that completes as {@code future} does.
   *
   * <p>The result passes as it is, a failure as the very exception Guava's {@code get} wraps in its
   * {@link java.util.concurrent.ExecutionException}, a cancellation as a cancellation carrying
   * Guava's message. The returned future completes on the thread that completes {@code future}, so
   * its callbacks run there. Cancelling it cancels {@code future} with the same {@code
   * mayInterruptIfRunning} ({@code cancel()} and {@code cancel(String)} ask for no interrupt). An
   * adapter made by {@link #toListenableFuture} is unwrapped: its own source is returned.
   *
   * @param future the Guava future to follow
   * @param <V> the result type
   * @return a future following it
   * @throws NullPointerException if {@code future} is null
   */
  @SuppressWarnings("unchecked")
  public static <V> ConcurrentFuture<V> toConcurrentFuture(ListenableFuture<? extends V> future) {
    Objects.requireNonNull(future, "future must not be null");
    if (future instanceof ListenableAdapter) {
      return (ConcurrentFuture<V>) ((ListenableAdapter<? extends V>) future).source;
    }
    return ConcurrentAdapter.following(future);
  }

  /**
   * Returns a {@link ListenableFuture} that completes as {@code future} does.
   *
   * <p>The result passes as it is, a failure as the very exception (Guava's {@code get} wraps it in
   * {@link java.util.concurrent.ExecutionException}), a cancellation as a cancellation. The
   * returned future completes on the thread that completes {@code future}. Cancelling it cancels
   * {@code future} with {@link ConcurrentFuture#cancel(boolean)} and the same argument: for an
   * executor's future, {@code cancel(true)} interrupts the worker running the task, and a task not
   * yet started never runs. The source's exception counts as retrieved once it has passed to the
   * returned future. An adapter made by {@link #toConcurrentFuture} is unwrapped: its own source is
   * returned.
   *
   * @param future the future to follow
   * @param <V> the result type
   * @return a Guava future following it
   * @throws NullPointerException if {@code future} is null
   */
  @SuppressWarnings("unchecked")
  public static <V> ListenableFuture<V> toListenableFuture(ConcurrentFuture<? extends V> future) {
    Objects.requireNonNull(future, "future must not be null");
    if (future instanceof ConcurrentAdapter) {
      return (ListenableFuture<V>) ((ConcurrentAdapter<? extends V>) future).source;
    }
    return ListenableAdapter.following(future);
  }

  /**
   * Returns a {@link ListeningExecutorService} that runs its tasks on {@code executor}: the bridge
   * for APIs that take Guava's or the JDK's executor service.
   *
   * <p>{@code submit} hands the task to {@link FutureExecutor#submit} and returns {@link
   * #toListenableFuture} of its future, so cancelling it cancels the task the executor's way
   * ({@code cancel(true)} interrupts the worker running it; a task not yet started never runs).
   * {@code execute} submits too; as nobody can retrieve the failure of its task, it is logged at
   * once through {@link System.Logger} (logger {@code dev.eventual.guava}, level ERROR), where the
   * JDK's pools hand it to the thread's uncaught-exception handler. {@code invokeAll} and {@code
   * invokeAny} follow the {@link java.util.concurrent.ExecutorService} contract, with Guava's
   * promise that {@code invokeAll}'s futures are {@code ListenableFuture}s; a null task is rejected
   * before any task is submitted.
   *
   * <p>The view owns the executor, as an {@link java.util.concurrent.ExecutorService} owns its
   * threads: {@code shutdown()} shuts {@code executor} down without waiting ({@code shutdown(false,
   * false)}); {@code shutdownNow()} also cancels every task submitted through the view that has not
   * started (returning them, see below) and cancels with interruption those running, then has
   * {@code executor} cancel whatever else it holds; {@code awaitTermination} and {@code
   * isTerminated} report when every task of {@code executor} has finished after a shutdown (also
   * one made on {@code executor} directly). {@code shutdownNow()} returns, for each task submitted
   * through the view that never started, the {@link Runnable} given to {@code execute} or {@code
   * submit}, or for a {@link java.util.concurrent.Callable} a Runnable that calls it. To learn of
   * termination, a shut-down view starts one short-lived daemon thread that waits for {@code
   * executor}'s tasks ({@code shutdown(true, false)}).
   *
   * @param executor the executor to run tasks on
   * @return a listening executor service backed by it
   * @throws NullPointerException if {@code executor} is null
   */
  public static ListeningExecutorService listeningExecutorService(FutureExecutor executor) {
    return new ListeningExecutorView(Objects.requireNonNull(executor, "executor must not be null"));
  }
}
