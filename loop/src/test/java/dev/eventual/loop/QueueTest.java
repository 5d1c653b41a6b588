package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.WaitTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Ports CPython's {@code test_queues.py}: {@code QueueBasicTests}, {@code QueueGetTests}, {@code
 * QueuePutTests}, and (through {@link QueueJoinAndShutdownCases}) {@code QueueJoinTests} and {@code
 * QueueShutdownTests}.
 */
class QueueTest extends QueueJoinAndShutdownCases {
  @Override
  <T extends Comparable<T>> Queue<T> newQueue(int maxsize) {
    return new Queue<>(maxsize);
  }

  @Test // test_queues.py: QueueBasicTests.test_repr, test_str
  void toStringShowsItemsGettersAndPutters() {
    Queue<Integer> q = new Queue<>();
    assertThat(q).hasToString("Queue[maxsize=0]");
    run(
        () -> {
          Task<Integer> getter = Asyncio.createTask(q::get);
          yieldOnce();
          assertThat(q.toString()).contains("getters[1]");
          q.putNowait(0);
          assertThat(Await.await(getter)).isZero();

          Queue<Integer> bounded = new Queue<>(1);
          bounded.putNowait(1);
          Task<Void> putter =
              Asyncio.createTask(
                  () -> {
                    bounded.put(2);
                    return null;
                  });
          yieldOnce();
          assertThat(bounded.toString()).contains("putters[1]");
          bounded.getNowait();
          Await.await(putter);
          return null;
        });
    Queue<Integer> one = new Queue<>();
    one.putNowait(1);
    assertThat(one.toString()).contains("items=[1]");
  }

  @Test // test_queues.py: QueueBasicTests.test_empty
  void isEmptyFollowsPutsAndGets() {
    Queue<Integer> q = new Queue<>();
    run(
        () -> {
          assertThat(q.isEmpty()).isTrue();
          q.put(1);
          assertThat(q.isEmpty()).isFalse();
          assertThat(q.get()).isEqualTo(1);
          assertThat(q.isEmpty()).isTrue();
          return null;
        });
  }

  @Test // test_queues.py: QueueBasicTests.test_full
  void isFullOnlyForABoundedQueueAtMaxsize() {
    assertThat(new Queue<Integer>().isFull()).isFalse();
    Queue<Integer> q = new Queue<>(1);
    run(
        () -> {
          q.put(1);
          return null;
        });
    assertThat(q.isFull()).isTrue();
  }

  @Test // test_queues.py: QueueBasicTests.test_order
  void itemsComeOutInTheOrderTheyWentIn() {
    Queue<Integer> q = new Queue<>();
    List<Integer> items =
        run(
            () -> {
              for (int i : new int[] {1, 3, 2}) {
                q.put(i);
              }
              return List.of(q.get(), q.get(), q.get());
            });
    assertThat(items).containsExactly(1, 3, 2);
  }

  @Test // test_queues.py: QueueBasicTests.test_maxsize
  void aPutterWaitsWhileTheQueueIsFull() {
    Queue<Integer> q = new Queue<>(2);
    assertThat(q.maxsize()).isEqualTo(2);
    List<Integer> haveBeenPut = new ArrayList<>();
    run(
        () -> {
          Task<Boolean> t =
              Asyncio.createTask(
                  () -> {
                    for (int i = 0; i < 3; i++) {
                      q.put(i);
                      haveBeenPut.add(i);
                    }
                    return true;
                  });
          yieldOnce();
          yieldOnce();
          assertThat(haveBeenPut).containsExactly(0, 1);
          assertThat(q.get()).isZero();
          yieldOnce();
          assertThat(haveBeenPut).containsExactly(0, 1, 2);
          assertThat(q.get()).isEqualTo(1);
          assertThat(q.get()).isEqualTo(2);
          assertThat(t.result()).isTrue();
          return null;
        });
  }

  @Test // test_queues.py: QueueGetTests.test_blocking_get, test_nonblocking_get
  void getReturnsAnItemAlreadyThere() {
    Queue<Integer> q = new Queue<>();
    q.putNowait(1);
    assertThat(run(q::get)).isEqualTo(1);
    q.putNowait(2);
    assertThat(q.getNowait()).isEqualTo(2);
  }

