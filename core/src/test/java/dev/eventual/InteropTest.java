package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** toCompletableFuture, fromCompletionStage and fromFuture. */
@Timeout(30)
class InteropTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  // ------------------------------------------------------------ toCompletableFuture

  @Test
  void toCompletableFutureCompletesWithTheResult() throws Exception {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    CompletableFuture<String> cf = f.toCompletableFuture();
    assertThat(cf.isDone()).isFalse();
    f.setResult("x");
    assertThat(cf.get(0, TimeUnit.SECONDS)).isEqualTo("x");
    assertThat(TestFutures.succeeded(null).toCompletableFuture().join()).isNull();
    assertThat(TestFutures.succeeded(5).toCompletableFuture().join()).isEqualTo(5);
  }

  @Test
  void toCompletableFutureCompletesWithTheVeryException() {
    IOException e = new IOException("io");
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    CompletableFuture<String> cf = f.toCompletableFuture();
    f.setException(e);
    assertThat(cf.isCompletedExceptionally()).isTrue();
    assertThat(cf.isCancelled()).isFalse();
    assertThat(catchThrowable(cf::join)).isInstanceOf(CompletionException.class).hasCause(e);
    assertThat(catchThrowable(cf::get)).isInstanceOf(ExecutionException.class).hasCause(e);
  }

  @Test
  void aCancelledSourceCancelsTheCompletableFutureWithItsMessage() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    CompletableFuture<String> cf = f.toCompletableFuture();
    f.cancel("gone");
    assertThat(cf.isCancelled()).isTrue();
    assertThatThrownBy(cf::join).isInstanceOf(CancellationException.class);
    // the stored exception itself (JDK 25's join() wraps it in a new "join" one)
    assertThat(cf.handle((v, ex) -> ex).join())
        .isInstanceOf(CancellationException.class)
        .hasMessage("gone");
    assertThat(TestFutures.cancelled().toCompletableFuture().isCancelled()).isTrue();
  }

  @Test
  void cancellingTheCompletableFutureCancelsAPendingOrRunningSource() {
    ConcurrentFuture<String> pending = new ConcurrentFuture<>();
    assertThat(pending.toCompletableFuture().cancel(true)).isTrue();
    assertThat(pending.futureState()).isEqualTo(FutureState.CANCELLED);

    ConcurrentFuture<String> running = TestFutures.running();
    assertThat(running.toCompletableFuture().cancel(false)).isTrue();
    assertThat(running.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);

    ConcurrentFuture<String> finished = TestFutures.succeeded("kept");
    CompletableFuture<String> cf = finished.toCompletableFuture();
    assertThat(cf.cancel(true)).isFalse();
    assertThat(finished.result()).isEqualTo("kept");
  }

  // ------------------------------------------------------------ fromCompletionStage

  @Test
  void fromCompletionStageFollowsTheResult() {
    CompletableFuture<String> cf = new CompletableFuture<>();
    ConcurrentFuture<String> f = ConcurrentFuture.fromCompletionStage(cf);
    assertThat(f.isDone()).isFalse();
    cf.complete("y");
    assertThat(f.result()).isEqualTo("y");
    assertThat(
            ConcurrentFuture.fromCompletionStage(CompletableFuture.completedFuture(null)).result())
        .isNull();
  }

  @Test
  void fromCompletionStageFollowsTheVeryException() {
    IOException e = new IOException();
    ConcurrentFuture<String> f =
        ConcurrentFuture.fromCompletionStage(CompletableFuture.failedFuture(e));
    assertThat(f.exception()).isSameAs(e);
  }

  @Test
  void fromCompletionStageRemovesTheCompletionExceptionOfADependentStage() {
    IllegalStateException e = new IllegalStateException("in stage");
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletionStage<String> dependent =
        source.thenApply(
            s -> {
              throw e;
            });
    ConcurrentFuture<String> f = ConcurrentFuture.fromCompletionStage(dependent);
    source.complete("go");
    assertThat(f.exception()).isSameAs(e);
    IOException io = new IOException();
    CompletableFuture<String> failing = new CompletableFuture<>();
    ConcurrentFuture<String> g = ConcurrentFuture.fromCompletionStage(failing.thenApply(s -> s));
    failing.completeExceptionally(io);
    assertThat(g.exception()).isSameAs(io);
  }

  @Test
  void aCancelledStageCancelsTheFuture() {
    CompletableFuture<String> cf = new CompletableFuture<>();
    ConcurrentFuture<String> f = ConcurrentFuture.fromCompletionStage(cf);
    cf.cancel(true);
    assertThat(f.isCancelled()).isTrue();
    CompletableFuture<String> source = new CompletableFuture<>();
    ConcurrentFuture<String> g = ConcurrentFuture.fromCompletionStage(source.thenApply(s -> s));
    source.cancel(false);
    assertThat(g.isCancelled()).isTrue();
  }

  @Test
  void cancellingTheFutureCancelsTheStage() {
    CompletableFuture<String> cf = new CompletableFuture<>();
    ConcurrentFuture<String> f = ConcurrentFuture.fromCompletionStage(cf);
    assertThat(f.cancel()).isTrue();
    assertThat(cf.isCancelled()).isTrue();
  }

  @Test
  void aStageThatCannotBecomeACompletableFutureIsStillFollowed() {
    AtomicReference<BiConsumer<Object, Throwable>> action = new AtomicReference<>();
    CompletionStage<?> stage =
        (CompletionStage<?>)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {CompletionStage.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "whenComplete":
                      @SuppressWarnings("unchecked")
                      BiConsumer<Object, Throwable> a = (BiConsumer<Object, Throwable>) args[0];
                      action.set(a);
                      return proxy;
                    case "toCompletableFuture":
                      throw new UnsupportedOperationException();
                    default:
                      throw new AssertionError("unexpected call: " + method);
                  }
                });
    ConcurrentFuture<Object> f = ConcurrentFuture.fromCompletionStage(stage);
    assertThat(f.cancel()).isTrue(); // the stage cannot be cancelled; the future can
    ConcurrentFuture<Object> g = ConcurrentFuture.fromCompletionStage(stage);
    action.get().accept("late", null);
    assertThat(g.result()).isEqualTo("late");
  }

  @Test
  void fromCompletionStageRejectsNull() {
    assertThatThrownBy(() -> ConcurrentFuture.fromCompletionStage(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("stage must not be null");
  }

  // ------------------------------------------------------------ fromFuture

  @Test
  void fromFutureReturnsAConcurrentFutureAsItIs() {
    ConcurrentFuture<String> f = new ConcurrentFuture<>();
    assertThat(ConcurrentFuture.fromFuture(f)).isSameAs(f);
  }

  @Test
  void fromFutureFollowsACompletableFutureWithoutAThread() {
    CompletableFuture<String> cf = new CompletableFuture<>();
    ConcurrentFuture<String> f = ConcurrentFuture.fromFuture(cf);
    cf.complete("z");
    assertThat(f.result(Duration.ZERO)).isEqualTo("z"); // completed inline, no waiting
    CompletableFuture<String> other = new CompletableFuture<>();
    ConcurrentFuture<String> g = ConcurrentFuture.fromFuture(other);
    g.cancel();
    assertThat(other.isCancelled()).isTrue();
  }

  @Test
  void fromFutureCopiesADoneFutureTaskAtOnce() {
    FutureTask<String> ok = new FutureTask<>(() -> "ok");
    ok.run();
    assertThat(ConcurrentFuture.fromFuture(ok).result(Duration.ZERO)).isEqualTo("ok");

    IOException e = new IOException();
    FutureTask<String> failed =
        new FutureTask<>(
            () -> {
              throw e;
            });
    failed.run();
    assertThat(ConcurrentFuture.fromFuture(failed).exception(Duration.ZERO)).isSameAs(e);

    FutureTask<String> cancelled = new FutureTask<>(() -> "never");
    cancelled.cancel(false);
    assertThat(ConcurrentFuture.fromFuture(cancelled).isCancelled()).isTrue();
  }

  @Test
  void fromFutureWaitsForAPendingFutureTask() {
    FutureTask<String> ok = new FutureTask<>(() -> "later");
    ConcurrentFuture<String> f = ConcurrentFuture.fromFuture(ok);
    assertThat(f.isDone()).isFalse();
    new Thread(ok).start();
    assertThat(f.result(WAIT)).isEqualTo("later");

    IllegalStateException e = new IllegalStateException();
    FutureTask<String> failing =
        new FutureTask<>(
            () -> {
              throw e;
            });
    ConcurrentFuture<String> g = ConcurrentFuture.fromFuture(failing);
    new Thread(failing).start();
    assertThat(g.exception(WAIT)).isSameAs(e);
  }

  @Test
  void aCancelledFutureTaskCancelsTheFuture() {
    FutureTask<String> task = new FutureTask<>(() -> "never");
    ConcurrentFuture<String> f = ConcurrentFuture.fromFuture(task);
    task.cancel(true);
    assertThatThrownBy(() -> f.result(WAIT)).isInstanceOf(CancellationException.class);
    assertThat(f.isCancelled()).isTrue();
  }

  @Test
  void cancellingTheFutureCancelsTheFutureTask() {
    FutureTask<String> task = new FutureTask<>(() -> "never");
    ConcurrentFuture<String> f = ConcurrentFuture.fromFuture(task);
    assertThat(f.cancel()).isTrue();
    assertThat(task.isCancelled()).isTrue();
  }

  @Test
  void fromFutureRejectsNull() {
    assertThatThrownBy(() -> ConcurrentFuture.fromFuture(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("future must not be null");
  }

  // ------------------------------------------------------------ round trips

  @Test
  void aRoundTripKeepsTheResultTheExceptionAndTheCancellation() {
    ConcurrentFuture<String> ok = TestFutures.succeeded("r");
    assertThat(ConcurrentFuture.fromCompletionStage(ok.toCompletableFuture()).result())
        .isEqualTo("r");
    IOException e = new IOException();
    ConcurrentFuture<String> failed = TestFutures.failed(e);
    assertThat(ConcurrentFuture.fromFuture(failed.toCompletableFuture()).exception()).isSameAs(e);
    ConcurrentFuture<String> cancelled = new ConcurrentFuture<>();
    cancelled.cancel("why");
    assertThatThrownBy(() -> ConcurrentFuture.fromFuture(cancelled.toCompletableFuture()).result())
        .isInstanceOf(CancellationException.class)
        .hasMessage("why");
  }

  @Test // issue 19, defect 6: each pending foreign future held a blocked thread
  void fromFutureOverManyNeverCompletingFuturesHoldsAtMostOneThread() throws Exception {
    int n = 300;
    java.util.List<FutureTask<Integer>> sources = new java.util.ArrayList<>();
    java.util.List<ConcurrentFuture<Integer>> targets = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      int value = i;
      FutureTask<Integer> source = new FutureTask<>(() -> value);
      sources.add(source);
      targets.add(ConcurrentFuture.fromFuture(source));
    }
    Thread.sleep(50); // let any thread per future start
    long adapters =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("eventual-future-adapter"))
            .count();
    assertThat(adapters).as("threads following %d pending futures", n).isLessThanOrEqualTo(1);
    for (FutureTask<Integer> source : sources) {
      source.run();
    }
    for (int i = 0; i < n; i++) {
      assertThat(targets.get(i).result(Duration.ofSeconds(10))).isEqualTo(i);
    }
  }

  @Test // issue 19, defect 6: what the shared poller costs in latency, and that it stays bounded
  void aFollowedFutureCompletesWithinThePollersLongestPause() throws Exception {
    FutureTask<String> idle = new FutureTask<>(() -> "late");
    ConcurrentFuture<String> f = ConcurrentFuture.fromFuture(idle);
    Thread.sleep(200); // long enough for the poller to back off to its longest pause
    long start = System.nanoTime();
    idle.run();
    assertThat(f.result(Duration.ofSeconds(10))).isEqualTo("late");
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
    assertThat(micros)
        .as(
            "latency after back-off, us (longest pause %d us)",
            ForeignFuturePoller.MAX_PAUSE_NANOS / 1000)
        .isLessThan(TimeUnit.SECONDS.toMicros(1));
  }
}
