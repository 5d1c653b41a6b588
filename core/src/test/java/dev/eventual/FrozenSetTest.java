package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrozenSetTest {
  private static FrozenSet<String> of(String... elements) {
    return new FrozenSet<>(new ArrayList<>(List.of(elements)));
  }

  @Test
  void iteratesInTheGivenOrderAndCounts() {
    FrozenSet<String> set = of("c", "a", "b");

    assertThat(set).containsExactly("c", "a", "b");
    assertThat(set.size()).isEqualTo(3);
  }

  @Test
  void containsAnswersByEqualsForMembersAndOthers() {
    FrozenSet<String> set = of("c", "a", "b");

    assertThat(set.contains(new String("a"))).isTrue();
    assertThat(set.contains("z")).isFalse();
    assertThat(set.contains(null)).isFalse();
  }

  @Test
  void equalsAndHashCodeFollowTheSetContract() {
    FrozenSet<String> set = of("c", "a", "b");
    Set<String> same = new LinkedHashSet<>(List.of("a", "b", "c"));

    assertThat(set).isEqualTo(same);
    assertThat(same).isEqualTo(set);
    assertThat(set.hashCode()).isEqualTo(same.hashCode());
  }

  @Test
  void refusesEveryChange() {
    FrozenSet<String> set = of("a", "b");

    assertThatThrownBy(() -> set.add("c")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> set.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(set::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> set.removeIf(e -> true))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(set).containsExactly("a", "b");
  }

  @Test
  void theIteratorEndsWithNoSuchElementException() {
    var it = of("a").iterator();
    it.next();

    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void waitReturnsFrozenSetsThatDoneAndNotDoneKeepsWithoutCopying() {
    ConcurrentFuture<Integer> done = Futures.completed(1);
    ConcurrentFuture<Integer> pending = new ConcurrentFuture<>();

    DoneAndNotDone<ConcurrentFuture<Integer>> r =
        Futures.wait(List.of(done, pending, done), java.time.Duration.ZERO);

    assertThat(r.done()).isInstanceOf(FrozenSet.class).containsExactly(done);
    assertThat(r.notDone()).isInstanceOf(FrozenSet.class).containsExactly(pending);
    assertThat(new DoneAndNotDone<>(r.done(), r.notDone()).done()).isSameAs(r.done());
  }
}
