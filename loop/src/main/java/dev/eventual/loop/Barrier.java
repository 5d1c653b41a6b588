package dev.eventual.loop;

import java.util.concurrent.CancellationException;

/**
 * A meeting point for a fixed number of tasks: Python's {@code asyncio.Barrier} (3.11, CPython 3.13
 * semantics). Each task calls {@link #await()}; when {@link #parties()} tasks are waiting, all are
 * released at once, each with its own arrival index, and the barrier can be used again.
 *
 * <table>
 *   <caption>State</caption>
 *   <tr><th>field</th><th>meaning</th></tr>
 *   <tr><td>{@code state}</td><td>FILLING: tasks arrive and wait; DRAINING: the last party
 *       arrived, the waiters leave (newcomers wait until all left); RESETTING: {@link #reset()}
 *       with tasks inside, they leave with {@link BrokenBarrierException}; BROKEN: {@link
 *       #abort()}, every wait fails until a reset</td></tr>
 *   <tr><td>{@code count}</td><td>tasks inside {@code await()} (waiting or leaving)</td></tr>
 *   <tr><td>{@code cond}</td><td>the condition all of them wait on; every state change signals
 *       all</td></tr>
 * </table>
 *
 * <p>Like all of asyncio, not thread-safe: use it from tasks of one loop.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code wait()} is {@link #await()} ({@code Object.wait} is final; see the package
 *       documentation); {@code n_waiting} is {@link #nWaiting()}, {@code broken} is {@link
 *       #isBroken()}; properties are methods.
 *   <li>{@code async with barrier as index:} has no try-with-resources form (its exit does
 *       nothing): write {@code int index = barrier.await();}.
 *   <li>{@code BrokenBarrierError} is {@link BrokenBarrierException}, {@code ValueError} is {@link
 *       IllegalArgumentException}.
 * </ul>
 */
public final class Barrier {
  private enum State {
    FILLING,
    DRAINING,
    RESETTING,
    BROKEN
  }

  private final Condition cond = new Condition();
  private final int parties;
  private State state = State.FILLING;
  private int count;

  /**
   * Creates a barrier for {@code parties} tasks.
   *
   * @param parties how many tasks must arrive to release them
   * @throws IllegalArgumentException "parties must be >= 1" if it is less
   */
  public Barrier(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be >= 1, got " + parties);
    }
    this.parties = parties;
  }

  /**
   * Waits until {@link #parties()} tasks are waiting, then releases them all: Python's {@code await
   * barrier.wait()}.
   *
   * @return the arrival index, 0 to {@code parties - 1}, unique among the tasks released together
   * @throws BrokenBarrierException "Barrier aborted" if the barrier is broken on arrival; "Abort or
   *     reset of barrier" if it is aborted or reset while the task waits
   * @throws CancellationException if the task is cancelled while it waits (the others keep waiting;
   *     the count goes down)
   * @throws IllegalStateException if the caller is not a task of a running loop, or the barrier is
   *     bound to another loop
   */
  public int await() {
    try (Held held = cond.hold()) {
      block();
      try {
        int index = count;
        count++;
        if (index + 1 == parties) {
          state = State.DRAINING;
          cond.signalAll();
        } else {
          waitForRelease();
        }
        return index;
      } finally {
        count--;
        exit();
      }
    }
  }

  /** Waits while the barrier drains or resets; fails if it is broken. */
  private void block() {
    cond.awaitFor(() -> state != State.DRAINING && state != State.RESETTING);
    if (state == State.BROKEN) {
      throw new BrokenBarrierException("Barrier aborted");
    }
  }

  /** Waits for the last party; fails if the barrier is reset or aborted meanwhile. */
  private void waitForRelease() {
    cond.awaitFor(() -> state != State.FILLING);
    if (state == State.BROKEN || state == State.RESETTING) {
      throw new BrokenBarrierException("Abort or reset of barrier");
    }
  }

  /** The last task to leave a draining or resetting barrier refills it. */
  private void exit() {
    if (count == 0) {
      if (state == State.RESETTING || state == State.DRAINING) {
        state = State.FILLING;
      }
      cond.signalAll();
    }
  }

  /**
   * Returns the barrier to its initial state: Python's {@code await barrier.reset()}. Tasks waiting
   * in it get a {@link BrokenBarrierException}; a broken barrier is usable again.
   *
   * @throws CancellationException if the task is cancelled while it takes the barrier's lock
   * @throws IllegalStateException if it has to wait for the lock and the caller is not a task
   */
  public void reset() {
    try (Held held = cond.hold()) {
      if (count > 0) {
        if (state != State.RESETTING) {
          state = State.RESETTING;
        }
      } else {
        state = State.FILLING;
      }
      cond.signalAll();
    }
  }

  /**
   * Breaks the barrier: Python's {@code await barrier.abort()}. Waiting tasks and every later
   * {@link #await()} get a {@link BrokenBarrierException}, until {@link #reset()}.
   *
   * @throws CancellationException if the task is cancelled while it takes the barrier's lock
   * @throws IllegalStateException if it has to wait for the lock and the caller is not a task
   */
  public void abort() {
    try (Held held = cond.hold()) {
      state = State.BROKEN;
      cond.signalAll();
    }
  }

  /**
   * How many tasks must arrive to release them: Python's {@code parties}.
   *
   * @return the parties
   */
  public int parties() {
    return parties;
  }

  /**
   * How many tasks wait at the barrier while it fills: Python's {@code n_waiting} (0 while it
   * drains or resets).
   *
   * @return the number of waiting tasks
   */
  public int nWaiting() {
    return state == State.FILLING ? count : 0;
  }

  /**
   * Whether the barrier is broken: Python's {@code broken}.
   *
   * @return true after {@link #abort()}, until {@link #reset()}
   */
  public boolean isBroken() {
    return state == State.BROKEN;
  }

  /**
   * The state, as Python's repr: {@code Barrier[filling, waiters:1/3]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    String s = state.name().toLowerCase(java.util.Locale.ROOT);
    if (state != State.BROKEN) {
      s += ", waiters:" + nWaiting() + "/" + parties;
    }
    return "Barrier[" + s + "]";
  }
}
