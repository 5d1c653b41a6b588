package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eventual.internal.Failure;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failures never vanish: a failed future whose exception nobody retrieved is logged once it is
 * garbage-collected (asyncio's "Future exception was never retrieved"). Futures are made in helper
 * methods so that no stack slot keeps them alive.
 */
@Timeout(60)
class UnretrievedExceptionTest {

  /** An exception whose message is unique to one test. */
  private static IllegalStateException unique(String what) {
    return new IllegalStateException(what + " " + UUID.randomUUID());
  }

  /** Collects garbage until a record mentions {@code text}; fails after 30 s. */
  private static LogRecord awaitLogged(LogCapture log, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (; ; ) {
      List<LogRecord> found = log.containing(text);
      if (!found.isEmpty()) {
        assertThat(found).hasSize(1);
        return found.get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never logged: " + text);
      }
      System.gc();
      Thread.sleep(10);
    }
  }

  /** Collects garbage until every reference is cleared; fails after 30 s. */
  private static void awaitCollected(List<? extends WeakReference<?>> refs)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (refs.stream().anyMatch(r -> r.get() != null)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not collected");
      }
      System.gc();
      Thread.sleep(10);
    }
  }

  private static WeakReference<ConcurrentFuture<Integer>> dropFailed(Throwable e) {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.setException(e);
    return new WeakReference<>(f);
  }

  @Test
  void aFailedFutureNobodyLookedAtIsLoggedWhenCollected() throws Exception {
    IllegalStateException e = unique("never looked at");
    try (LogCapture log = LogCapture.start()) {
      dropFailed(e);
      LogRecord r = awaitLogged(log, e.getMessage());
      assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
      assertThat(r.getLoggerName()).isEqualTo("dev.eventual.ConcurrentFuture");
      assertThat(r.getMessage()).contains("never retrieved").contains("ConcurrentFuture@");
      assertThat(r.getThrown()).isSameAs(e);
    }
  }

  @Test
  void aFailedFutureWithOnlyALibraryWaiterIsStillLogged() throws Exception {
    // traceback(), a timed-out wait and a removed callback do not retrieve the exception
    IllegalStateException e = unique("only looked at the traceback");
    try (LogCapture log = LogCapture.start()) {
      lookWithoutRetrieving(e);
      awaitLogged(log, e.getMessage());
    }
  }

  private static void lookWithoutRetrieving(Throwable e) {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    catchThrowable(() -> f.result(java.time.Duration.ofMillis(1)));
    Consumer<ConcurrentFuture<Integer>> cb = x -> x.exception();
    f.addDoneCallback(cb);
    f.removeDoneCallback(cb);
    f.setException(e);
    assertThat(f.traceback()).isNotNull();
    assertThat(catchThrowable(f::resultNow)).isInstanceOf(IllegalStateException.class);
  }

  /** Each way of retrieving the exception, applied to a fresh failed future. */
  private static List<Consumer<ConcurrentFuture<Integer>>> retrievals() {
    List<Consumer<ConcurrentFuture<Integer>>> ways = new ArrayList<>();
    ways.add(f -> catchThrowable(f::result));
    ways.add(f -> catchThrowable(() -> f.result(java.time.Duration.ZERO)));
    ways.add(ConcurrentFuture::exception);
    ways.add(f -> f.exception(java.time.Duration.ofSeconds(1)));
    ways.add(f -> catchThrowable(f::get));
    ways.add(f -> catchThrowable(() -> f.get(1, TimeUnit.SECONDS)));
    ways.add(ConcurrentFuture::exceptionNow);
    ways.add(f -> f.addDoneCallback(x -> {}));
    ways.add(f -> f.continueWith(x -> 1));
    return ways;
  }

  private static WeakReference<ConcurrentFuture<Integer>> retrieveAndDrop(
      Throwable e, Consumer<ConcurrentFuture<Integer>> how) {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.setException(e);
    how.accept(f);
    assertThat(((Failure) f.rawState()).isRetrieved()).isTrue();
    return new WeakReference<>(f);
  }

  @Test
  void aRetrievedExceptionIsNeverLogged() throws Exception {
    List<String> retrieved = new ArrayList<>();
    List<WeakReference<?>> refs = new ArrayList<>();
    try (LogCapture log = LogCapture.start()) {
      for (Consumer<ConcurrentFuture<Integer>> how : retrievals()) {
        IllegalStateException e = unique("retrieved");
        retrieved.add(e.getMessage());
        refs.add(retrieveAndDrop(e, how));
      }
      IllegalStateException canary = unique("canary");
      dropFailed(canary);
      awaitCollected(refs);
      awaitLogged(log, canary.getMessage());
      for (String message : retrieved) {
        assertThat(log.containing(message)).as(message).isEmpty();
      }
    }
  }

  @Test
  void aCallbackRegisteredBeforeTheFailureRetrievesIt() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(x -> {});
    f.setException(new IllegalStateException());
    assertThat(((Failure) f.rawState()).isRetrieved()).isTrue();
  }

  @Test
  void aSuccessfulFutureStoresTheBareResultAndIsNeverLogged() throws Exception {
    Object value = new Object();
    ConcurrentFuture<Object> f = new ConcurrentFuture<>();
    f.setResult(value);
    assertThat(f.rawState()).isSameAs(value); // no wrapper, nothing registered
    ConcurrentFuture<Object> g = new ConcurrentFuture<>();
    g.addDoneCallback(x -> {});
    g.setResult(value);
    assertThat(g.rawState()).isSameAs(value);
  }

  @Test
  void aContinuationsUnretrievedFailureIsLogged() throws Exception {
    IllegalStateException e = unique("continuation threw");
    try (LogCapture log = LogCapture.start()) {
      continuationThrows(e);
      awaitLogged(log, e.getMessage());
    }
  }

  private static void continuationThrows(RuntimeException e) {
    ConcurrentFuture<Integer> source = TestFutures.succeeded(1);
    source.continueWith(
        x -> {
          throw e;
        });
  }

  @Test
  void aFlatteningContinuationsUnretrievedFailureIsLogged() throws Exception {
    IllegalStateException e = unique("inner failed");
    try (LogCapture log = LogCapture.start()) {
      innerFails(e);
      LogRecord r = awaitLogged(log, e.getMessage());
      assertThat(r.getThrown()).isSameAs(e);
    }
  }

  private static void innerFails(RuntimeException e) {
    ConcurrentFuture<Integer> inner = new ConcurrentFuture<>();
    TestFutures.succeeded(1).continueWithFuture(x -> inner);
    inner.setException(e); // retrieved by the continuation, which now owns the failure
  }

  @Test
  void aFailureSkippedByACancelledContinuationIsLogged() throws Exception {
    IllegalStateException e = unique("only a cancelled continuation");
    try (LogCapture log = LogCapture.start()) {
      sourceFailsAfterItsContinuationWasCancelled(e);
      awaitLogged(log, e.getMessage());
    }
  }

  private static void sourceFailsAfterItsContinuationWasCancelled(RuntimeException e) {
    ConcurrentFuture<Integer> source = new ConcurrentFuture<>();
    source.continueWith(x -> x.exception()).cancel();
    source.setException(e);
  }

  @Test
  void aFailedStageNobodyLookedAtIsLogged() throws Exception {
    IllegalStateException e = unique("failed stage");
    try (LogCapture log = LogCapture.start()) {
      fromFailedStage(e);
      awaitLogged(log, e.getMessage());
    }
    IllegalStateException late = unique("stage failed later");
    try (LogCapture log = LogCapture.start()) {
      fromStageFailingLater(late);
      awaitLogged(log, late.getMessage());
    }
  }

  private static void fromFailedStage(RuntimeException e) {
    ConcurrentFuture.fromCompletionStage(CompletableFuture.failedFuture(e));
  }

  private static void fromStageFailingLater(RuntimeException e) {
    CompletableFuture<Integer> cf = new CompletableFuture<>();
    ConcurrentFuture.fromFuture(cf);
    cf.completeExceptionally(e);
  }
}
