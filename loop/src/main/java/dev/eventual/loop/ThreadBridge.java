package dev.eventual.loop;

import dev.eventual.ConcurrentFuture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A put into or a get from a loop {@link Queue} by a plain thread: the thread posts the operation
 * with {@code callSoonThreadsafe} and blocks on a {@link ConcurrentFuture}; on the loop, the
 * operation runs as {@code put()}/{@code get()} would, but with callbacks instead of a task (a
 * waiter future whose done callback tries again). The thread gives up (interrupt, timeout) by
 * cancelling the outcome; the loop claims the outcome with {@code setRunningOrNotifyCancel()}
 * before it moves an item, so either the item moved and the thread sees it, or it did not move.
 *
 * <table>
 *   <caption>State</caption>
 *   <tr><th>field</th><th>meaning</th></tr>
 *   <tr><td>{@code outcome}</td><td>pending: not served yet; running: claimed by the loop, the
 *       item moves in this callback; done: the thread's answer; cancelled: the thread gave up
 *       before the loop claimed it</td></tr>
 *   <tr><td>{@code waiter}</td><td>loop thread only: the putter/getter future queued for the
 *       operation, or null; a wake-up of a cancelled operation is passed on</td></tr>
 * </table>
 */
final class ThreadBridge<T> implements Runnable, Consumer<LoopFuture<Void>> {
  private final Queue<T> queue;
  private final EventLoop loop;
  private final T item; // null for a get
  private final ConcurrentFuture<T> outcome = new ConcurrentFuture<>();
  private LoopFuture<Void> waiter;

  private ThreadBridge(Queue<T> queue, EventLoop loop, T item) {
    this.queue = queue;
    this.loop = loop;
    this.item = item;
  }

  static <T> boolean put(Queue<T> queue, EventLoop loop, T item, Duration timeout)
      throws InterruptedException {
    Objects.requireNonNull(item, "item must not be null");
    return new ThreadBridge<>(queue, loop, item).call("putThreadsafe", timeout) != null;
  }

  static <T> T get(Queue<T> queue, EventLoop loop, Duration timeout) throws InterruptedException {
    return new ThreadBridge<>(queue, loop, null).call("getThreadsafe", timeout);
  }

  /** Posts the operation and blocks for its answer; a put answers its item. */
  private T call(String method, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(loop, "loop must not be null");
    long nanos = timeout == null ? -1 : timeout.toNanos();
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    if (Scheduler.runningLoop() != null) {
      throw new IllegalStateException(
          method
              + "() blocks its thread, and this thread runs an event loop or a task:"
              + " use put()/get() in a task, or putNowait()/getNowait()");
    }
    loop.callSoonThreadsafe(this);
    try {
      return nanos < 0 ? outcome.get() : outcome.get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return giveUp(method, null);
    } catch (InterruptedException e) {
      return giveUp(method, e);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  /** The thread stops waiting: withdraws the operation, unless the loop has claimed it. */
  private T giveUp(String method, InterruptedException interrupted) throws InterruptedException {
    if (outcome.cancel()) {
      loop.callSoonThreadsafe(this::withdraw);
      if (interrupted != null) {
        throw interrupted;
      }
      return null;
    }
    // claimed: the item moves in the loop callback running now; its answer is a moment away
    boolean wasInterrupted = interrupted != null;
    while (true) {
      try {
        T answer = outcome.get();
        if (wasInterrupted) {
          Thread.currentThread().interrupt();
        }
        return answer;
      } catch (InterruptedException again) {
        wasInterrupted = true;
      } catch (ExecutionException e) {
        if (wasInterrupted) {
          Thread.currentThread().interrupt();
        }
        throw rethrow(e.getCause());
      }
    }
  }

  private static RuntimeException rethrow(Throwable cause) {
    if (cause instanceof RuntimeException) {
      throw (RuntimeException) cause;
    }
    if (cause instanceof Error) {
      throw (Error) cause;
    }
    throw new IllegalStateException(cause);
  }

  /** Loop thread: the first attempt. */
  @Override
  public void run() {
    try {
      queue.bindTo(loop);
    } catch (IllegalStateException e) {
      outcome.trySetException(e);
      return;
    }
    attempt();
  }

  /** Loop thread: serves the operation now if it can, else queues a waiter and retries on wake. */
  private void attempt() {
    if (outcome.isCancelled()) {
      return;
    }
    boolean isPut = item != null;
    if (queue.isShutDown() && (isPut || queue.isEmpty())) {
      if (outcome.setRunningOrNotifyCancel()) {
        outcome.setException(
            new QueueShutDownException(
                isPut ? "put into a shut-down queue" : "get from a shut-down, empty queue"));
      }
      return;
    }
    if (isPut ? !queue.isFull() : !queue.isEmpty()) {
      if (outcome.setRunningOrNotifyCancel()) {
        if (isPut) {
          queue.putNowait(item);
          outcome.setResult(item);
        } else {
          outcome.setResult(queue.getNowait());
        }
      }
      return;
    }
    waiter = loop.createFuture();
    (isPut ? queue.putters : queue.getters).addLast(waiter);
    waiter.addDoneCallback(this);
  }

  /** Loop thread: the waiter is done (woken, or cancelled by {@link #withdraw}). */
  @Override
  public void accept(LoopFuture<Void> done) {
    if (done != waiter || done.isCancelled()) {
      return;
    }
    waiter = null;
    if (outcome.isCancelled()) { // woken, but the thread gave up: pass the wake-up on
      boolean isPut = item != null;
      if (isPut ? !queue.isFull() : !queue.isEmpty()) {
        Queue.wakeUpNext(isPut ? queue.putters : queue.getters);
      }
      return;
    }
    attempt();
  }

  /** Loop thread: the thread gave up; takes a pending waiter out of the queue. */
  private void withdraw() {
    LoopFuture<Void> w = waiter;
    if (w != null && !w.isDone()) {
      waiter = null;
      w.cancel();
      (item != null ? queue.putters : queue.getters).remove(w);
    }
  }

  @Override
  public String toString() {
    return (item != null ? "putThreadsafe(" + item + ")" : "getThreadsafe()") + " " + outcome;
  }
}
