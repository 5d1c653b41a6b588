package dev.eventual.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.eventual.ConcurrentFuture;
import dev.eventual.hazelcast.internal.RemoteCall;
import dev.eventual.internal.ExecutorLifecycle;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a {@link HazelcastFutureExecutor} shuts down and how it learns that it is broken: the host of
 * its {@link ExecutorLifecycle} (the flags, refusals and the wait shared with the other executors).
 * Once no task is left after a shutdown, the dispatcher stops, the instance is shut down if the
 * executor owns it, and the completer threads end, once.
 *
 * <pre>
 * field       written by                       meaning
 * dispatcher  attach, once, before any task    where the tasks are counted
 * completer   attach, once, before any task    where the close runs
 * closing     closeInstance (false -> true)    the close has begun
 * closed      closeInstance                    ends once the close is done; later waits join it
 * </pre>
 */
final class ClusterLifecycle implements ExecutorLifecycle.Host {
  private final ClusterInstance cluster;
  private final ExecutorLifecycle lifecycle;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final ConcurrentFuture<Void> closed = new ConcurrentFuture<>();
  private ClusterDispatcher dispatcher;
  private Completer completer;

  /**
   * Creates the lifecycle of an executor on {@code cluster}.
   *
   * @param cluster the member or client the executor runs on
   */
  ClusterLifecycle(ClusterInstance cluster) {
    this.cluster = cluster;
    this.lifecycle = new ExecutorLifecycle(this);
  }

  /**
   * Returns the shared lifecycle; its lock guards the dispatcher's queues and counts too.
   *
   * @return the executor's lifecycle
   */
  ExecutorLifecycle lifecycle() {
    return lifecycle;
  }

  /**
   * Hands over what a close stops; called once, in the executor's constructor, before any task.
   *
   * @param dispatcher the executor's dispatcher
   * @param completer the executor's completer threads
   */
  void attach(ClusterDispatcher dispatcher, Completer completer) {
    this.dispatcher = dispatcher;
    this.completer = completer;
  }

  /**
   * Waits until no task is left, then closes the instance this executor owns.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  @Override
  public void awaitTermination() throws InterruptedException {
    Object lock = lifecycle.lock();
    synchronized (lock) {
      while (!dispatcher.idle()) {
        lock.wait();
      }
    }
    closeInstance();
    closed.result();
  }

  /**
   * Marks the executor broken if its member or client stopped, and not because this executor closed
   * it: broken wins over shut down (checked before it).
   */
  @Override
  public void checkBroken() {
    if (!cluster.isRunning() && !(cluster.owned && closing.get())) {
      synchronized (lifecycle.lock()) {
        lifecycle.markBroken(brokenMessage(), null);
      }
    }
  }

  /**
   * Whether the current thread runs a task of this executor on its embedded member: a thread the
   * tasks need. The member hands the call its own instance object, not the proxy this executor
   * holds: they are compared by name.
   *
   * @return true on such a thread
   */
  @Override
  public boolean currentThreadIsOurs() {
    HazelcastInstance member = RemoteCall.runningOn();
    return member != null && !cluster.client && member.getName().equals(cluster.instance.getName());
  }

  /**
   * Refuses new tasks once the member or client is no longer running: the executor is broken.
   * Called under the lifecycle's lock.
   *
   * @throws dev.eventual.BrokenExecutorException if it stopped
   */
  void checkInstanceRunning() {
    if (!cluster.isRunning()) {
      lifecycle.markBroken(brokenMessage(), null);
      throw lifecycle.broken();
    }
  }

  /** Why the executor is broken: its instance stopped. */
  private String brokenMessage() {
    return "the Hazelcast " + cluster.kind() + " of this executor is no longer running";
  }

  /**
   * The executor's {@code shutdown}: see {@link HazelcastFutureExecutor#shutdown}.
   *
   * @param executor the executor, for messages
   * @param wait whether to wait for every task to end
   * @param cancelFutures whether to cancel the tasks that wait here
   * @throws dev.eventual.WaitInterruptedException if interrupted while waiting
   * @throws IllegalStateException if the wait would wait for itself or may not block
   */
  void shutdown(Object executor, boolean wait, boolean cancelFutures) {
    List<ClusterTaskFuture<?>> cancelled;
    boolean idle;
    synchronized (lifecycle.lock()) {
      lifecycle.markShutdown(cancelFutures);
      cancelled = dispatcher.removeUnsent(cancelFutures);
      idle = dispatcher.idle();
    }
    for (ClusterTaskFuture<?> f : cancelled) {
      ExecutorLifecycle.cancelAndNotify(f);
    }
    if (idle) {
      completer.run(this::closeInstance); // a later wait joins it through closed
    }
    if (wait) {
      lifecycle.awaitTermination(executor, !idle);
    }
  }

  /** Closes the dispatcher, the owned instance and the completer once; later calls return. */
  void closeInstance() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    dispatcher.stop();
    try {
      cluster.shutdownIfOwned();
    } finally {
      completer.shutdown();
      closed.trySetResult(null);
    }
  }
}
