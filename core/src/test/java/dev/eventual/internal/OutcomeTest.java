package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.FutureState;
import dev.eventual.internal.Outcome.Boxed;
import dev.eventual.internal.Outcome.Cancelled;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link Outcome}: the one outcome type of both kinds of future, and how a done one is read. */
class OutcomeTest {

  @Test
  void aResultIsStoredRawUnlessItIsItselfAnOutcome() {
    Object plain = new Object();
    assertThat(Outcome.ofResult(plain)).isSameAs(plain);
    assertThat(Outcome.ofResult(null)).isNull();
    Failure lookalike = new Failure(new RuntimeException());
    Object boxed = Outcome.ofResult(lookalike);
    assertThat(boxed).isInstanceOf(Boxed.class);
    assertThat((Object) Outcome.resultOf(boxed)).isSameAs(lookalike);
  }

  @Test
  void theStateOfADoneOutcome() {
    assertThat(Outcome.stateOf(42)).isEqualTo(FutureState.FINISHED);
    assertThat(Outcome.stateOf(null)).isEqualTo(FutureState.FINISHED); // a loop future's null
    assertThat(Outcome.stateOf(Boxed.NULL)).isEqualTo(FutureState.FINISHED);
    assertThat(Outcome.stateOf(new Failure(new RuntimeException())))
        .isEqualTo(FutureState.FINISHED);
    assertThat(Outcome.stateOf(Cancelled.of("m"))).isEqualTo(FutureState.CANCELLED);
    assertThat(Outcome.stateOf(Cancelled.NOTIFIED)).isEqualTo(FutureState.CANCELLED_AND_NOTIFIED);
  }

  @Test
  void aCancellationWithoutMessageIsShared() {
    assertThat(Cancelled.of(null)).isSameAs(Cancelled.PLAIN);
    Cancelled withMessage = Cancelled.of("why");
    assertThat(withMessage.message).isEqualTo("why");
    assertThat(withMessage.notified).isFalse();
    assertThat(withMessage.waiters).isNull();
  }

  @Test
  void resultOfReturnsTheResultRawOrBoxed() {
    assertThat((Object) Outcome.resultOf("x")).isEqualTo("x");
    assertThat((Object) Outcome.resultOf(Boxed.NULL)).isNull();
    assertThat((Object) Outcome.resultOf(null)).isNull();
  }

  @Test // the project's rule: unchecked as the same object, checked wrapped once
  void resultOfAFailureRethrowsByTheRuleAndMarksItRetrieved() {
    IllegalStateException unchecked = new IllegalStateException("u");
    Failure f1 = new Failure(unchecked);
    assertThatThrownBy(() -> Outcome.resultOf(f1)).isSameAs(unchecked);
    assertThat(f1.isRetrieved()).isTrue();
    AssertionError error = new AssertionError("e");
    assertThatThrownBy(() -> Outcome.resultOf(new Failure(error))).isSameAs(error);
    IOException checked = new IOException("c");
    assertThatThrownBy(() -> Outcome.resultOf(new Failure(checked)))
        .isExactlyInstanceOf(CompletionException.class)
        .hasCause(checked);
  }

  @Test
  void aCancellationRaisesCancellationExceptionWithItsMessage() {
    assertThatThrownBy(() -> Outcome.resultOf(Cancelled.of("stop")))
        .isExactlyInstanceOf(CancellationException.class)
        .hasMessage("stop");
    assertThatThrownBy(() -> Outcome.exceptionOf(Cancelled.NOTIFIED))
        .isExactlyInstanceOf(CancellationException.class)
        .hasMessage(null);
    assertThat(Outcome.cancelMessageOf(Cancelled.of("stop"))).isEqualTo("stop");
    assertThat(Outcome.cancelMessageOf(42)).isNull();
    assertThat(Outcome.cancelMessageOf(new Failure(new RuntimeException()))).isNull();
  }

  @Test
  void exceptionOfReturnsTheVeryExceptionMarkedRetrievedOrNullForAResult() {
    IOException checked = new IOException("c");
    Failure f = new Failure(checked);
    assertThat(Outcome.exceptionOf(f)).isSameAs(checked);
    assertThat(f.isRetrieved()).isTrue();
    assertThat(Outcome.exceptionOf(42)).isNull();
    assertThat(Outcome.exceptionOf(Boxed.NULL)).isNull();
  }

  @Test
  void describeToShowsWhatToStringShowsAfterTheState() {
    assertThat(Outcome.describeTo(new StringBuilder(), 42)).hasToString(" returned 42");
    assertThat(Outcome.describeTo(new StringBuilder(), Boxed.NULL)).hasToString(" returned null");
    assertThat(Outcome.describeTo(new StringBuilder(), "s")).hasToString(" returned \"s\"");
    assertThat(Outcome.describeTo(new StringBuilder(), new Failure(new IOException("secret"))))
        .hasToString(" raised java.io.IOException");
    assertThat(Outcome.describeTo(new StringBuilder(), Cancelled.of("m"))).isEmpty();
  }

  @Test
  void aStagesCompletionIsReadWithoutItsCompletionExceptionWrapper() {
    assertThat(Outcome.ofCompletion(7, null)).isEqualTo(7);
    IOException cause = new IOException("c");
    Object failed = Outcome.ofCompletion(null, new CompletionException(cause));
    assertThat(failed).isInstanceOf(Failure.class);
    assertThat(((Failure) failed).exception).isSameAs(cause);
    CompletionException bare = new CompletionException("no cause", null);
    assertThat(((Failure) Outcome.ofCompletion(null, bare)).exception).isSameAs(bare);
    assertThat(Outcome.ofCompletion(null, new CancellationException("gone")))
        .isInstanceOfSatisfying(Cancelled.class, c -> assertThat(c.message).isEqualTo("gone"));
    assertThat(
            Outcome.ofCompletion(
                null, new CompletionException(new CancellationException("wrapped"))))
        .isInstanceOfSatisfying(Cancelled.class, c -> assertThat(c.message).isEqualTo("wrapped"));
  }
}
