package dev.eventual.loop;

import dev.eventual.DoneAndNotDone;
import dev.eventual.ReturnWhen;
import dev.eventual.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/** The waiting functions of asyncio (CPython tasks.py, timeouts.py); Asyncio is their facade. */
final class Waits {
  private Waits() {}

  static <T> T sleep(Duration delay, T result) {
    Objects.requireNonNull(delay, "delay must not be null");
    Task<?> me = Task.require("Asyncio.sleep()");
    if (delay.isZero() || delay.isNegative()) {
      TaskSteps.yieldOnce(me);
      return result;
    }
    EventLoop loop = me.getLoop();
    LoopFuture<T> f = loop.createFuture();
    TimerHandle h =
        loop.callLater(
            delay,
            () -> {
              if (!f.isDone()) {
                f.setResult(result);
              }
            });
    try {
      return TaskSteps.await(me, f);
    } finally {
      h.cancel();
    }
  }

  static <T> T waitFor(LoopFuture<T> fut, Duration timeout) {
    Objects.requireNonNull(fut, "fut must not be null");
    Objects.requireNonNull(timeout, "timeout must not be null");
    Task<?> me = Task.require("Asyncio.waitFor()");
    EventLoop loop = me.getLoop();
    if (timeout.isZero() || timeout.isNegative()) {
      if (fut.isDone()) {
        return TaskSteps.await(me, fut);
      }
      fut.cancel();
      LoopFuture<Void> settled = loop.createFuture();
      fut.addDoneCallback(
          f -> {
            if (!settled.isDone()) {
              settled.setResult(null);
            }
          });
      TaskSteps.await(me, settled);
      if (fut.isCancelled()) {
        throw timedOut(fut, timeout, null);
      }
      return TaskSteps.await(me, fut); // a result that arrived first wins
    }
    boolean[] expired = {false};
    TimerHandle h =
        loop.callLater(
            timeout,
            () -> {
              if (!fut.isDone()) {
                expired[0] = true;
                fut.cancel();
              }
            });
    try {
      return TaskSteps.await(me, fut);
    } catch (CancellationException e) {
      if (expired[0] && fut.isCancelled()) {
        throw timedOut(fut, timeout, e);
      }
      throw e;
    } finally {
      h.cancel();
    }
  }

  private static WaitTimeoutException timedOut(Object what, Duration timeout, Throwable cause) {
    WaitTimeoutException e =
        new WaitTimeoutException("Timed out after " + timeout + " waiting for " + what);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  static <T> LoopFuture<T> shield(LoopFuture<T> inner) {
    Objects.requireNonNull(inner, "inner must not be null");
    if (inner.isDone()) {
      return inner;
    }
    LoopFuture<T> outer = new FanInFuture<>(inner.getLoop(), List.of(inner));
    Consumer<LoopFuture<T>> innerDone = i -> Bridges.copyOutcome(i, outer);
    inner.addDoneCallback(innerDone);
    outer.addDoneCallback(
        o -> {
          if (!inner.isDone()) {
            inner.removeDoneCallback(innerDone);
          }
        });
    return outer;
  }

  static <T, F extends LoopFuture<? extends T>> DoneAndNotDone<F> wait(
      Collection<F> futures, Duration timeout, ReturnWhen returnWhen) {
    Objects.requireNonNull(futures, "futures must not be null");
    Objects.requireNonNull(returnWhen, "returnWhen must not be null");
    Set<F> fs = new LinkedHashSet<>();
    for (F f : futures) {
      fs.add(Objects.requireNonNull(f, "futures must not contain null"));
    }
    if (fs.isEmpty()) {
      throw new IllegalArgumentException("Set of Tasks/Futures is empty.");
    }
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    Task<?> me = Task.require("Asyncio.wait()");
    EventLoop loop = me.getLoop();
    for (F f : fs) {
      if (f.getLoop() != loop) {
        throw new IllegalArgumentException("The future belongs to a different loop: " + f);
      }
    }
    LoopFuture<Void> waiter = new FanInFuture<>(loop, fs);
    TimerHandle h = timeout == null ? null : loop.callLater(timeout, () -> release(waiter));
    Consumer<LoopFuture<?>> onDone =
        new Consumer<>() {
          private int counter = fs.size();

          @Override
          public void accept(LoopFuture<?> f) {
            counter--;
            if (counter <= 0
                || returnWhen == ReturnWhen.FIRST_COMPLETED
                || (returnWhen == ReturnWhen.FIRST_EXCEPTION
                    && !f.isCancelled()
                    && f.exception() != null)) {
              if (h != null) {
                h.cancel();
              }
              release(waiter);
            }
          }
        };
    for (F f : fs) {
      f.addDoneCallback(onDone);
    }
    try {
      TaskSteps.await(me, waiter);
    } finally {
      if (h != null) {
        h.cancel();
      }
      for (F f : fs) {
        f.removeDoneCallback(onDone);
      }
    }
    Set<F> done = new LinkedHashSet<>();
    Set<F> notDone = new LinkedHashSet<>();
    for (F f : fs) {
      (f.isDone() ? done : notDone).add(f);
    }
    return new DoneAndNotDone<>(done, notDone);
  }

  private static void release(LoopFuture<Void> waiter) {
    if (!waiter.isDone()) {
      waiter.setResult(null);
    }
  }

  /** asyncio.as_completed (3.13): yields the futures as they complete; next() awaits. */
  static final class AsCompleted<F extends LoopFuture<?>> implements Iterator<F> {
    private final EventLoop loop;
    private final Set<F> todo = new LinkedHashSet<>();
    private final ArrayDeque<F> done = new ArrayDeque<>();
    private final Duration timeout;
    private final TimerHandle timer;
    private final Consumer<LoopFuture<?>> onDone;
    private LoopFuture<Void> wakeup;
    private boolean timedOut;
    private int remaining;

    AsCompleted(EventLoop loop, Collection<F> futures, Duration timeout) {
      this.loop = loop;
      this.timeout = timeout;
      for (F f : futures) {
        Objects.requireNonNull(f, "futures must not contain null");
        if (f.getLoop() != loop) {
          throw new IllegalArgumentException("The future belongs to a different loop: " + f);
        }
        todo.add(f);
      }
      remaining = todo.size();
      onDone =
          f -> {
            @SuppressWarnings("unchecked")
            F typed = (F) f;
            if (todo.remove(typed)) {
              done.add(typed);
              signal();
            }
          };
      for (F f : todo) {
        f.addDoneCallback(onDone);
      }
      timer =
          timeout == null || todo.isEmpty()
              ? null
              : loop.callLater(
                  timeout,
                  () -> {
                    for (F f : todo) {
                      f.removeDoneCallback(onDone);
                    }
                    todo.clear();
                    timedOut = true;
                    signal();
                  });
    }

    private void signal() {
      if (wakeup != null && !wakeup.isDone()) {
        wakeup.setResult(null);
      }
    }

    @Override
    public boolean hasNext() {
      return remaining > 0;
    }

    @Override
    public F next() {
      if (remaining <= 0) {
        throw new NoSuchElementException("every future was yielded");
      }
      Task<?> me = Task.require("Asyncio.asCompleted(...).next()");
      while (done.isEmpty()) {
        if (timedOut) {
          remaining = 0;
          throw timedOut("the next of the futures given to asCompleted", timeout, null);
        }
        wakeup = loop.createFuture();
        TaskSteps.await(me, wakeup);
      }
      remaining--;
      if (remaining == 0 && timer != null) {
        timer.cancel();
      }
      return done.poll();
    }
  }
}
