package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Queue#putThreadsafe} and {@link Queue#getThreadsafe}: a plain thread and a loop queue. */
@Timeout(20)
class ThreadBridgeTest {
  private final EventLoop loop = new EventLoop();
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void closeLoop() throws InterruptedException {
    for (Thread t : threads) {
      t.interrupt();
      t.join(5_000);
    }
    loop.close();
  }

  private <T> T run(TaskBody<T> body) {
    return loop.runUntilComplete(loop.createTask(body));
  }

  /** Starts a plain thread running {@code body}; what it throws lands in {@code failure}. */
  private Thread thread(AtomicReference<Throwable> failure, ThrowingRunnable body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "bridge-test");
    threads.add(t);
    t.start();
    return t;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test // issue 14: a thread putting into a full queue waits for a task's get (back pressure)
  void aThreadPutWaitsWhileTheQueueIsFull() {
    Queue<Integer> q = new Queue<>(1);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    run(
        () -> {
          thread(
              failure,
              () -> {
                for (int i = 1; i <= 3; i++) {
                  q.putThreadsafe(loop, i);
                  events.add("put " + i);
                }
              });
          List<Integer> got = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            Asyncio.sleep(Duration.ofMillis(30));
            events.add("get " + i);
            got.add(q.get());
          }
          assertThat(got).containsExactly(1, 2, 3);
          return null;
        });
    assertThat(failure.get()).isNull();
    // put 2 cannot complete before the first get made room
    assertThat(events.indexOf("put 2")).isGreaterThan(events.indexOf("get 0"));
    assertThat(events.indexOf("put 3")).isGreaterThan(events.indexOf("get 1"));
  }

  @Test // issue 14: a thread takes what tasks put, waiting while the queue is empty
  void aThreadGetWaitsForATaskPut() throws InterruptedException {
    Queue<String> q = new Queue<>();
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    run(
        () -> {
          thread(
              failure,
              () -> {
                got.add(q.getThreadsafe(loop));
                got.add(q.getThreadsafe(loop));
                done.countDown();
              });
          Asyncio.sleep(Duration.ofMillis(20));
          q.put("a");
          q.put("b");
          while (done.getCount() > 0) {
            Asyncio.sleep(Duration.ofMillis(5));
          }
          q.taskDone();
          q.taskDone();
          q.join();
          return null;
        });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(failure.get()).isNull();
    assertThat(got).containsExactly("a", "b");
  }

  @Test // issue 14: a timed put that runs out of time puts nothing and leaves no putter behind
  void aTimedOutThreadPutLeavesTheQueueAsItWas() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    AtomicReference<Boolean> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    run(
        () -> {
          Thread t =
              thread(failure, () -> result.set(q.putThreadsafe(loop, 1, Duration.ofMillis(50))));
          while (t.isAlive()) {
            Asyncio.sleep(Duration.ofMillis(5));
          }
          Asyncio.sleep(Duration.ZERO); // the withdrawal callback
          assertThat(q).hasToString("Queue[maxsize=1, items=[0], tasks=1]");
          assertThat(q.getNowait()).isZero();
          return null;
        });
    assertThat(failure.get()).isNull();
    assertThat(result.get()).isFalse();
  }

  @Test // issue 14: a timed get that runs out of time returns null and leaves no getter behind
  void aTimedOutThreadGetReturnsNull() {
    Queue<Integer> q = new Queue<>();
    AtomicReference<Integer> result = new AtomicReference<>(-1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    run(
        () -> {
          Thread t =
              thread(failure, () -> result.set(q.getThreadsafe(loop, Duration.ofMillis(50))));
          while (t.isAlive()) {
            Asyncio.sleep(Duration.ofMillis(5));
          }
          Asyncio.sleep(Duration.ZERO);
          assertThat(q).hasToString("Queue[maxsize=0]");
          q.putNowait(7); // not taken by the thread that gave up
          assertThat(q.qsize()).isEqualTo(1);
          return null;
        });
    assertThat(failure.get()).isNull();
    assertThat(result.get()).isNull();
  }

  @Test // issue 14: an interrupted thread put throws InterruptedException and puts nothing
  void anInterruptedThreadPutPutsNothing() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    run(
        () -> {
          Thread t = thread(failure, () -> q.putThreadsafe(loop, 1));
          while (!q.toString().contains("putters[1]")) {
            Asyncio.sleep(Duration.ofMillis(5));
          }
          t.interrupt();
          while (t.isAlive()) {
            Asyncio.sleep(Duration.ofMillis(5));
          }
          Asyncio.sleep(Duration.ZERO);
          assertThat(q.toString()).doesNotContain("putters");
          assertThat(q.qsize()).isEqualTo(1);
          return null;
        });
    assertThat(failure.get()).isInstanceOf(InterruptedException.class);
  }

  @Test // issue 14: shutting the queue down fails a thread waiting to put
  void shutdownFailsAWaitingThreadPut() {
    Queue<Integer> q = new Queue<>(1);
    q.putNowait(0);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    run(
        () -> {
          Thread t = thread(failure, () -> q.putThreadsafe(loop, 1));
          while (!q.toString().contains("putters[1]")) {
            Asyncio.sleep(Duration.ofMillis(5));
          }
          q.shutdown();
          while (t.isAlive()) {
            Asyncio.sleep(Duration.ofMillis(5));
          }
          return null;
        });
    assertThat(failure.get()).isInstanceOf(QueueShutDownException.class);
  }

  @Test // issue 14: the blocking bridge refuses a task's thread (it would block the loop)
  void aTaskCannotUseTheBlockingBridge() {
    Queue<Integer> q = new Queue<>();
    assertThatThrownBy(() -> run(() -> q.getThreadsafe(loop)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("getThreadsafe() blocks its thread");
    assertThatThrownBy(() -> q.putThreadsafe(loop, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("item must not be null");
    assertThatThrownBy(() -> q.putThreadsafe(loop, 1, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
  }

  @Test // issue 14: a queue bound to one loop refuses a thread put through another
  void aThreadPutThroughAnotherLoopIsRefused() {
    Queue<Integer> q = new Queue<>();
    run(
        () -> {
          Task<Integer> g = Asyncio.createTask(q::get);
          Asyncio.sleep(Duration.ZERO);
          g.cancel();
          Asyncio.sleep(Duration.ZERO);
          return null;
        });
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (EventLoop other = new EventLoop()) {
      other.runUntilComplete(
          other.createTask(
              () -> {
                Thread t = thread(failure, () -> q.putThreadsafe(other, 1));
                while (t.isAlive()) {
                  Asyncio.sleep(Duration.ofMillis(5));
                }
                return null;
              }));
    }
    assertThat(failure.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bound to a different event loop");
    assertThat(q.qsize()).isZero();
  }
}
