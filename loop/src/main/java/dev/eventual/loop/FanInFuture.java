package dev.eventual.loop;

import java.util.Collection;
import java.util.List;

/**
 * A loop future that a task awaits in place of other futures: the one that {@code shield} returns
 * and the one that {@code wait} awaits. It names the futures it stands for, so that the call graph
 * ({@link Asyncio#captureCallGraph(LoopFuture)}) can tell that the awaiting task awaits them too,
 * without any bookkeeping on the way (CPython adds the task to each future's {@code
 * _asyncio_awaited_by} set and discards it later; here the link is found when a graph is captured,
 * from the task's own {@code waiter} field).
 *
 * @param <T> the result type
 */
class FanInFuture<T> extends LoopFuture<T> {
  private final Collection<? extends LoopFuture<?>> awaited;

  FanInFuture(EventLoop loop, Collection<? extends LoopFuture<?>> awaited) {
    super(loop);
    this.awaited = awaited;
  }

  /** The futures this one stands for. */
  Collection<? extends LoopFuture<?>> awaitedFutures() {
    return awaited;
  }

  /** The futures that {@code f} stands for, if it is a fan-in future or a gathering; else none. */
  static Collection<? extends LoopFuture<?>> behind(LoopFuture<?> f) {
    if (f instanceof FanInFuture<?> fan) {
      return fan.awaitedFutures();
    }
    if (f instanceof Gathering<?> g) {
      return g.children();
    }
    return List.of();
  }
}
