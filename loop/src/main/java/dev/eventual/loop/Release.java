package dev.eventual.loop;

/** The {@link Held} that {@code hold()} returns: runs a release action once. */
final class Release implements Held {
  private final Runnable release;
  private boolean closed;

  Release(Runnable release) {
    this.release = release;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      release.run();
    }
  }

  @Override
  public String toString() {
    return closed ? "Held[released]" : "Held[held]";
  }
}
