package dev.eventual.stress;

import dev.eventual.ConcurrentFuture;
import dev.eventual.WaitTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;

/**
 * The Lincheck operations on one future, checked against {@link FutureModel}, CPython's state
 * machine written as sequential code. Each operation returns a plain value: exceptions become their
 * class names. {@link ConcurrentFutureLincheckTest} runs them on a {@link ConcurrentFuture}, {@link
 * BrokenFutureLincheckTest} on a deliberately broken one.
 *
 * <p>Callbacks: {@code addDoneCallback(id)} registers callback {@code id} (two distinct callbacks,
 * compared by {@code equals}, so {@code removeDoneCallback} finds them) and returns whether it ran
 * at once in the caller. After each scenario {@link #callbacksRanExactlyAsScheduled()} checks that
 * every registration not removed ran exactly once if the future is done, and none ran otherwise.
 */
@Param(name = "v", gen = IntGen.class, conf = "1:2")
@Param(name = "id", gen = IntGen.class, conf = "0:1")
public abstract class FutureOperations {
  static final int CALLBACKS = 2;

  /** Raised by {@link #setException()}; its simple name is what the model reports. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom", null, false, false);
    }
  }

  static {
    Lincheck.warmUp();
  }

  /** Set while this thread is inside {@code addDoneCallback}: a callback run then ran inline. */
  private static final ThreadLocal<boolean[]> ADDING = new ThreadLocal<>();

  private final ConcurrentFuture<Integer> future;
  private final AtomicInteger[] calls = new AtomicInteger[CALLBACKS];
  private final AtomicInteger[] added = new AtomicInteger[CALLBACKS];
  private final AtomicInteger[] removed = new AtomicInteger[CALLBACKS];
  private final Counting[] callbacks = new Counting[CALLBACKS];

  /** A callback that counts its runs; equal to every other callback with the same id. */
  private static final class Counting implements Consumer<ConcurrentFuture<Integer>> {
    final int id;
    final AtomicInteger calls;

    Counting(int id, AtomicInteger calls) {
      this.id = id;
      this.calls = calls;
    }

    @Override
    public void accept(ConcurrentFuture<Integer> f) {
      calls.incrementAndGet();
      boolean[] inline = ADDING.get();
      if (inline != null) {
        inline[0] = true;
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Counting && ((Counting) o).id == id && ((Counting) o).calls == calls;
    }

    @Override
    public int hashCode() {
      return id;
    }
  }

  protected FutureOperations(ConcurrentFuture<Integer> future) {
    this.future = future;
    for (int i = 0; i < CALLBACKS; i++) {
      calls[i] = new AtomicInteger();
      added[i] = new AtomicInteger();
      removed[i] = new AtomicInteger();
      callbacks[i] = new Counting(i, calls[i]);
    }
  }

  @Operation
  public String setResult(@Param(name = "v") int v) {
    try {
      future.setResult(v);
      return "ok";
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName();
    }
  }

  @Operation
  public boolean trySetResult(@Param(name = "v") int v) {
    return future.trySetResult(v);
  }

  @Operation
  public String setException() {
    try {
      future.setException(new Boom());
      return "ok";
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName();
    }
  }

  @Operation
  public boolean cancel() {
    return future.cancel();
  }

  @Operation
  public boolean cancelWithMessage(@Param(name = "v") int m) {
    return future.cancel("m" + m);
  }

  @Operation
  public boolean cancelMayInterrupt() {
    return future.cancel(false);
  }

  @Operation
  public String setRunningOrNotifyCancel() {
    try {
      return String.valueOf(future.setRunningOrNotifyCancel());
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName();
    }
  }

  @Operation
  public boolean addDoneCallback(@Param(name = "id") int id) {
    boolean[] inline = new boolean[1];
    ADDING.set(inline);
    try {
      future.addDoneCallback(callbacks[id]);
    } finally {
      ADDING.remove();
    }
    added[id].incrementAndGet();
    return inline[0];
  }

  @Operation
  public int removeDoneCallback(@Param(name = "id") int id) {
    int n = future.removeDoneCallback(new Counting(id, calls[id]));
    removed[id].addAndGet(n);
    return n;
  }

  @Operation
  public boolean isDone() {
    return future.isDone();
  }

  @Operation
  public boolean isCancelled() {
    return future.isCancelled();
  }

  @Operation
  public boolean isRunning() {
    return future.isRunning();
  }

  @Operation
  public String futureState() {
    return future.futureState().name();
  }

  @Operation
  public String resultZeroTimeout() {
    try {
      return "value:" + future.result(Duration.ZERO);
    } catch (WaitTimeoutException e) {
      return "WaitTimeoutException";
    } catch (CancellationException e) {
      return "CancellationException:" + e.getMessage();
    } catch (Boom e) {
      return "raised:Boom";
    }
  }

  /** After each scenario: every registration not removed ran once if done, none ran if not. */
  @Validate
  public void callbacksRanExactlyAsScheduled() {
    boolean done = future.isDone();
    for (int i = 0; i < CALLBACKS; i++) {
      int expected = done ? added[i].get() - removed[i].get() : 0;
      if (calls[i].get() != expected) {
        throw new AssertionError(
            "callback " + i + " ran " + calls[i].get() + " times, expected " + expected);
      }
    }
  }
}
