package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DoneAndNotDoneTest {

  @Test
  void copiesTheSetsIntoUnmodifiableOnesInOrder() {
    Set<String> done = new LinkedHashSet<>(List.of("c", "a", "b"));
    Set<String> notDone = new LinkedHashSet<>(List.of("x"));
    DoneAndNotDone<String> pair = new DoneAndNotDone<>(done, notDone);
    done.clear();
    notDone.add("y");
    assertThat(pair.done()).containsExactly("c", "a", "b");
    assertThat(pair.notDone()).containsExactly("x");
    assertThatThrownBy(() -> pair.done().add("d"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> pair.notDone().remove("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void comparesAsAPairOfSets() {
    DoneAndNotDone<String> a = new DoneAndNotDone<>(Set.of("a", "b"), Set.of());
    DoneAndNotDone<String> b =
        new DoneAndNotDone<>(new LinkedHashSet<>(List.of("b", "a")), new LinkedHashSet<>());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new DoneAndNotDone<>(Set.of("a"), Set.of("b")));
  }

  @Test
  void rejectsNullSets() {
    assertThatThrownBy(() -> new DoneAndNotDone<>(null, Set.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("done must not be null");
    assertThatThrownBy(() -> new DoneAndNotDone<>(Set.of(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("notDone must not be null");
  }
}
