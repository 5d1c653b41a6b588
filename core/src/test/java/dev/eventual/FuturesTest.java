package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** isFuture, completed, failed; wait, asCompleted and combine have their own test classes. */
@Timeout(10)
class FuturesTest {

  @Test
  void isFutureIsTrueOnlyForTheLibrarysFutures() {
    assertThat(Futures.isFuture(new ConcurrentFuture<>())).isTrue();
    assertThat(Futures.isFuture(Futures.completed(1))).isTrue();
    assertThat(Futures.isFuture(new CompletableFuture<>())).isFalse();
    assertThat(Futures.isFuture(new FutureTask<>(() -> 1))).isFalse();
    assertThat(Futures.isFuture("future")).isFalse();
    assertThat(Futures.isFuture(null)).isFalse();
  }

  // Hazelcast future_test.py: ImmediateFutureTest (test_result, test_exception, test_is_done, ...)
  @Test
  void completedIsAFinishedFutureWithTheValue() {
    ConcurrentFuture<String> f = Futures.completed("done");
    assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(f.isDone()).isTrue();
    assertThat(f.isSuccess()).isTrue();
    assertThat(f.isRunning()).isFalse();
    assertThat(f.result()).isEqualTo("done");
    assertThat(f.exception()).isNull();
    assertThat(f.traceback()).isNull();
    assertThat(f.trySetResult("again")).isFalse();
  }

  @Test
  void completedAcceptsNull() {
    ConcurrentFuture<Object> f = Futures.completed(null);
    assertThat(f.isSuccess()).isTrue();
    assertThat(f.result()).isNull();
  }

  // Hazelcast future_test.py: ImmediateExceptionFutureTest (test_result, test_exception, ...)
  @Test
  void failedIsAFinishedFutureWithThatVeryException() {
    IllegalStateException e = new IllegalStateException("error");
    ConcurrentFuture<String> f = Futures.failed(e);
    assertThat(f.futureState()).isEqualTo(FutureState.FINISHED);
    assertThat(f.isDone()).isTrue();
    assertThat(f.isSuccess()).isFalse();
    assertThat(f.traceback()).isEqualTo(e.getStackTrace());
    assertThat(f.exception()).isSameAs(e);
    assertThatThrownBy(f::result).isSameAs(e);
  }

  @Test
  void failedWithACheckedExceptionWrapsItOnceInResult() {
    Exception checked = new Exception("checked");
    ConcurrentFuture<String> f = Futures.failed(checked);
    assertThatThrownBy(f::result).isInstanceOf(CompletionException.class).hasCause(checked);
  }

  @Test
  void failedRejectsNull() {
    assertThatThrownBy(() -> Futures.failed(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("exception must not be null");
  }

  @Test
  void futuresCannotBeInstantiated() throws Exception {
    assertThat(Modifier.isFinal(Futures.class.getModifiers())).isTrue();
    Constructor<?>[] constructors = Futures.class.getDeclaredConstructors();
    assertThat(constructors).hasSize(1);
    assertThat(Modifier.isPrivate(constructors[0].getModifiers())).isTrue();
  }
}
