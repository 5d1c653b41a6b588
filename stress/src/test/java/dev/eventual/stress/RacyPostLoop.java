package dev.eventual.stress;

/**
 * A deliberately broken loop: {@code callSoonThreadsafe} appends to its queue by reading the tail
 * and then linking the new node after it, without a compare-and-set, so two racing posts can link
 * after the same tail and one callback is lost although both calls returned normally. With one
 * posting thread it is a correct single-producer, single-consumer loop. It exists to show that the
 * loop's Lincheck test can fail (see {@link BrokenLoopLincheckTest}); nothing else uses it.
 */
final class RacyPostLoop implements LoopOperations.Subject {
  /**
   * Busy-wait iterations between reading the tail and linking after it. Zero for the model checker
   * (which switches threads there anyway); stress mode sets more, so that real threads overlap.
   */
  static volatile int window;

  private static final class Node {
    final Runnable callback;
    volatile Node next;

    Node(Runnable callback) {
      this.callback = callback;
    }
  }

  private volatile Node head = new Node(null); // the last node taken (a sentinel)
  private volatile Node tail = head;
  private volatile boolean closed;

  @Override
  public void callSoonThreadsafe(Runnable callback) {
    if (closed) {
      throw new IllegalStateException("Event loop is closed");
    }
    Node node = new Node(callback);
    Node last = tail; // read ...
    for (int i = window; i > 0; i--) {
      Thread.onSpinWait();
    }
    last.next = node; // ... then link: a racing post may have linked after the same node
    tail = node;
  }

  @Override
  public void stop() {
    // every turn stops after running what was queued at its start
  }

  /** One turn: runs the callbacks queued when it started. */
  @Override
  public void runForever() {
    if (closed) {
      throw new IllegalStateException("Event loop is closed");
    }
    Node end = tail;
    Node h = head;
    while (h != end && h.next != null) {
      h = h.next;
      head = h;
      h.callback.run();
    }
  }

  @Override
  public void close() {
    closed = true;
    head = tail; // drops what is pending
  }

  @Override
  public boolean isClosed() {
    return closed;
  }
}
