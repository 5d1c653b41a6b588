package dev.eventual.loop;

/**
 * The loop binding shared by the synchronization primitives and queues: CPython's {@code
 * mixins._LoopBoundMixin}. A primitive is created without a loop and binds to the running loop the
 * first time it has to create a future (its first real wait); from then on, a wait from another
 * loop is refused.
 */
abstract class LoopBound {
  private EventLoop loop; // null until the first wait; then fixed

  LoopBound() {}

  /**
   * The running loop, binding this primitive to it on first use.
   *
   * @throws IllegalStateException if no loop runs on this thread, or if this primitive is bound to
   *     another loop
   */
  final EventLoop boundLoop() {
    EventLoop running = EventLoop.getRunningLoop();
    if (loop == null) {
      loop = running;
    } else if (loop != running) {
      throw new IllegalStateException(this + " is bound to a different event loop");
    }
    return running;
  }

  /**
   * Binds this primitive to {@code loop} (on the loop's thread), as a first wait from it would.
   *
   * @throws IllegalStateException if it is bound to another loop
   */
  final void bindTo(EventLoop loop) {
    if (this.loop == null) {
      this.loop = loop;
    } else if (this.loop != loop) {
      throw new IllegalStateException(this + " is bound to a different event loop");
    }
  }

  /** A new pending future of the running loop, which this primitive is then bound to. */
  final <T> LoopFuture<T> newWaiter() {
    return boundLoop().createFuture();
  }
}
