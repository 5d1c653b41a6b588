package dev.eventual.loop;

import dev.eventual.WaitTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * A deadline for a block of a task's body: Python's {@code asyncio.Timeout} (3.11), the object that
 * {@code asyncio.timeout(delay)} and {@code asyncio.timeout_at(when)} return. Get one from {@link
 * Asyncio#timeout(Duration)} or {@link Asyncio#timeoutAt(Double)}, then {@link #run(TaskBody)} the
 * block with it; the block may move the deadline with {@link #reschedule(Double)}:
 *
 * <pre>{@code
 * Timeout cm = Asyncio.timeout(Duration.ofSeconds(10));
 * cm.run(() -> {
 *   cm.reschedule(EventLoop.getRunningLoop().time() + 30);   // needs longer after all
 *   return download();
 * });
 * if (cm.expired()) { ... }
 * }</pre>
 *
 * <p>When the deadline passes while the block runs, the task is cancelled; if the resulting {@link
 * CancellationException} leaves the block, {@code run} turns it into a {@link WaitTimeoutException}
 * whose cause is the cancellation. A cancellation from elsewhere stays a cancellation: {@link
 * Task#cancelling()} tells them apart, as in CPython. A deadline of null means none.
 *
 * <p>State (Python's {@code _State}): CREATED → ENTERED ("active", {@code run} began) → EXPIRING
 * (the deadline passed and cancelled the task) → EXPIRED (the block ended after that), or ENTERED →
 * EXITED ("finished", the block ended before the deadline). A handle is used by one {@code run}
 * only. All of it belongs to the loop's thread (the task's body).
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code async with cm:} is {@code cm.run(body)}: Java's try-with-resources cannot turn the
 *       exception that leaves a block into another one.
 *   <li>{@code when} is a {@link Double} of seconds on the scale of {@link EventLoop#time()}, null
 *       for no deadline; {@code TimeoutError} is {@link WaitTimeoutException}; {@code RuntimeError}
 *       is {@link IllegalStateException}.
 *   <li>When the deadline passed and the block ends with another exception than the cancellation,
 *       CPython chains a {@code TimeoutError} into its {@code __context__}; here a {@link
 *       WaitTimeoutException} is added to it as a suppressed exception.
 * </ul>
 */
public final class Timeout {
  private enum State {
    CREATED("created"),
    ENTERED("active"),
    EXPIRING("expiring"),
    EXPIRED("expired"),
    EXITED("finished");

    final String text;

    State(String text) {
      this.text = text;
    }
  }

  private State state = State.CREATED;
  private Double when;
  private Task<?> task;
  private int cancelling;
  private Handle timeoutHandler;

  Timeout(Double when) {
    if (when != null && when.isNaN()) {
      throw new IllegalArgumentException("when must not be NaN");
    }
    this.when = when;
  }

  /** The deadline of {@code delay} from now on {@code loop}, or none when {@code delay} is null. */
  static Timeout after(EventLoop loop, Duration delay) {
    if (delay == null) {
      return new Timeout(null);
    }
    double seconds = delay.getSeconds() + delay.getNano() / 1e9;
    return new Timeout(loop.time() + seconds);
  }

  /**
   * The deadline: Python's {@code Timeout.when()}.
   *
   * @return seconds on the scale of {@link EventLoop#time()}, or null for none
   */
  public Double when() {
    return when;
  }

  /**
   * Moves the deadline: Python's {@code Timeout.reschedule(when)}. A deadline already past cancels
   * the task at the loop's next turn; null removes the deadline.
   *
   * @param when the new deadline in seconds on the scale of {@link EventLoop#time()}, or null for
   *     none
   * @throws IllegalArgumentException if {@code when} is NaN
   * @throws IllegalStateException "Timeout has not been entered" before {@link #run}, "Cannot
   *     change state of expiring Timeout" (or expired, finished) once the deadline passed or the
   *     block ended
   */
  public void reschedule(Double when) {
    if (when != null && when.isNaN()) {
      throw new IllegalArgumentException("when must not be NaN");
    }
    if (state != State.ENTERED) {
      if (state == State.CREATED) {
        throw new IllegalStateException("Timeout has not been entered");
      }
      throw new IllegalStateException("Cannot change state of " + state.text + " Timeout");
    }
    this.when = when;
    if (timeoutHandler != null) {
      timeoutHandler.cancel();
    }
    if (when == null) {
      timeoutHandler = null;
    } else {
      EventLoop loop = task.getLoop();
      Runnable onTimeout = this::onTimeout;
      timeoutHandler =
          when <= loop.time() ? loop.callSoon(onTimeout) : loop.callAt(when, onTimeout);
    }
  }

  /**
   * Whether the deadline passed and cancelled the block: Python's {@code Timeout.expired()}.
   *
   * @return true once the deadline cancelled the task (also after the block ended)
   */
  public boolean expired() {
    return state == State.EXPIRING || state == State.EXPIRED;
  }

  /**
   * Runs {@code body} in the current task under this deadline: Python's {@code async with cm:}.
   *
   * @param body the block
   * @param <T> its result type
   * @return what {@code body} returned (also when the deadline passed and the body caught the
   *     cancellation)
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException "Timeout has already been entered" if this handle ran a block
   *     before, or "Timeout should be used inside a task" when called outside a task
   * @throws WaitTimeoutException if the deadline passed and its cancellation left the body
   * @throws Exception what {@code body} threw otherwise
   */
  public <T> T run(TaskBody<T> body) throws Exception {
    Objects.requireNonNull(body, "body must not be null");
    enter();
    T result;
    try {
      result = body.run();
    } catch (Exception | Error failure) {
      Throwable out = exit(failure);
      if (out instanceof Error) {
        throw (Error) out;
      }
      throw (Exception) out;
    }
    exit(null);
    return result;
  }

  private void enter() {
    if (state != State.CREATED) {
      throw new IllegalStateException("Timeout has already been entered");
    }
    Task<?> current = Task.currentTask();
    if (current == null) {
      throw new IllegalStateException("Timeout should be used inside a task");
    }
    state = State.ENTERED;
    task = current;
    cancelling = current.cancelling();
    reschedule(when);
  }

  /** Python's {@code __aexit__}: the throwable that leaves the block (null: none). */
  private Throwable exit(Throwable failure) {
    if (timeoutHandler != null) {
      timeoutHandler.cancel();
      timeoutHandler = null;
    }
    if (state == State.EXPIRING) {
      state = State.EXPIRED;
      if (task.uncancel() <= cancelling && failure != null) {
        WaitTimeoutException timedOut =
            new WaitTimeoutException(
                "Timed out: the deadline (when=" + when + ") passed in task " + task.getName());
        if (failure instanceof CancellationException) {
          timedOut.initCause(failure);
          return timedOut;
        }
        failure.addSuppressed(timedOut);
      }
    } else if (state == State.ENTERED) {
      state = State.EXITED;
    }
    return failure;
  }

  private void onTimeout() {
    if (state != State.ENTERED) {
      return; // a callSoon that the block's end raced; nothing to cancel
    }
    task.cancel();
    state = State.EXPIRING;
    timeoutHandler = null;
  }

  /**
   * Describes the handle as CPython's {@code repr}.
   *
   * @return {@code Timeout[active when=12.5]}, {@code Timeout[expired]}, {@code Timeout[finished]}
   */
  @Override
  public String toString() {
    return state == State.ENTERED
        ? "Timeout[" + state.text + " when=" + when + "]"
        : "Timeout[" + state.text + "]";
  }
}
