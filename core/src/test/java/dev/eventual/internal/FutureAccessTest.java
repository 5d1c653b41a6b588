package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureState;
import dev.eventual.internal.Outcome.Cancelled;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link FutureAccess}: the one way an outcome is read from, and copied into, a ConcurrentFuture.
 */
class FutureAccessTest {
  private final FutureAccess access = FutureAccess.get();

  @Test
  void outcomeOfIsNullUntilDoneThenTheOutcome() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.addDoneCallback(x -> {});
    assertThat(access.outcomeOf(f)).isNull();
    f.setRunningOrNotifyCancel();
    assertThat(access.outcomeOf(f)).isNull();
    f.setResult(5);
    assertThat(access.outcomeOf(f)).isEqualTo(5);
    ConcurrentFuture<Integer> failed = new ConcurrentFuture<>();
    failed.setException(new IllegalStateException());
    assertThat(access.outcomeOf(failed)).isInstanceOf(Failure.class);
    assertThat(((Failure) access.outcomeOf(failed)).isRetrieved()).isFalse(); // reading is not
    failed.exception();
  }

  @Test
  void completeFromCopiesAResultIncludingALoopFuturesRawNullAndConsumer() {
    ConcurrentFuture<Object> a = new ConcurrentFuture<>();
    assertThat(access.completeFrom(a, null)).isTrue(); // a loop future stores null raw
    assertThat(a.isSuccess()).isTrue();
    assertThat(a.resultNow()).isNull();
    Consumer<Object> result = x -> {};
    ConcurrentFuture<Object> b = new ConcurrentFuture<>();
    assertThat(access.completeFrom(b, result)).isTrue(); // must not be taken for a callback
    assertThat(b.isDone()).isTrue();
    assertThat(b.resultNow()).isSameAs(result);
    ConcurrentFuture<Object> c = new ConcurrentFuture<>();
    access.completeFrom(c, access.outcomeOf(b));
    assertThat(c.resultNow()).isSameAs(result);
  }

  @Test
  void completeFromCopiesTheVeryExceptionAndMarksTheSourceRetrieved() {
    IllegalStateException boom = new IllegalStateException("boom");
    Failure source = new Failure(boom);
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThat(access.completeFrom(f, source)).isTrue();
    assertThat(source.isRetrieved()).isTrue();
    assertThat(f.exception()).isSameAs(boom);
    assertThat(access.outcomeOf(f)).isNotSameAs(source); // its own, tracked for this future
  }

  @Test
  void completeFromCopiesACancellationWithItsMessage() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThat(access.completeFrom(f, Cancelled.of("why"))).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED);
    assertThatThrownBy(f::result).isInstanceOf(CancellationException.class).hasMessage("why");
  }

  @Test
  void completeFromLeavesADoneFutureAsItWas() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    f.setResult(1);
    assertThat(access.completeFrom(f, 2)).isFalse();
    assertThat(access.completeFrom(f, new Failure(new RuntimeException()))).isFalse();
    assertThat(access.completeFrom(f, Cancelled.of("x"))).isFalse();
    assertThat(f.resultNow()).isEqualTo(1);
  }

  @Test
  void cancelAndNotifyAcknowledgesAtOnce() {
    ConcurrentFuture<Integer> f = new ConcurrentFuture<>();
    assertThat(access.cancelAndNotify(f)).isTrue();
    assertThat(f.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    ConcurrentFuture<Integer> cancelled = new ConcurrentFuture<>();
    cancelled.cancel("first");
    assertThat(access.cancelAndNotify(cancelled)).isTrue();
    assertThat(cancelled.futureState()).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
    assertThatThrownBy(cancelled::result).hasMessage("first");
  }

  @Test
  void installingASecondInstanceIsRefused() {
    assertThatThrownBy(() -> FutureAccess.install(access))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("installed already");
  }
}