  @Test // test_queues.py: QueueGetTests.test_get_with_putters
  void aGetWakesAWaitingPutter() {
    Queue<Integer> q = new Queue<>(1);
    run(
        () -> {
          q.put(1);
          Task<Void> putter =
              Asyncio.createTask(
                  () -> {
                    q.put(2);
                    return null;
                  });
          yieldOnce();
          assertThat(q.get()).isEqualTo(1);
          Await.await(putter);
          assertThat(q.getNowait()).isEqualTo(2);
          return null;
        });
  }

  @Test // test_queues.py: QueueGetTests.test_blocking_get_wait
  void aGetterWaitsUntilAnItemIsPut() {
    Queue<Integer> q = new Queue<>();
    Event started = new Event();
    boolean[] finished = {false};
    run(
        () -> {
          Task<Integer> getTask =
              Asyncio.createTask(
                  () -> {
                    started.set();
                    int res = q.get();
                    finished[0] = true;
                    return res;
                  });
          started.await();
          assertThat(finished[0]).isFalse();
          loop.callLater(Duration.ofMillis(10), () -> q.putNowait(1));
          assertThat(Await.await(getTask)).isEqualTo(1);
          assertThat(finished[0]).isTrue();
          return null;
        });
  }

  @Test // test_queues.py: QueueGetTests.test_nonblocking_get_exception
  void getNowaitOnAnEmptyQueueRaises() {
    Queue<Integer> q = new Queue<>();
    assertThatThrownBy(q::getNowait)
        .isInstanceOf(QueueEmptyException.class)
        .isInstanceOf(java.util.NoSuchElementException.class);
  }

  @Test // test_queues.py: QueueGetTests.test_get_cancelled_race
  void aCancelledGetterDoesNotTakeTheNextItem() {
    Queue<String> q = new Queue<>();
    run(
        () -> {
          Task<String> t1 = Asyncio.createTask(q::get);
          Task<String> t2 = Asyncio.createTask(q::get);
          yieldOnce();
          t1.cancel();
          yieldOnce();
          assertThat(t1.isDone()).isTrue();
          q.put("a");
          yieldOnce();
          assertThat(Await.await(t2)).isEqualTo("a");
          return null;
        });
  }

  @Test // test_queues.py: QueueGetTests.test_get_with_waiting_putters
  void waitingPuttersAreServedInOrder() {
    Queue<String> q = new Queue<>(1);
    run(
        () -> {
          Asyncio.createTask(
              () -> {
                q.put("a");
                return null;
              });
          Asyncio.createTask(
              () -> {
                q.put("b");
                return null;
              });
          assertThat(q.get()).isEqualTo("a");
          assertThat(q.get()).isEqualTo("b");
          return null;
        });
  }

  @Test // test_queues.py: QueueGetTests.test_why_are_getters_waiting
  void aProducerAndAConsumerThroughAQueueOfOneFinish() {
    Queue<Integer> q = new Queue<>(1);
    run(
        () -> {
          Task<Void> producer =
              Asyncio.createTask(
                  () -> {
                    for (int i = 0; i < 5; i++) {
                      q.put(i);
                    }
                    return null;
                  });
          Task<Void> consumer =
              Asyncio.createTask(
                  () -> {
                    for (int i = 0; i < 5; i++) {
                      q.get();
                    }
                    return null;
                  });
          Await.await(Asyncio.gather(List.of(producer, consumer)));
          return null;
        });
  }

  @Test // test_queues.py: QueueGetTests.test_cancelled_getters_not_being_held_in_self_getters
  void aTimedOutGetLeavesNoGetter() {
    Queue<Integer> q = new Queue<>(5);
    run(
        () -> {
          assertThatThrownBy(() -> Asyncio.waitFor(q::get, Duration.ofMillis(50)))
              .isInstanceOf(WaitTimeoutException.class);
          assertThat(q).hasToString("Queue[maxsize=5]");
          return null;
        });
  }

  @Test // test_queues.py: QueuePutTests.test_blocking_put, test_nonblocking_put
  void anUnboundedQueueNeverMakesAPutWait() {
    Queue<Integer> q = new Queue<>();
    run(
        () -> {
          q.put(1);
          assertThat(q.get()).isEqualTo(1);
          return null;
        });
    q.putNowait(1);
    assertThat(q.getNowait()).isEqualTo(1);
  }

