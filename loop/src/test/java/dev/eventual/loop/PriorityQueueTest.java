package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ports CPython's {@code test_queues.py} {@code PriorityQueueTests}, {@code PriorityQueueJoinTests}
 * and {@code PriorityQueueShutdownTests} (the shared cases are in {@link
 * QueueJoinAndShutdownCases}).
 */
class PriorityQueueTest extends QueueJoinAndShutdownCases {
  @Override
  <T extends Comparable<T>> Queue<T> newQueue(int maxsize) {
    return new PriorityQueue<>(maxsize);
  }

  @Test // test_queues.py: PriorityQueueTests.test_order
  void theLowestItemComesOutFirst() {
    PriorityQueue<Integer> q = new PriorityQueue<>();
    List<Integer> items =
        run(
            () -> {
              for (int i : new int[] {1, 3, 2}) {
                q.put(i);
              }
              List<Integer> got = new ArrayList<>();
              for (int i = 0; i < 3; i++) {
                got.add(q.get());
              }
              return got;
            });
    assertThat(items).containsExactly(1, 2, 3);
  }

  @Test // issue 14: a comparator orders the items
  void aComparatorDecidesTheOrder() {
    PriorityQueue<String> q = new PriorityQueue<>(0, Comparator.comparing(String::length));
    q.putNowait("ccc");
    q.putNowait("a");
    q.putNowait("bb");
    assertThat(List.of(q.getNowait(), q.getNowait(), q.getNowait()))
        .containsExactly("a", "bb", "ccc");
    assertThatThrownBy(() -> new PriorityQueue<String>(0, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("comparator");
  }

  @Test // issue 14: an item that cannot be compared is refused and leaves the queue as it was
  void anIncomparableItemIsRefusedWithoutChangingTheQueue() {
    PriorityQueue<Object> q = new PriorityQueue<>();
    assertThatThrownBy(() -> q.putNowait(new Object())).isInstanceOf(ClassCastException.class);
    assertThat(q.qsize()).isZero();
    assertThat(q).hasToString("PriorityQueue[maxsize=0]");
  }
}
