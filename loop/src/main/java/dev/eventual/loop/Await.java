package dev.eventual.loop;

import dev.eventual.ConcurrentFuture;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Python's {@code await} for {@link Task} bodies; meant for static import:
 *
 * <pre>{@code
 * import static dev.eventual.loop.Await.await;
 *
 * Task<String> t = loop.createTask(() -> {
 *   String page = await(fetch(url));   // suspends the task, not the loop
 *   return page.strip();
 * });
 * }</pre>
 *
 * <p>Awaiting a future that is already done returns at once, without letting other code run (as
 * Python's {@code await} of a done future). Awaiting a pending one suspends the task: the loop runs
 * other callbacks and tasks until the future is done, then the task resumes.
 */
public final class Await {
  private Await() {}

  /**
   * Waits, without blocking the loop, until {@code future} is done, and returns its result:
   * Python's {@code await future}. Must be called by a task's body, on the task's loop.
   *
   * @param future a future of the current task's loop
   * @param <T> the result type
   * @return the future's result
   * @throws NullPointerException if {@code future} is null
   * @throws IllegalStateException if called outside a task, if {@code future} is the current task
   *     itself ("Task cannot await on itself"), or if it belongs to another loop
   * @throws CancellationException if the future was cancelled, or the task was cancelled while it
   *     waited (carrying the cancel message)
   * @throws RuntimeException the future's exception if unchecked, or a {@link CompletionException}
   *     wrapping a checked one (as {@link LoopFuture#result()})
   * @throws Error the future's exception if it is an error
   */
  public static <T> T await(LoopFuture<T> future) {
    Objects.requireNonNull(future, "future must not be null");
    Task<?> t = future.getLoop().runtime.currentHere();
    return TaskSteps.await(t != null ? t : Task.require("await()"), future);
  }

  /**
   * Waits, without blocking the loop, for a thread-safe future: wraps it with {@link
   * Asyncio#wrapFuture(ConcurrentFuture, EventLoop)} and awaits that. Cancelling the task while it
   * waits cancels {@code future} too.
   *
   * @param future the future
   * @param <T> the result type
   * @return its result
   * @throws NullPointerException if {@code future} is null
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the future or the task was cancelled
   * @throws RuntimeException the future's exception if unchecked, or a {@link CompletionException}
   *     wrapping a checked one
   * @throws Error the future's exception if it is an error
   */
  public static <T> T await(ConcurrentFuture<T> future) {
    Objects.requireNonNull(future, "future must not be null");
    Task<?> t = Task.require("await()");
    return TaskSteps.await(t, Asyncio.wrapFuture(future, t.getLoop()));
  }

  /**
   * Waits, without blocking the loop, for a {@link CompletionStage} (a {@code CompletableFuture},
   * for example): wraps it with {@link Asyncio#ensureFuture(Object)} and awaits that. A {@link
   * CompletionException} from the stage is unwrapped to its cause.
   *
   * @param stage the stage
   * @param <T> the result type
   * @return its result
   * @throws NullPointerException if {@code stage} is null
   * @throws IllegalStateException if called outside a task
   * @throws CancellationException if the stage or the task was cancelled
   * @throws RuntimeException the stage's exception if unchecked, or a {@link CompletionException}
   *     wrapping a checked one
   * @throws Error the stage's exception if it is an error
   */
  public static <T> T await(CompletionStage<T> stage) {
    Objects.requireNonNull(stage, "stage must not be null");
    Task<?> t = Task.require("await()");
    return TaskSteps.await(t, Bridges.fromStage(stage, t.getLoop()));
  }
}