  @Test // test_queues.py: QueuePutTests.test_blocking_put_wait
  void aPutterWaitsUntilAGetFreesASlot() {
    Queue<Integer> q = new Queue<>(1);
    Event started = new Event();
    boolean[] finished = {false};
    run(
        () -> {
          loop.callLater(Duration.ofMillis(10), q::getNowait);
          Task<Void> putTask =
              Asyncio.createTask(
                  () -> {
                    started.set();
                    q.put(1);
                    q.put(2);
                    finished[0] = true;
                    return null;
                  });
          started.await();
          assertThat(finished[0]).isFalse();
          Await.await(putTask);
          assertThat(finished[0]).isTrue();
          return null;
        });
  }

  @Test // test_queues.py: QueuePutTests.test_get_cancel_drop_one_pending_reader
  void aGetterCancelledAfterItWasWokenDoesNotDropTheItem() {
    Queue<Integer> q = new Queue<>();
    int result =
        run(
            () -> {
              Task<Integer> reader = Asyncio.createTask(q::get);
              yieldOnce();
              q.putNowait(1);
              q.putNowait(2);
              reader.cancel();
              try {
                Await.await(reader);
              } catch (CancellationException e) {
                reader = Asyncio.createTask(q::get);
                Await.await(reader);
              }
              return reader.result();
            });
    assertThat(result).isEqualTo(1); // 2 would mean 1 was dropped
  }

  @Test // test_queues.py: QueuePutTests.test_get_cancel_drop_many_pending_readers
  void aCancelledWokenGetterPassesItsItemToAnotherGetter() {
    Queue<Integer> q = new Queue<>();
    run(
        () -> {
          Task<Integer> reader1 = Asyncio.createTask(q::get);
          Task<Integer> reader2 = Asyncio.createTask(q::get);
          Task<Integer> reader3 = Asyncio.createTask(q::get);
          yieldOnce();
          q.putNowait(1);
          q.putNowait(2);
          reader1.cancel();
          assertThatThrownBy(() -> Await.await(reader1)).isInstanceOf(CancellationException.class);
          Await.await(reader3);
          Await.await(reader2);
          assertThat(Set.of(reader2.result(), reader3.result())).isEqualTo(Set.of(1, 2));
          return null;
        });
  }

  @Test // test_queues.py: QueuePutTests.test_put_cancel_drop
  void aPutterCancelledAfterItWasWokenDoesNotLoseTheSlot() {
    Queue<Integer> q = new Queue<>(1);
    run(
        () -> {
          q.putNowait(1);
          Task<Void> writer =
              Asyncio.createTask(
                  () -> {
                    q.put(2);
                    return null;
                  });
          yieldOnce();
          assertThat(q.getNowait()).isEqualTo(1);
          writer.cancel();
          try {
            Await.await(writer);
          } catch (CancellationException e) {
            Await.await(
                Asyncio.createTask(
                    () -> {
                      q.put(2);
                      return null;
                    }));
          }
          assertThat(q.getNowait()).isEqualTo(2);
          assertThat(q.qsize()).isZero();
          return null;
        });
  }

