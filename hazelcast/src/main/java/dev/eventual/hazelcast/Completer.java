package dev.eventual.hazelcast;

import dev.eventual.internal.ExecutorLifecycle;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one {@link HazelcastFutureExecutor} on which the outcomes of its tasks are judged
 * and their callbacks run, never Hazelcast's own: as many as the completions that run at once (a
 * callback that blocks holds only its own thread), each ending after 2 idle seconds. Remote cancels
 * and the close of the executor's instance run here too.
 */
final class Completer {
  private final ExecutorLifecycle lifecycle;
  private final ThreadPoolExecutor threads;

  /**
   * Creates the completer threads of one executor.
   *
   * @param lifecycle the executor's lifecycle: each thread works for it, all its life
   * @param factory the test seam that makes the threads, or null for daemon threads named after the
   *     executor
   * @param executorId the executor's number, in the threads' names
   */
  Completer(ExecutorLifecycle lifecycle, ThreadFactory factory, int executorId) {
    this.lifecycle = lifecycle;
    AtomicInteger count = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            2,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Runnable marked =
                  () -> {
                    lifecycle.beginWork(); // a completer works for this executor only, all its life
                    r.run();
                  };
              if (factory != null) {
                return factory.newThread(marked);
              }
              Thread t =
                  new Thread(
                      marked,
                      "eventual-hazelcast-" + executorId + "-completer-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code r} (a completion, a remote cancel, the instance's close) on a completer thread; if
   * none can take it (the completer is closed, or no thread can start: {@link OutOfMemoryError} at
   * the operating system's limit), on this thread, which then works for the executor as a completer
   * does, so that a {@code close()} from a callback run there refuses to wait for itself. Either
   * way it runs: an accepted task's completion is never dropped.
   *
   * @param r what to run
   */
  void run(Runnable r) {
    try {
      threads.execute(r);
      return;
    } catch (RejectedExecutionException | OutOfMemoryError noCompleter) {
      // run it here
    }
    Object token = lifecycle.beginWork();
    try {
      r.run();
    } finally {
      lifecycle.endWork(token);
    }
  }

  /**
   * Cancels a running task on its member (Hazelcast's cancel is a blocking call), interrupting its
   * thread there.
   *
   * @param remote Hazelcast's future of the task
   */
  void cancelRemote(Future<?> remote) {
    run(
        () -> {
          try {
            remote.cancel(true);
          } catch (RuntimeException memberGone) {
            // the member is gone or shutting down: nothing is left to interrupt
          }
        });
  }

  /** Lets the threads end once idle; later work runs on the thread that hands it over. */
  void shutdown() {
    threads.shutdown();
  }
}
