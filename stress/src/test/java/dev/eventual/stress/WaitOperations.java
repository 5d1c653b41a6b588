package dev.eventual.stress;

import dev.eventual.ConcurrentFuture;
import dev.eventual.DoneAndNotDone;
import dev.eventual.FutureIterator;
import dev.eventual.Futures;
import dev.eventual.WaitTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;

/**
 * Lincheck operations on {@code Futures.wait} and {@code Futures.asCompleted} with a zero timeout,
 * racing completion, cancellation and the executor's acknowledgement of a cancellation, checked for
 * linearizability against {@link WaitModel}: "done" is CPython's, FINISHED or
 * CANCELLED_AND_NOTIFIED, so a future that is only CANCELLED is still not done for them. Each call
 * returns the indices of the futures it reports done.
 */
@Param(name = "i", gen = IntGen.class, conf = "0:1")
public abstract class WaitOperations {
  static {
    Lincheck.warmUp();
  }

  private final List<ConcurrentFuture<Integer>> futures;

  protected WaitOperations(int n) {
    ConcurrentFuture<Integer>[] fs = newArray(n);
    for (int i = 0; i < n; i++) {
      fs[i] = new ConcurrentFuture<>();
    }
    futures = List.of(fs);
  }

  @SuppressWarnings("unchecked")
  private static ConcurrentFuture<Integer>[] newArray(int n) {
    return (ConcurrentFuture<Integer>[]) new ConcurrentFuture<?>[n];
  }

  @Operation
  public boolean complete(@Param(name = "i") int i) {
    return futures.get(i % futures.size()).trySetResult(i);
  }

  @Operation
  public boolean cancel(@Param(name = "i") int i) {
    return futures.get(i % futures.size()).cancel();
  }

  @Operation
  public String notifyCancel(@Param(name = "i") int i) {
    try {
      return String.valueOf(futures.get(i % futures.size()).setRunningOrNotifyCancel());
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName();
    }
  }

  @Operation
  public String waitZero() {
    DoneAndNotDone<ConcurrentFuture<Integer>> r = Futures.wait(futures, Duration.ZERO);
    return indices(r.done());
  }

  @Operation
  public String asCompletedZero() {
    TreeSet<Integer> yielded = new TreeSet<>();
    try (FutureIterator<ConcurrentFuture<Integer>> it =
        Futures.asCompleted(futures, Duration.ZERO)) {
      while (it.hasNext()) {
        yielded.add(futures.indexOf(it.next()));
      }
    } catch (WaitTimeoutException e) {
      // the rest is not done
    }
    return yielded.toString();
  }

  private String indices(java.util.Set<ConcurrentFuture<Integer>> done) {
    TreeSet<Integer> ids = new TreeSet<>();
    for (ConcurrentFuture<Integer> f : done) {
      ids.add(futures.indexOf(f));
    }
    return ids.toString();
  }
}