  @Test // test_queues.py: QueuePutTests.test_nonblocking_put_exception
  void putNowaitOnAFullQueueRaises() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(1);
    assertThatThrownBy(() -> q.putNowait(2))
        .isInstanceOf(QueueFullException.class)
        .isInstanceOf(IllegalStateException.class);
    assertThat(q.qsize()).isEqualTo(1);
  }

  @Test // test_queues.py: QueuePutTests.test_put_cancelled
  void aPutIntoAnUnboundedQueueCompletesAtOnce() {
    Queue<Integer> q = new Queue<>();
    run(
        () -> {
          Task<Boolean> t =
              Asyncio.createTask(
                  () -> {
                    q.put(1);
                    return true;
                  });
          assertThat(q.get()).isEqualTo(1);
          assertThat(t.isDone()).isTrue();
          assertThat(t.result()).isTrue();
          return null;
        });
  }

  @Test // test_queues.py: QueuePutTests.test_put_cancelled_race
  void aCancelledPutterIsSkipped() {
    Queue<String> q = new Queue<>(1);
    run(
        () -> {
          Task<Void> putA = Asyncio.createTask(() -> putAndReturn(q, "a"));
          Task<Void> putB = Asyncio.createTask(() -> putAndReturn(q, "b"));
          Task<Void> putC = Asyncio.createTask(() -> putAndReturn(q, "X"));
          yieldOnce();
          assertThat(putA.isDone()).isTrue();
          assertThat(putB.isDone()).isFalse();
          putC.cancel();
          yieldOnce();
          assertThat(putC.isDone()).isTrue();
          assertThat(q.getNowait()).isEqualTo("a");
          yieldOnce();
          assertThat(q.getNowait()).isEqualTo("b");
          Await.await(putB);
          return null;
        });
  }

  private static Void putAndReturn(Queue<String> q, String item) {
    q.put(item);
    return null;
  }

  @Test // test_queues.py: QueuePutTests.test_put_with_waiting_getters
  void aPutHandsTheItemToAWaitingGetter() {
    Queue<String> q = new Queue<>();
    run(
        () -> {
          Task<String> t = Asyncio.createTask(q::get);
          yieldOnce();
          q.put("a");
          assertThat(Await.await(t)).isEqualTo("a");
          return null;
        });
  }

  @Test // test_queues.py: QueuePutTests.test_why_are_putters_waiting
  void puttersBlockedOnAFullQueueAllFinish() {
    Queue<Integer> q = new Queue<>(2);
    run(
        () -> {
          List<Task<Void>> tasks = new ArrayList<>();
          tasks.add(
              Asyncio.createTask(
                  () -> {
                    yieldOnce();
                    int num = q.qsize();
                    for (int i = 0; i < num; i++) {
                      q.getNowait();
                    }
                    return null;
                  }));
          for (int i = 0; i < 4; i++) {
            int item = i;
            tasks.add(
                Asyncio.createTask(
                    () -> {
                      q.put(item);
                      return null;
                    }));
          }
          Await.await(Asyncio.gather(tasks));
          return null;
        });
  }

  @Test // test_queues.py: QueuePutTests.test_cancelled_puts_not_being_held_in_self_putters
  void aCancelledPutLeavesNoPutter() {
    Queue<Integer> q = new Queue<>(1);
    run(
        () -> {
          q.putNowait(1);
          Task<Void> putTask =
              Asyncio.createTask(
                  () -> {
                    q.put(1);
                    return null;
                  });
          yieldOnce();
          assertThat(q.toString()).contains("putters[1]");
          putTask.cancel();
          assertThatThrownBy(() -> Await.await(putTask)).isInstanceOf(CancellationException.class);
          assertThat(q.toString()).doesNotContain("putters");
          return null;
        });
  }

  @Test // test_queues.py: QueuePutTests.test_cancelled_put_silence_value_error_exception
  void aPutterWokenThenCancelledEndsCancelled() {
    Queue<Integer> q = new Queue<>(1);
    run(
        () -> {
          q.putNowait(1);
          Task<Void> putTask =
              Asyncio.createTask(
                  () -> {
                    q.put(1);
                    return null;
                  });
          yieldOnce();
          q.getNowait(); // takes the putter's future out of the putters
          putTask.cancel();
          assertThatThrownBy(() -> Await.await(putTask)).isInstanceOf(CancellationException.class);
          return null;
        });
  }

  @Test // issue 14: null items are refused with a clear error, leaving the queue as it was
  void aNullItemIsRefused() {
    Queue<Integer> q = new Queue<>();
    assertThatThrownBy(() -> q.putNowait(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("item must not be null");
    assertThat(q.qsize()).isZero();
    assertThat(q).hasToString("Queue[maxsize=0]");
  }

  @Test // issue 14: getters are served FIFO
  void waitingGettersAreServedInOrder() {
    Queue<Integer> q = new Queue<>();
    List<String> got = new ArrayList<>();
    run(
        () -> {
          List<Task<Boolean>> getters = new ArrayList<>();
          for (String name : List.of("g1", "g2", "g3")) {
            getters.add(Asyncio.createTask(() -> got.add(name + "=" + q.get())));
          }
          yieldOnce();
          q.putNowait(1);
          q.putNowait(2);
          q.putNowait(3);
          Await.await(Asyncio.gather(getters));
          return null;
        });
    assertThat(got).containsExactly("g1=1", "g2=2", "g3=3");
  }
}
