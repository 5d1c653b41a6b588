package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.loop.Await;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import dev.eventual.loop.Queue;
import dev.eventual.loop.QueueShutDownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thread-safe bridge of a loop {@link Queue} on real threads: producer threads put with {@code
 * putThreadsafe} (untimed and with tiny timeouts) while a chaos thread interrupts them; consumer
 * threads take with {@code getThreadsafe} (tiny timeouts, so many give up while woken) beside a
 * consumer task on the loop; then the loop shuts the queue down. Per round:
 *
 * <ul>
 *   <li>every put that reported success is taken exactly once; no put that failed (timeout, {@code
 *       InterruptedException}) is ever taken; nothing else is taken: no lost item, no duplicate;
 *   <li>each consumer sees each producer's items in increasing order (the queue is FIFO);
 *   <li>the queue never holds more than {@code maxsize} items (back pressure), checked on the loop;
 *   <li>every thread ends: waiting consumers are released by {@code shutdown()}.
 * </ul>
 */
class QueueThreadBridgeStressTest {
  private static final int ROUNDS = Integer.getInteger("queue.bridge.rounds", 20) * Lincheck.SCALE;
  private static final int PRODUCERS = 2;
  private static final int THREAD_CONSUMERS = 2;
  private static final int ITEMS = 400;
  private static final int MAXSIZE = 3;

  @Test
  @Timeout(120)
  void everyAcceptedPutIsTakenOnceAndNothingElse() throws Exception {
    long accepted = 0;
    long refused = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Round r = new Round();
      r.run();
      assertThat(r.errors).as("round %d", round).isEmpty();
      accepted += r.accepted.size();
      refused += r.refused.get();
    }
    System.out.println(
        "QUEUE-BRIDGE rounds="
            + ROUNDS
            + " accepted="
            + accepted
            + " refusedOrTimedOut="
            + refused);
    assertThat(accepted).isPositive();
  }

  private static final class Round {
    final EventLoop loop = new EventLoop();
    final Queue<Long> queue = new Queue<>(MAXSIZE);
    final ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();
    final AtomicLong refused = new AtomicLong();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    final List<List<Long>> takenBy = new ArrayList<>();
    final LoopFuture<Void> consumersEnded = new LoopFuture<>(loop);
    volatile boolean producing = true;

    void run() throws Exception {
      for (int c = 0; c <= THREAD_CONSUMERS; c++) {
        takenBy.add(new ArrayList<>());
      }
      Thread loopThread =
          new Thread(
              () ->
                  loop.runUntilComplete(
                      loop.createTask(
                          () -> {
                            consumeOnLoop(takenBy.get(0));
                            return Await.await(consumersEnded); // keep serving the threads
                          })),
              "bridge-loop");
      loopThread.start();
      List<Thread> producers = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int id = p;
        producers.add(new Thread(() -> produce(id), "bridge-producer-" + p));
      }
      List<Thread> consumers = new ArrayList<>();
      for (int c = 1; c <= THREAD_CONSUMERS; c++) {
        List<Long> mine = takenBy.get(c);
        consumers.add(new Thread(() -> consumeOnThread(mine), "bridge-consumer-" + c));
      }
      Thread chaos = new Thread(() -> interruptNowAndThen(producers), "bridge-chaos");
      producers.forEach(Thread::start);
      consumers.forEach(Thread::start);
      chaos.start();
      for (Thread p : producers) {
        join(p);
      }
      producing = false;
      join(chaos);
      loop.callSoonThreadsafe(queue::shutdown);
      for (Thread c : consumers) {
        join(c);
      }
      loop.callSoonThreadsafe(() -> consumersEnded.setResult(null));
      join(loopThread);
      loop.close();
      check();
    }

    private void join(Thread t) throws InterruptedException {
      t.join(30_000);
      if (t.isAlive()) {
        errors.add(t.getName() + " did not end");
        t.interrupt();
      }
    }

    private void produce(int id) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; i < ITEMS; i++) {
        long item = ((long) id << 32) | i;
        boolean put;
        try {
          if (random.nextBoolean()) {
            queue.putThreadsafe(loop, item);
            put = true;
          } else {
            put = queue.putThreadsafe(loop, item, Duration.ofNanos(random.nextInt(200_000)));
          }
        } catch (InterruptedException e) {
          put = false;
        } catch (RuntimeException e) {
          errors.add("put " + item + ": " + e);
          return;
        }
        Thread.interrupted(); // a put that completed while interrupted keeps the flag: clear it
        if (put) {
          accepted.add(item);
        } else {
          refused.incrementAndGet();
        }
      }
    }

    private void interruptNowAndThen(List<Thread> producers) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      while (producing) {
        producers.get(random.nextInt(producers.size())).interrupt();
        try {
          Thread.sleep(0, random.nextInt(500_000));
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void consumeOnThread(List<Long> mine) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      while (true) {
        try {
          Long item = queue.getThreadsafe(loop, Duration.ofNanos(random.nextInt(300_000)));
          if (item != null) {
            mine.add(item);
          }
        } catch (QueueShutDownException e) {
          return;
        } catch (InterruptedException | RuntimeException e) {
          errors.add("get: " + e);
          return;
        }
      }
    }

    private Void consumeOnLoop(List<Long> mine) {
      while (true) {
        if (queue.qsize() > MAXSIZE) {
          errors.add("qsize " + queue.qsize() + " > maxsize " + MAXSIZE);
        }
        try {
          mine.add(queue.get());
          queue.taskDone();
        } catch (QueueShutDownException e) {
          return null;
        }
      }
    }

    private void check() {
      Set<Long> acceptedSet = new HashSet<>(accepted);
      Set<Long> seen = new HashSet<>();
      for (List<Long> mine : takenBy) {
        long[] last = new long[PRODUCERS];
        java.util.Arrays.fill(last, -1);
        for (long item : mine) {
          if (!seen.add(item)) {
            errors.add("taken twice: " + item);
          }
          if (!acceptedSet.contains(item)) {
            errors.add("taken but never accepted: " + item);
          }
          int producer = (int) (item >>> 32);
          long index = item & 0xffff_ffffL;
          if (index <= last[producer]) {
            errors.add("out of order: " + index + " after " + last[producer]);
          }
          last[producer] = index;
        }
      }
      for (long item : acceptedSet) {
        if (!seen.contains(item)) {
          errors.add("accepted but lost: " + item);
        }
      }
    }
  }
}
