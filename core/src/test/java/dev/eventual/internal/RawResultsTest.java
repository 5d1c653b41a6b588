package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Which results a future may store raw, and how a raw state is told from a lone callback. */
class RawResultsTest {
  private record Point(int x, int y) {}

  private record ConsumerPoint(int x) implements Consumer<Object> {
    @Override
    public void accept(Object o) {}
  }

  @Test
  void theCommonestResultClassesAreRawByIdentity() {
    assertThat(RawResults.isCommon(Integer.class)).isTrue();
    assertThat(RawResults.isCommon(String.class)).isTrue();
    assertThat(RawResults.isCommon(Long.class)).isTrue();
    assertThat(RawResults.isCommon(Boolean.class)).isTrue();
    assertThat(RawResults.isCommon(Point.class)).isFalse();
  }

  @Test
  void anyClassThatCannotBeMistakenForAStateIsRaw() {
    assertThat(RawResults.isRaw(Point.class)).isTrue();
    assertThat(RawResults.isRaw(Object.class)).isTrue();
    assertThat(RawResults.isRaw(int[].class)).isTrue();
  }

  @Test
  void consumersCallbackListsAndOutcomesAreNeverRaw() {
    Consumer<Object> lambda = o -> {};
    assertThat(RawResults.isRaw(lambda.getClass())).isFalse();
    assertThat(RawResults.isRaw(ConsumerPoint.class)).isFalse();
    assertThat(RawResults.isRaw(CallbackStack.class)).isFalse();
    assertThat(RawResults.isRaw(Outcome.Boxed.class)).isFalse();
    assertThat(RawResults.isRaw(Failure.class)).isFalse();
  }

  @Test
  void aRawStateIsAResultExactlyWhenItIsNotACallback() {
    // Which test answers depends on the JDK (an instanceof from JDK 23, the class's cached answer
    // before); .ci/run runs this on JDK 17 and on JDK 25, so both ways are checked.
    Consumer<Object> lambda = o -> {};
    assertThat(RawResults.isResult(42)).isTrue();
    assertThat(RawResults.isResult("done")).isTrue();
    assertThat(RawResults.isResult(new Point(1, 2))).isTrue();
    assertThat(RawResults.isResult(new Object())).isTrue();
    assertThat(RawResults.isResult(lambda)).isFalse();
    assertThat(RawResults.isResult(new ConsumerPoint(1))).isFalse();
    // asked twice: the cached answer is the same as the first
    assertThat(RawResults.isResult(new Point(3, 4))).isTrue();
    assertThat(RawResults.isResult(new ConsumerPoint(2))).isFalse();
  }
}
