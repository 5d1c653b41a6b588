package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ports CPython's {@code test_queues.py} {@code LifoQueueTests}, {@code LifoQueueJoinTests} and
 * {@code LifoQueueShutdownTests} (the shared cases are in {@link QueueJoinAndShutdownCases}).
 */
class LifoQueueTest extends QueueJoinAndShutdownCases {
  @Override
  <T extends Comparable<T>> Queue<T> newQueue(int maxsize) {
    return new LifoQueue<>(maxsize);
  }

  @Test // test_queues.py: LifoQueueTests.test_order
  void theLastItemPutComesOutFirst() {
    LifoQueue<Integer> q = new LifoQueue<>();
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
    assertThat(items).containsExactly(2, 3, 1);
  }

  @Test // issue 14: a bounded LIFO queue counts its items like a FIFO one
  void aBoundedLifoQueueIsFullAtMaxsize() {
    LifoQueue<Integer> q = new LifoQueue<>(2);
    q.putNowait(1);
    q.putNowait(2);
    assertThat(q.isFull()).isTrue();
    assertThat(q.maxsize()).isEqualTo(2);
    assertThat(q.getNowait()).isEqualTo(2);
  }
}
