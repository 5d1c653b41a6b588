package dev.eventual.loop;

import dev.eventual.ConcurrentFuture;
import dev.eventual.Context;
import dev.eventual.internal.FutureAccess;
import dev.eventual.internal.Outcome;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * asyncio's bridges between threads and a loop (CPython {@code threads.py}, {@code
 * tasks.run_coroutine_threadsafe}, {@code futures._chain_future}); {@link Asyncio} is their facade.
 */
final class Threads {
  private Threads() {}

  /** asyncio.to_thread: fn in the default executor, in a copy of the caller's context. */
  static <T> LoopFuture<T> toThread(Callable<T> fn) {
    Objects.requireNonNull(fn, "fn must not be null");
    EventLoop loop = EventLoop.getRunningLoop();
    return loop.runInExecutor(null, Context.wrap(fn));
  }

  /** asyncio.run_coroutine_threadsafe: a task of {@code loop}, followed by a thread-safe future. */
  static <T> ConcurrentFuture<T> runCoroutineThreadsafe(TaskBody<T> body, EventLoop loop) {
    Objects.requireNonNull(body, "body must not be null");
    Objects.requireNonNull(loop, "loop must not be null");
    ConcurrentFuture<T> future = new ConcurrentFuture<>();
    loop.callSoonThreadsafe(
        () -> {
          Task<T> task;
          try {
            task = loop.createTask(body);
          } catch (RuntimeException | Error cannotCreate) {
            if (future.setRunningOrNotifyCancel()) {
              future.setException(cannotCreate);
            }
            throw cannotCreate; // reported by the loop to its exception handler, as in CPython
          }
          chain(task, future, loop);
        });
    return future;
  }

  /**
   * CPython's {@code _chain_future(task, future)}: the task's outcome goes to the future; the
   * future's cancellation (from any thread) cancels the task on its loop's thread.
   */
  private static <T> void chain(Task<T> task, ConcurrentFuture<T> future, EventLoop loop) {
    future.addDoneCallback(new CancelTask<>(task, loop));
    task.addDoneCallback(new CopyOutcome<>(future));
  }

  /** Cancels the task when the thread-safe future is cancelled, through the loop's thread. */
  private static final class CancelTask<T> implements Consumer<ConcurrentFuture<T>> {
    private final Task<T> task;
    private final EventLoop loop;

    CancelTask(Task<T> task, EventLoop loop) {
      this.task = task;
      this.loop = loop;
    }

    @Override
    public void accept(ConcurrentFuture<T> future) {
      if (!future.isCancelled()) {
        return;
      }
      String message = cancelMessage(future);
      if (Scheduler.runningLoop() == loop && loop.isRunning()) {
        task.cancel(message); // cancelled on the loop's own thread: at once, as CPython
      } else {
        loop.callSoonThreadsafeIfOpen(() -> task.cancel(message));
      }
    }
  }

  /** Copies the task's outcome into the thread-safe future, unless that was cancelled. */
  private static final class CopyOutcome<T> implements Consumer<LoopFuture<T>>, Handle.Described {
    private final ConcurrentFuture<T> future;

    CopyOutcome(ConcurrentFuture<T> future) {
      this.future = future;
    }

    @Override
    public void accept(LoopFuture<T> task) {
      if (future.isCancelled()) {
        return;
      }
      if (task.isCancelled()) {
        future.cancel(task.cancelMessage());
        return;
      }
      if (!future.setRunningOrNotifyCancel()) {
        return;
      }
      FutureAccess.get().completeFrom(future, task.outcome()); // marks a failure retrieved
    }

    @Override
    public String toString() {
      return "Asyncio.runCoroutineThreadsafe copy-outcome";
    }
  }

  private static String cancelMessage(ConcurrentFuture<?> future) {
    return Outcome.cancelMessageOf(FutureAccess.get().outcomeOf(future));
  }
}
