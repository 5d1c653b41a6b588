package dev.eventual;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The machinery of {@link ConcurrentFuture#withTimeout} and {@link
 * ConcurrentFuture#withTimeoutFallback}: one object per deadline, at once the timer task and the
 * done callback on both the input and the output future.
 *
 * <p>State of {@link #timer}:
 *
 * <pre>
 *   timer            meaning                         next
 *   null             not armed yet                   ScheduledFuture (start arms it)
 *                                                    RELEASED (output done first)
 *   ScheduledFuture  armed: one entry in the queue   RELEASED (output done; the entry is
 *                                                    cancelled and removed from the queue)
 *   RELEASED         the output is done              (final; start cancels a timer it arms late)
 * </pre>
 *
 * The output becomes done in one of three ways: the input finishes (its outcome is copied), the
 * timer fires (the input is cancelled first if asked, then the timeout or the fallback is given),
 * or the user cancels the output. Each way ends in {@link #outputDone}, which releases the timer,
 * unregisters this callback from the input (so a long-running input no longer keeps the output
 * reachable) and, if asked, cancels the input. So a deadline holds a timer entry exactly as long as
 * its output is pending, whether the input succeeded, failed or was cancelled (JDK-8303742: {@code
 * CompletableFuture.orTimeout} kept its timer when the future failed).
 */
final class Deadline<V>
    implements Runnable, Consumer<ConcurrentFuture<?>>, ConcurrentFuture.Internal {
  private static final VarHandle TIMER;

  static {
    try {
      TIMER = MethodHandles.lookup().findVarHandle(Deadline.class, "timer", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final Object RELEASED = new Object();

  private final ConcurrentFuture<V> input;
  private final ConcurrentFuture<V> output = new ConcurrentFuture<>();
  private final Duration timeout;
  private final OnTimeout onTimeout;
  private final boolean hasFallback;
  private final V fallback;

  @SuppressWarnings("unused") // accessed through TIMER
  private volatile Object timer;

  private Deadline(
      ConcurrentFuture<V> input,
      Duration timeout,
      boolean hasFallback,
      V fallback,
      OnTimeout onTimeout) {
    this.input = input;
    this.timeout = timeout;
    this.hasFallback = hasFallback;
    this.fallback = fallback;
    this.onTimeout = onTimeout;
  }

  /**
   * Checks the arguments, then starts a deadline on {@code input}.
   *
   * @throws NullPointerException if {@code timeout} or {@code onTimeout} is null; nothing changed
   * @throws IllegalArgumentException if {@code timeout} is negative; nothing changed
   */
  static <V> ConcurrentFuture<V> start(
      ConcurrentFuture<V> input,
      Duration timeout,
      boolean hasFallback,
      V fallback,
      OnTimeout onTimeout) {
    long nanos = Timeouts.toNanos(timeout, "timeout");
    if (onTimeout == null) {
      throw new NullPointerException("onTimeout must not be null");
    }
    Deadline<V> d = new Deadline<>(input, timeout, hasFallback, fallback, onTimeout);
    ConcurrentFuture<V> output = d.output;
    output.addDoneCallback(d);
    input.addDoneCallback(d); // copies the outcome at once if the input is done already
    if (output.isDone()) {
      return output;
    }
    if (nanos == 0L) {
      d.run();
      return output;
    }
    ScheduledFuture<?> armed = Timer.INSTANCE.schedule(d, nanos, TimeUnit.NANOSECONDS);
    if (!TIMER.compareAndSet(d, null, armed)) {
      armed.cancel(false); // the output finished while we armed it: take the entry out again
    }
    return output;
  }

  /**
   * The timer fired: time is up. The input's work is cancelled (if asked) before the verdict is
   * given, so whoever sees the timeout finds the input cancelled already; this callback leaves the
   * input first, so that cancellation is not copied to the output instead of the verdict.
   */
  @Override
  public void run() {
    if (output.isDone()) {
      return;
    }
    String described = hasFallback ? null : input.toString();
    input.remove(this, true);
    if (onTimeout != OnTimeout.LEAVE_RUNNING) {
      input.cancel(onTimeout == OnTimeout.CANCEL_AND_INTERRUPT);
    }
    if (hasFallback) {
      output.trySetResult(fallback);
    } else {
      output.trySetException(
          new WaitTimeoutException(
              "Timed out after " + Timeouts.describe(timeout) + " waiting for " + described));
    }
  }

  @Override
  public void accept(ConcurrentFuture<?> done) {
    if (done == output) {
      outputDone();
    } else {
      output.completeFrom(input.rawState());
    }
  }

  private void outputDone() {
    Object armed = TIMER.getAndSet(this, RELEASED);
    if (armed instanceof ScheduledFuture) {
      ((ScheduledFuture<?>) armed).cancel(false); // removes the entry from the timer's queue
    }
    input.remove(this, true);
    if (onTimeout != OnTimeout.LEAVE_RUNNING && !input.isDone()) {
      input.cancel(onTimeout == OnTimeout.CANCEL_AND_INTERRUPT);
    }
  }

  /**
   * How many deadlines are armed on the shared timer: a hook for tests, which check that no entry
   * is left once the futures are done.
   */
  static int armedTimers() {
    return Timer.INSTANCE.getQueue().size();
  }

  /** The shared timer: one daemon thread, created when the first deadline is armed. */
  private static final class Timer {
    static final ScheduledThreadPoolExecutor INSTANCE = create();

    private static ScheduledThreadPoolExecutor create() {
      AtomicInteger count = new AtomicInteger();
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1,
              task -> {
                Thread t = new Thread(task, "eventual-deadline-timer-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      timer.setRemoveOnCancelPolicy(true); // a released deadline leaves no entry behind
      return timer;
    }
  }
}
