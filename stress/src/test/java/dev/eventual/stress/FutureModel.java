package dev.eventual.stress;

/**
 * The sequential specification of {@link ConcurrentFutureLincheckTest}: CPython's {@code
 * concurrent.futures.Future} state machine ({@code Lib/concurrent/futures/_base.py}), written as
 * plain single-threaded code, with the JDK's {@code cancel(boolean)} and asyncio's {@code
 * remove_done_callback} added as the library documents them. Every method has the signature of the
 * operation of the same name and returns what the real future must return.
 */
public final class FutureModel {
  private enum State {
    PENDING,
    RUNNING,
    CANCELLED,
    CANCELLED_AND_NOTIFIED,
    FINISHED
  }

  private State state = State.PENDING;

  /** What {@code result(0)} reports once FINISHED: "value:N" or "raised:Boom". */
  private String outcome;

  private String cancelMessage;

  /** Registrations per callback id still waiting for the future. */
  private final int[] registered = new int[FutureOperations.CALLBACKS];

  private boolean done() {
    return state == State.CANCELLED
        || state == State.CANCELLED_AND_NOTIFIED
        || state == State.FINISHED;
  }

  private boolean cancelled() {
    return state == State.CANCELLED || state == State.CANCELLED_AND_NOTIFIED;
  }

  private void finish(State next, String outcome) {
    state = next;
    this.outcome = outcome;
    java.util.Arrays.fill(registered, 0); // every registration runs once, now
  }

  public String setResult(int v) {
    return trySetResult(v) ? "ok" : "InvalidStateException";
  }

  public boolean trySetResult(int v) {
    if (done()) {
      return false;
    }
    finish(State.FINISHED, "value:" + v);
    return true;
  }

  public String setException() {
    if (done()) {
      return "InvalidStateException";
    }
    finish(State.FINISHED, "raised:Boom");
    return "ok";
  }

  public boolean cancel() {
    return cancelWith(null);
  }

  public boolean cancelWithMessage(int m) {
    return cancelWith("m" + m);
  }

  private boolean cancelWith(String message) {
    if (state == State.RUNNING || state == State.FINISHED) {
      return false;
    }
    if (cancelled()) {
      return true; // the first message is kept
    }
    cancelMessage = message;
    finish(State.CANCELLED, null);
    return true;
  }

  public boolean cancelMayInterrupt() {
    if (state == State.RUNNING) {
      cancelMessage = null;
      finish(State.CANCELLED_AND_NOTIFIED, null);
      return true;
    }
    return cancel();
  }

  public String setRunningOrNotifyCancel() {
    switch (state) {
      case PENDING:
        state = State.RUNNING;
        return "true";
      case CANCELLED:
        state = State.CANCELLED_AND_NOTIFIED;
        return "false";
      default:
        return "InvalidStateException";
    }
  }

  public boolean addDoneCallback(int id) {
    if (done()) {
      return true; // runs at once, in the caller
    }
    registered[id]++;
    return false;
  }

  public int removeDoneCallback(int id) {
    int n = registered[id];
    registered[id] = 0;
    return n;
  }

  public boolean isDone() {
    return done();
  }

  public boolean isCancelled() {
    return cancelled();
  }

  public boolean isRunning() {
    return state == State.RUNNING;
  }

  public String futureState() {
    return state.name();
  }

  public String resultZeroTimeout() {
    if (!done()) {
      return "WaitTimeoutException";
    }
    if (cancelled()) {
      return "CancellationException:" + cancelMessage;
    }
    return outcome;
  }
}
