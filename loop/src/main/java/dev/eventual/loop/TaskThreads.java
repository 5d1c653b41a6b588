package dev.eventual.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads that carry task bodies for {@link ThreadStrand}: virtual threads, created per task
 * (found reflectively, since the library compiles for Java 17), and platform daemon threads, kept
 * after their task ends and reused by the next task of any loop.
 *
 * <h2>A platform worker's states</h2>
 *
 * <pre>
 *   BUSY    --its task ended-->            IDLE     (pushed on the idle stack)
 *   IDLE    --take() claims it-->          BUSY     (CAS; handed the next task)
 *   IDLE    --idle for IDLE_NANOS-->       RETIRED  (CAS; the thread ends)
 *   IDLE    --retireIdleWorkers()-->       RETIRED  (CAS, then its permit: the thread ends)
 * </pre>
 *
 * A worker popped from the stack whose claim fails has retired; {@link #take()} tries the next.
 */
final class TaskThreads {
  private static final ThreadFactory VIRTUAL = virtualThreadFactory();

  /** How long an idle platform worker waits for another task before its thread ends. */
  static final long IDLE_NANOS = 10_000_000_000L;

  private static final ConcurrentLinkedDeque<Worker> IDLE = new ConcurrentLinkedDeque<>();
  private static final AtomicLong COUNT = new AtomicLong();

  /** Creates the platform threads; tests replace it to simulate an OS out of threads. */
  static volatile ThreadFactory platformFactory =
      body -> {
        Thread t = new Thread(body, "eventual-task-" + COUNT.incrementAndGet());
        t.setDaemon(true);
        return t;
      };

  private TaskThreads() {}

  /** Whether this JDK has virtual threads. */
  static boolean virtualAvailable() {
    return VIRTUAL != null;
  }

  /** An unstarted virtual thread that will run {@code body}. */
  static Thread newVirtual(Runnable body) {
    return VIRTUAL.newThread(body);
  }

  /**
   * An idle platform worker, or a new one.
   *
   * @throws OutOfMemoryError if no thread can be created ("unable to create native thread")
   */
  static Worker take() {
    Worker w;
    while ((w = IDLE.pollFirst()) != null) {
      if (w.state.compareAndSet(Worker.IDLE, Worker.BUSY)) {
        return w;
      }
    }
    return new Worker();
  }

  /** Ends the threads of the platform workers that wait for a task now. */
  static void retireIdleWorkers() {
    Worker w;
    while ((w = IDLE.pollFirst()) != null) {
      if (w.state.compareAndSet(Worker.IDLE, Worker.RETIRED)) {
        w.turn.release();
      }
    }
  }

  /** How many platform workers wait for a task now. */
  static int idleCount() {
    return IDLE.size();
  }

  /** A platform thread that runs task bodies one after another. */
  static final class Worker implements Runnable {
    static final int BUSY = 0;
    static final int IDLE = 1;
    static final int RETIRED = 2;

    final AtomicInteger state = new AtomicInteger(BUSY);
    final Thread thread;

    /** The run permit: the next task's start, then each of its turns. */
    final Baton turn = new Baton();

    private ThreadStrand next;
    private boolean started;

    private Worker() {
      thread = platformFactory.newThread(this);
    }

    /**
     * Runs {@code strand}'s body on this worker (claimed with {@link #take()}).
     *
     * @throws OutOfMemoryError if the thread of a new worker cannot be started
     */
    void run(ThreadStrand strand) {
      next = strand;
      if (started) {
        turn.release();
      } else {
        thread.start();
        started = true;
      }
    }

    @Override
    public void run() {
      for (; ; ) {
        runNext();
        if (!turn.tryAcquire(IDLE_NANOS)) {
          if (state.compareAndSet(IDLE, RETIRED)) {
            TaskThreads.IDLE.remove(this);
            return;
          }
          turn.acquire(false); // claimed just as it timed out: its task is on the way
        }
        if (state.get() == RETIRED) {
          return; // retireIdleWorkers
        }
      }
    }

    /**
     * Runs the task handed over, then waits idle; keeps no reference to it (it may be collected).
     */
    private void runNext() {
      ThreadStrand s = next;
      next = null;
      s.runBody();
      state.set(IDLE);
      TaskThreads.IDLE.offerFirst(this);
      s.handBackLast();
    }
  }

  private static ThreadFactory virtualThreadFactory() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      Object b =
          lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)).invoke();
      b =
          lookup
              .findVirtual(
                  builder, "name", MethodType.methodType(builder, String.class, long.class))
              .invoke(b, "eventual-task-", 1L);
      return (ThreadFactory)
          lookup
              .findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))
              .invoke(b);
    } catch (Throwable unavailable) { // JDK 17-20 (or 19/20 without preview features)
      return null;
    }
  }
}
