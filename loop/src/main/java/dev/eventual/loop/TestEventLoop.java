package dev.eventual.loop;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An event loop on virtual time, for tests: time starts at 0 and moves only when the test says so
 * ({@link #advance}) or when the loop would otherwise sleep. asyncio has no such loop; it plays the
 * role of Trio's {@code MockClock} and Twisted's {@code task.Clock}.
 *
 * <pre>{@code
 * TestEventLoop loop = new TestEventLoop();
 * List<String> seen = new ArrayList<>();
 * loop.callLater(Duration.ofSeconds(10), () -> seen.add("late"));
 * loop.advance(Duration.ofSeconds(9));  // nothing yet
 * loop.advance(Duration.ofSeconds(1));  // runs "late", at time 10.0
 * }</pre>
 *
 * <p>{@link #runForever()} and {@link #runUntilComplete} jump the virtual time to the next timer
 * whenever nothing is ready, so a test with long timeouts finishes at once. Work sent from other
 * threads ({@link #callSoonThreadsafe}, executors) is waited for only when no timer is pending: a
 * timer that should fire after such work must be driven with {@link #advance} instead.
 *
 * <p>{@link #advance} and {@link #runUntilIdle()} run the loop on the calling thread ({@link
 * EventLoop#getRunningLoop()} works in the callbacks) and return when nothing is left to do at the
 * current time; a callback that reschedules itself with {@code callSoon} forever keeps them running
 * forever. A {@link #stop()} from a callback ends them early.
 */
public class TestEventLoop extends EventLoop {
  private final VirtualClock clock;

  /** Creates a loop whose time starts at 0. */
  public TestEventLoop() {
    this(new VirtualClock());
  }

  private TestEventLoop(VirtualClock clock) {
    super(clock);
    this.clock = clock;
  }

  /**
   * Runs every callback that is ready, the ones they schedule for now, and timers due now, until
   * nothing is ready; time does not move.
   *
   * @throws IllegalStateException if the loop is closed, running, another loop runs on this thread,
   *     or a task of the loop is suspended in a continuation on another thread
   */
  public void runUntilIdle() {
    enter();
    try {
      drain();
    } finally {
      exit();
    }
  }

  /**
   * Runs the oldest ready callback and nothing else (no timer, no I/O poll); work that other
   * threads send meanwhile waits for the next call. Package-private: the stress module's Lincheck
   * model of task cancellation steps the loop with it (see {@link Scheduler#runOneReady}).
   *
   * @return false if nothing was ready
   * @throws IllegalStateException if the loop is closed, running, another loop runs on this thread,
   *     or a task of the loop is suspended in a continuation on another thread
   */
  boolean runOneCallback() {
    enter();
    try {
      return scheduler.runOneReady();
    } finally {
      exit();
    }
  }

  /**
   * Moves the virtual time forward by {@code delta}, running everything that falls due on the way
   * in order, each timer at its own time ({@link #time()} inside a callback is its {@code when}),
   * then runs until idle at the new time.
   *
   * @param delta how far to move, zero or positive
   * @throws NullPointerException if {@code delta} is null
   * @throws IllegalArgumentException if {@code delta} is negative
   * @throws IllegalStateException if the loop is closed, running, another loop runs on this thread,
   *     or a task of the loop is suspended in a continuation on another thread
   */
  public void advance(Duration delta) {
    Objects.requireNonNull(delta, "delta must not be null");
    if (delta.isNegative()) {
      throw new IllegalArgumentException("delta must not be negative: " + delta);
    }
    long target = clock.nanos + Scheduler.clampDelay(delta);
    enter();
    try {
      if (!drain()) {
        return;
      }
      while (scheduler.hasTimers() && scheduler.nextTimerNanos() - target <= 0) {
        long next = scheduler.nextTimerNanos();
        if (next - clock.nanos > 0) {
          clock.nanos = next;
        }
        if (!drain()) {
          return;
        }
      }
      clock.nanos = target;
      drain();
    } finally {
      exit();
    }
  }

  /** Runs turns until idle now; false if a callback stopped the loop. */
  private boolean drain() {
    do {
      runOnce(false);
      if (scheduler.isStopping()) {
        return false;
      }
    } while (scheduler.hasReadyWork(clock.nanos));
    return true;
  }

  /** Jumps to the next timer instead of sleeping; waits for real only with no timer pending. */
  @Override
  void idle(long timeoutNanos) {
    if (timeoutNanos >= 0) {
      clock.nanos += timeoutNanos;
    } else {
      super.idle(timeoutNanos);
    }
  }

  private static final class VirtualClock implements LongSupplier {
    volatile long nanos;

    @Override
    public long getAsLong() {
      return nanos;
    }
  }
}
