package dev.eventual.stress;

/**
 * The sequential specification of {@link LoopOperations}: a post is accepted until the close, a
 * turn runs every callback accepted before it, once, and close drops those still pending; {@code
 * stop()} from another thread changes nothing a turn could show.
 */
public final class LoopModel {
  private boolean closed;
  private int pending;

  public String post() {
    if (closed) {
      return "Event loop is closed";
    }
    pending++;
    return "accepted";
  }

  public void stop() {}

  public String turn() {
    if (closed) {
      return "Event loop is closed";
    }
    int n = pending;
    pending = 0;
    return "ran " + n;
  }

  public void close() {
    closed = true;
    pending = 0;
  }
}
