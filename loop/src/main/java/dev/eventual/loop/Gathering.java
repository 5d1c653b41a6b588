package dev.eventual.loop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/** asyncio's {@code gather} (CPython tasks.py {@code _GatheringFuture}) and a bounded variant. */
final class Gathering<T> extends LoopFuture<List<T>> {
  private final List<LoopFuture<? extends T>> children;
  private boolean cancelRequested;

  private Gathering(EventLoop loop, List<LoopFuture<? extends T>> children) {
    super(loop);
    this.children = children;
  }

  /** The gathered futures, in the order given (for the call graph). */
  List<LoopFuture<? extends T>> children() {
    return children;
  }

  /** Cancels every child; the outer future ends when they do (as asyncio's). */
  @Override
  public boolean cancel(String message) {
    if (isDone()) {
      return false;
    }
    boolean any = false;
    for (LoopFuture<? extends T> child : children) {
      if (child.cancel(message)) {
        any = true;
      }
    }
    if (any) {
      cancelRequested = true;
    }
    return any;
  }

  /**
   * Gathers {@code futures}; with {@code returnExceptions} the list holds results, exceptions and
   * CancellationExceptions (so T is Object).
   */
  static <T> LoopFuture<List<T>> gather(
      EventLoop fallbackLoop,
      List<? extends LoopFuture<? extends T>> futures,
      boolean returnExceptions) {
    Objects.requireNonNull(futures, "futures must not be null");
    List<LoopFuture<? extends T>> children = new ArrayList<>(futures.size());
    EventLoop loop = null;
    for (LoopFuture<? extends T> f : futures) {
      Objects.requireNonNull(f, "futures must not contain null");
      if (loop == null) {
        loop = f.getLoop();
      } else if (f.getLoop() != loop) {
        throw new IllegalArgumentException(
            "The future belongs to a different loop than the other futures: " + f);
      }
      children.add(f);
    }
    if (loop == null) {
      LoopFuture<List<T>> outer =
          (fallbackLoop != null ? fallbackLoop : EventLoop.getRunningLoop()).createFuture();
      outer.setResult(new ArrayList<>());
      return outer;
    }
    Gathering<T> outer = new Gathering<>(loop, Collections.unmodifiableList(children));
    OnChildDone onDone =
        new OnChildDone() {
          private int finished;

          @Override
          public void accept(LoopFuture<?> fut) {
            finished++;
            if (outer.isDone()) {
              if (!fut.isCancelled()) {
                fut.exception(); // mark retrieved
              }
              return;
            }
            if (!returnExceptions) {
              if (fut.isCancelled()) {
                outer.setExceptionInternal(new CancellationException(fut.cancelMessage()));
                return;
              }
              Throwable exc = fut.exception();
              if (exc != null) {
                outer.setExceptionInternal(exc);
                return;
              }
            }
            if (finished == total) { // every distinct child is done
              List<Object> results = new ArrayList<>(children.size());
              for (LoopFuture<? extends T> child : children) {
                if (child.isCancelled()) {
                  results.add(new CancellationException(child.cancelMessage()));
                } else {
                  Throwable e = child.exception();
                  results.add(e != null ? e : child.result());
                }
              }
              if (outer.cancelRequested) {
                outer.setExceptionInternal(new CancellationException(fut.cancelMessage()));
              } else {
                @SuppressWarnings("unchecked")
                List<T> typed = (List<T>) results;
                outer.setResult(typed);
              }
            }
          }
        };
    // each distinct child once, in order (asyncio's arg_to_fut): a pending one that has onDone
    // already is a repeat; done ones, whose callbacks are scheduled at once, are told apart by a
    // set
    Map<LoopFuture<?>, Boolean> doneSeen = null;
    for (LoopFuture<?> f : children) {
      if (f.isDone()) {
        if (doneSeen == null) {
          doneSeen = new IdentityHashMap<>();
        }
        if (doneSeen.put(f, Boolean.TRUE) != null) {
          continue;
        }
      } else if (f.hasDoneCallback(onDone)) {
        continue;
      }
      f.addDoneCallback(onDone);
      onDone.total++; // callbacks never run inline: the count is complete before the first runs
    }
    return outer;
  }

  /** The done callback of every child of one gather; {@code total} counts the distinct children. */
  private abstract static class OnChildDone implements Consumer<LoopFuture<?>> {
    int total;
  }

  private void setExceptionInternal(Throwable exc) {
    setException(exc);
  }

  /** Runs at most {@code limit} of {@code bodies} as tasks at once, and gathers them in order. */
  static <T> LoopFuture<List<T>> gatherLimited(
      EventLoop loop, int limit, List<? extends TaskBody<? extends T>> bodies) {
    Objects.requireNonNull(bodies, "bodies must not be null");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    List<TaskBody<? extends T>> copy = new ArrayList<>(bodies.size());
    for (TaskBody<? extends T> b : bodies) {
      copy.add(Objects.requireNonNull(b, "bodies must not contain null"));
    }
    List<LoopFuture<T>> slots = new ArrayList<>(copy.size());
    for (int i = 0; i < copy.size(); i++) {
      slots.add(loop.createFuture());
    }
    Runnable startNext =
        new Runnable() {
          private int next;

          @Override
          public void run() {
            while (next < slots.size() && slots.get(next).isDone()) {
              next++; // cancelled before it started: never starts
            }
            if (next >= slots.size()) {
              return;
            }
            int i = next++;
            LoopFuture<T> slot = slots.get(i);
            Task<? extends T> task = loop.createTask(copy.get(i));
            slot.addDoneCallback(
                s -> {
                  if (s.isCancelled()) {
                    task.cancel(s.cancelMessage());
                  }
                });
            task.addDoneCallback(
                t -> {
                  Bridges.copyOutcome(t, slot);
                  run();
                });
          }
        };
    for (int k = 0; k < Math.min(limit, copy.size()); k++) {
      startNext.run();
    }
    return gather(loop, slots, false);
  }
}
