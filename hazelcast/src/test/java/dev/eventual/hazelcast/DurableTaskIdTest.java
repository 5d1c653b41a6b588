package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurableTaskIdTest {
  @Test
  void printsAndParsesBackIncludingANameWithColons() {
    DurableTaskId id = new DurableTaskId("jobs:nightly", 117, 3);
    assertThat(id.toString()).isEqualTo("jobs:nightly:117:3");
    assertThat(DurableTaskId.parse(id.toString())).isEqualTo(id);
  }

  @Test
  void convertsToAndFromHazelcastsTaskIdWithPartitionInTheHighHalf() {
    DurableTaskId id = new DurableTaskId("eventual", 270, Integer.MAX_VALUE);
    assertThat(id.hazelcastTaskId()).isEqualTo((270L << 32) | Integer.MAX_VALUE);
    assertThat(DurableTaskId.of("eventual", id.hazelcastTaskId())).isEqualTo(id);
  }

  @Test
  void badTextIsRefusedNamingTheParameterAndTheText() {
    assertThatThrownBy(() -> DurableTaskId.parse(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("text");
    for (String bad :
        new String[] {"", "eventual", "eventual:3", ":1:2", "e:x:2", "e:1:-2", "e:1:"}) {
      assertThatThrownBy(() -> DurableTaskId.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("text is not a durable task id")
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void badPartsAreRefusedNamingTheParameter() {
    assertThatThrownBy(() -> new DurableTaskId(null, 1, 1))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("executorName");
    assertThatThrownBy(() -> new DurableTaskId("", 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("executorName");
    assertThatThrownBy(() -> new DurableTaskId("e", -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitionId");
    assertThatThrownBy(() -> new DurableTaskId("e", 1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequence");
  }
}
