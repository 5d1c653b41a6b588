package dev.eventual.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.internal.serialization.SerializationClassNameFilter;
import dev.eventual.BrokenExecutorException;
import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.WaitInterruptedException;
import dev.eventual.hazelcast.internal.RemoteCall;
import dev.eventual.internal.ExecutorLifecycle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FutureExecutor} that runs tasks on a Hazelcast cluster and hands out eventual's own
 * {@link ConcurrentFuture}s, so {@code Futures.wait}, {@code asCompleted}, {@code combine} and
 * {@code continueWith} work on them unchanged.
 *
 * <pre>{@code
 * try (HazelcastFutureExecutor executor = new HazelcastFutureExecutor()) { // embedded member
 *   ConcurrentFuture<Integer> f = executor.submit(() -> 6 * 7);           // SerializableCallable
 * }
 * }</pre>
 *
 * <p>{@link #builder()} joins a cluster as a member or connects as a client; the executor owns the
 * member or client it starts and shuts it down with itself, so the JVM can exit.
 *
 * <ul>
 *   <li><b>Tasks travel.</b> {@code submit} serializes the task at once with the cluster's
 *       serialization: a task that cannot travel throws {@link IllegalArgumentException} there, and
 *       a task whose class is not on the allow-list throws {@link SecurityException} (see {@link
 *       HazelcastFutureExecutorBuilder}). A lambda must be serializable: write it where a {@link
 *       SerializableCallable} is expected. Results and exceptions travel back the same way; the
 *       task's own exception is the future's exception (a copy of the object the member threw).
 *   <li><b>Running means sent.</b> Each data member gets at most {@code maxInFlight} tasks at once
 *       (its window); the others wait here, in a local queue bounded by {@code maxQueued} ({@code
 *       submit} then waits or fails, as {@link QueueFullAction} says), and can be cancelled. A task
 *       handed over is RUNNING (as in CPython's process pool): {@code cancel()} then fails, and
 *       {@code cancel(true)} cancels it on its member, which interrupts its thread.
 *   <li><b>Routing.</b> A task without a key goes to the member with the most room in its window,
 *       preferring members that answer over one that holds tasks and has been silent for {@code
 *       unresponsiveAfter} (frozen or very busy); a member seen lost gets no task. A frozen member
 *       therefore holds at most its window until the heartbeat timeout declares it lost.
 *   <li><b>Retries.</b> A full member queue, a lost member (under {@code AT_LEAST_ONCE}) and an
 *       unknown partition owner are retried under the task's {@link RetryPolicy}. A task that
 *       certainly never reached its member (sent after the member's loss was seen, or refused as
 *       not a member) goes to a live member under every policy: {@link WorkerLostException} means
 *       the task may have run.
 *   <li><b>Callbacks</b> run on this executor's own threads, not on Hazelcast's, unless no thread
 *       of its own can take the completion (the executor is closing, or no thread can start): then
 *       on the thread that reported it, so that the completion is never lost.
 *   <li><b>Member loss</b> follows the task's {@link MemberLossPolicy}: re-run elsewhere, or fail
 *       with {@link WorkerLostException}. No future waits forever on a lost member.
 *   <li><b>Durable tasks</b> ({@link MemberLossPolicy#DURABLE}, {@link #submitDurable}) are stored
 *       by Hazelcast's durable executor with backups, outlive their member and this client, and
 *       carry a {@link DurableTaskId} that any client can {@link #reattach} to later.
 * </ul>
 */
public final class HazelcastFutureExecutor implements FutureExecutor {
  private static final AtomicInteger EXECUTORS = new AtomicInteger();

  private final ClusterInstance cluster;
  private final TaskEncoder encoder;
  private final MemberLossPolicy defaultPolicy;
  private final RetryPolicy defaultRetry;
  private final ClusterLifecycle clusterLifecycle;
  private final ExecutorLifecycle lifecycle;
  private final Completer completer;
  private final ClusterDispatcher dispatcher;
  private final DurableTasks durable;

  /** Starts an embedded lone member with the defaults of {@link HazelcastFutureExecutorBuilder}. */
  public HazelcastFutureExecutor() {
    this(builder());
  }

  /**
   * Builds the executor that {@code b} describes ({@link HazelcastFutureExecutorBuilder#build}).
   *
   * @param b the builder
   */
  HazelcastFutureExecutor(HazelcastFutureExecutorBuilder b) {
    cluster = ClusterInstance.open(b);
    HazelcastInstance instance = cluster.instance;
    clusterLifecycle = new ClusterLifecycle(cluster);
    lifecycle = clusterLifecycle.lifecycle();
    encoder =
        new TaskEncoder(
            this,
            lifecycle,
            new SerializationClassNameFilter(cluster.filterConfig),
            RemoteCall.serializationService(instance));
    IExecutorService service = instance.getExecutorService(b.executorName);
    defaultPolicy = b.policy;
    defaultRetry = b.retry;
    int id = EXECUTORS.incrementAndGet();
    completer = new Completer(lifecycle, b.completerThreads, id);
    dispatcher = new ClusterDispatcher(this, instance, service, lifecycle, b, id);
    clusterLifecycle.attach(dispatcher, completer);
    durable = new DurableTasks(this, dispatcher, instance, b.durableExecutorName, b.retry);
    dispatcher.start();
  }

  /**
   * Returns a builder: embedded member (default), member with a configuration, or client.
   *
   * @return a new builder
   */
  public static HazelcastFutureExecutorBuilder builder() {
    return new HazelcastFutureExecutorBuilder();
  }

  /**
   * Returns the member or client this executor started and owns; shut the executor down, not it.
   *
   * @return the Hazelcast instance
   */
  public HazelcastInstance instance() {
    return cluster.instance;
  }

  /**
   * Sends {@code task} to a member with the executor's member-loss policy.
   *
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down
   */
  @Override
  public <V> ConcurrentFuture<V> submit(Callable<V> task) {
    return enqueue(task, false, defaultPolicy, defaultRetry);
  }

  /**
   * Sends {@code task} to a member with the executor's member-loss policy; a lambda written here is
   * serializable.
   *
   * @param task the call
   * @param <V> the result type
   * @return its future
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down
   */
  public <V> ConcurrentFuture<V> submit(SerializableCallable<V> task) {
    return enqueue(task, false, defaultPolicy, defaultRetry);
  }

  /**
   * Sends the runnable itself (it must be serializable); the future's result is null.
   *
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down
   */
  @Override
  public ConcurrentFuture<Void> submit(Runnable task) {
    return enqueue(task, true, defaultPolicy, defaultRetry);
  }

  /**
   * Sends {@code task} to a member with the given member-loss policy.
   *
   * @param task the call
   * @param policy what happens if its member is lost
   * @param <V> the result type
   * @return its future
   * @throws NullPointerException if {@code task} or {@code policy} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down
   */
  public <V> ConcurrentFuture<V> submit(SerializableCallable<V> task, MemberLossPolicy policy) {
    return submit(task, policy, defaultRetry);
  }

  /**
   * Sends {@code task} to a member with the given member-loss and retry policies.
   *
   * @param task the call
   * @param policy what happens if its member is lost
   * @param retry how often, and after what pause, a failed attempt is tried again
   * @param <V> the result type
   * @return its future
   * @throws NullPointerException if {@code task}, {@code policy} or {@code retry} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down, or the local queue is full
   *     under {@link QueueFullAction#FAIL}
   * @throws WaitInterruptedException if interrupted while waiting for room in the local queue
   */
  public <V> ConcurrentFuture<V> submit(
      SerializableCallable<V> task, MemberLossPolicy policy, RetryPolicy retry) {
    Objects.requireNonNull(policy, "policy must not be null");
    Objects.requireNonNull(retry, "retry must not be null");
    return enqueue(task, false, policy, retry);
  }

  /**
   * Runs {@code task} on the member that owns {@code key}'s partition, where the key's data lives,
   * with the executor's member-loss policy.
   *
   * @param key the partition key
   * @param task the call
   * @param <V> the result type
   * @return its future
   * @throws NullPointerException if {@code key} or {@code task} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down
   */
  public <V> ConcurrentFuture<V> submitToKeyOwner(Object key, SerializableCallable<V> task) {
    return submitToKeyOwner(key, task, defaultPolicy);
  }

  /**
   * Runs {@code task} on the owner of {@code key}'s partition with the given policy: under {@code
   * AT_LEAST_ONCE} the partition's next owner runs it again if its owner is lost.
   *
   * @param key the partition key
   * @param task the call
   * @param policy what happens if its member is lost
   * @param <V> the result type
   * @return its future
   * @throws NullPointerException if {@code key}, {@code task} or {@code policy} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down
   */
  public <V> ConcurrentFuture<V> submitToKeyOwner(
      Object key, SerializableCallable<V> task, MemberLossPolicy policy) {
    return submitToKeyOwner(key, task, policy, defaultRetry);
  }

  /**
   * Runs {@code task} on the owner of {@code key}'s partition with the given policies. While the
   * owner is unknown (a client without the partition table yet, a migration after a loss), the task
   * waits here, retried under {@link RetryPolicy.Failure#NO_MEMBER}; it never runs elsewhere.
   *
   * @param key the partition key
   * @param task the call
   * @param policy what happens if its member is lost
   * @param retry how often, and after what pause, a failed attempt is tried again
   * @param <V> the result type
   * @return its future
   * @throws NullPointerException if {@code key}, {@code task}, {@code policy} or {@code retry} is
   *     null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down, or the local queue is full
   *     under {@link QueueFullAction#FAIL}
   * @throws WaitInterruptedException if interrupted while waiting for room in the local queue
   */
  public <V> ConcurrentFuture<V> submitToKeyOwner(
      Object key, SerializableCallable<V> task, MemberLossPolicy policy, RetryPolicy retry) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(policy, "policy must not be null");
    Objects.requireNonNull(retry, "retry must not be null");
    byte[] bytes = encoder.encode(task);
    if (policy == MemberLossPolicy.DURABLE) {
      return durable.submit(bytes, false, key, retry);
    }
    ClusterTaskFuture<V> f = new ClusterTaskFuture<>(this, bytes, false, policy, retry, key, null);
    dispatcher.accept(f, dispatcher.ownerOf(key));
    return f;
  }

  /**
   * Runs {@code task} once on every data member of the cluster. A task bound to one member cannot
   * run elsewhere: if that member is lost, its future fails with {@link WorkerLostException}.
   *
   * @param task the call
   * @param <V> the result type
   * @return a future per member and their combination
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down
   */
  public <V> MemberResults<V> submitToAll(SerializableCallable<V> task) {
    return submitToMembers(task, m -> true);
  }

  /**
   * Runs {@code task} once on every data member that {@code selector} accepts (Hazelcast's {@code
   * MemberSelector}, as {@code IExecutorService.submitToMembers}). Each task is bound to its
   * member, as in {@link #submitToAll}.
   *
   * @param task the call
   * @param selector which members run it
   * @param <V> the result type
   * @return a future per selected member and their combination (empty if none is selected)
   * @throws NullPointerException if {@code task} or {@code selector} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down
   */
  public <V> MemberResults<V> submitToMembers(
      SerializableCallable<V> task, com.hazelcast.cluster.MemberSelector selector) {
    Objects.requireNonNull(selector, "selector must not be null");
    byte[] bytes = encoder.encode(task);
    Map<Member, ConcurrentFuture<V>> futures = new LinkedHashMap<>();
    for (Member m : dispatcher.usableMembers()) {
      if (selector.select(m)) {
        futures.put(m, bound(bytes, m));
      }
    }
    return new MemberResults<>(futures);
  }

  /**
   * Runs {@code task} on one member. It cannot run elsewhere: if the member is lost, the future
   * fails with {@link WorkerLostException}; if it left before the task was sent, with {@link
   * RejectedExecutionException}.
   *
   * @param task the call
   * @param member a data member of the cluster
   * @param <V> the result type
   * @return its future
   * @throws NullPointerException if {@code task} or {@code member} is null
   * @throws IllegalArgumentException if the task cannot be serialized, or {@code member} is a lite
   *     member
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down
   */
  public <V> ConcurrentFuture<V> submitToMember(SerializableCallable<V> task, Member member) {
    Objects.requireNonNull(member, "member must not be null");
    if (member.isLiteMember()) {
      throw new IllegalArgumentException(
          "member must be a data member: " + member.getAddress() + " is a lite member");
    }
    return bound(encoder.encode(task), member);
  }

  /**
   * Stores {@code task} in the cluster's durable executor and runs it there ({@link
   * MemberLossPolicy#DURABLE}): the task and its result survive the loss of the member running it
   * (it may run twice) and of this client. Blocks until the partition's owner and backups stored
   * it. Keep {@link DurableFuture#taskId()} to {@link #reattach(DurableTaskId) re-attach} later.
   *
   * @param task the call
   * @param <V> the result type
   * @return its future, with its task id
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws SecurityException if the task's class is not on the allow-list
   * @throws RejectedExecutionException if the executor was shut down, or the cluster did not store
   *     the task (its partition's ring buffer is full of running tasks, or no member answered)
   * @throws BrokenExecutorException if this executor's member or client stopped
   */
  public <V> DurableFuture<V> submitDurable(SerializableCallable<V> task) {
    return (DurableFuture<V>) this.<V>enqueue(task, false, MemberLossPolicy.DURABLE, defaultRetry);
  }

  /**
   * Re-attaches a future to a durable task, submitted by this or any other client (one that was
   * restarted, for example): the future ends with the task's result or exception once the task has
   * ended (at once if it already has). Hazelcast's {@code retrieveResult}: the result stays stored,
   * so several clients can re-attach to it, until it is {@link #disposeDurable disposed} or
   * overwritten by newer tasks of its partition. If nothing is stored under the id, the future
   * fails with {@link DurableTaskNotFoundException}.
   *
   * @param taskId a task id handed out by a durable executor of the same name on this cluster
   * @param <V> the result type (the caller's claim, as with an unchecked cast)
   * @return a new future for the task
   * @throws NullPointerException if {@code taskId} is null
   * @throws IllegalArgumentException if {@code taskId} names another durable executor than this
   *     executor's {@code durableExecutorName}, or a partition the cluster does not have
   * @throws RejectedExecutionException if the executor was shut down
   * @throws BrokenExecutorException if this executor's member or client stopped
   */
  public <V> DurableFuture<V> reattach(DurableTaskId taskId) {
    return durable.reattach(taskId);
  }

  /**
   * Drops a durable task's stored result from the cluster (Hazelcast's {@code disposeResult}), so
   * that its place in the partition's ring buffer is free; re-attaching to the id later fails with
   * {@link DurableTaskNotFoundException}. Dispose a result once every client that needs it has it.
   *
   * @param taskId the task id
   * @throws NullPointerException if {@code taskId} is null
   * @throws IllegalArgumentException if {@code taskId} names another durable executor or a
   *     partition the cluster does not have
   * @throws DurableTaskNotFoundException if the id's place in the ring buffer now holds a newer
   *     task
   */
  public void disposeDurable(DurableTaskId taskId) {
    durable.dispose(taskId);
  }

  /** Accepts a serialized task bound to one member (FAIL_FAST: it cannot run elsewhere). */
  private <V> ConcurrentFuture<V> bound(byte[] bytes, Member m) {
    ClusterTaskFuture<V> f =
        new ClusterTaskFuture<>(
            this, bytes, false, MemberLossPolicy.FAIL_FAST, defaultRetry, null, m);
    dispatcher.accept(f, m);
    return f;
  }

  /** Accepts a task: durable ones go to the durable executor, the others to the dispatcher. */
  private <V> ConcurrentFuture<V> enqueue(
      Object task, boolean runnable, MemberLossPolicy policy, RetryPolicy retry) {
    byte[] bytes = encoder.encode(task);
    // a PartitionAware task runs on its key's owner, as with Hazelcast's own executor
    Object key =
        task instanceof com.hazelcast.partition.PartitionAware
            ? ((com.hazelcast.partition.PartitionAware<?>) task).getPartitionKey()
            : null;
    if (policy == MemberLossPolicy.DURABLE) {
      return durable.submit(bytes, runnable, key, retry);
    }
    ClusterTaskFuture<V> f =
        new ClusterTaskFuture<>(this, bytes, runnable, policy, retry, key, null);
    dispatcher.accept(f, key == null ? null : dispatcher.ownerOf(key));
    return f;
  }

  /** Whether the member or client of this executor still runs (no lock needed). */
  boolean instanceRunning() {
    return cluster.isRunning();
  }

  /** Refuses new tasks once the member or client is no longer running (under the lock). */
  void checkInstanceRunning() {
    clusterLifecycle.checkInstanceRunning();
  }

  /** "client" or "member", for messages. */
  String kind() {
    return cluster.kind();
  }

  /** cancel(true) of a running task: Hazelcast cancels it on its member (a blocking call). */
  void cancelRemote(Future<?> remote) {
    completer.cancelRemote(remote);
  }

  /** Runs {@code r} on a completer thread, or here if none can take it: see {@link Completer}. */
  void runOnCompleter(Runnable r) {
    completer.run(r);
  }

  /**
   * Stops accepting tasks; with {@code cancelFutures} cancels (and notifies) every task still
   * waiting here; tasks on the cluster run to their end. Once no task is left, the member or client
   * this executor started is shut down (after waiting for it, when {@code wait}), so the JVM can
   * exit.
   *
   * @throws WaitInterruptedException if interrupted while waiting (flag set again); the executor
   *     stays shut down and still closes its instance once its tasks are done
   * @throws IllegalStateException if {@code wait} is true, a task has not finished, and the caller
   *     runs one of this executor's tasks on its embedded member or one of its callbacks (on the
   *     executor's threads): it would wait for itself; or the caller may not block ({@link
   *     dev.eventual.BlockingGuard}). The executor is shut down all the same and still closes its
   *     instance once its tasks are done
   */
  @Override
  public void shutdown(boolean wait, boolean cancelFutures) {
    clusterLifecycle.shutdown(this, wait, cancelFutures);
  }

  /** Closes the dispatcher and the instance this executor owns, once its last task ended. */
  void closeInstance() {
    clusterLifecycle.closeInstance();
  }

  /**
   * Whether {@code shutdown} was called.
   *
   * @return true once shut down
   */
  @Override
  public boolean isShutdown() {
    return lifecycle.isShutdown();
  }

  /**
   * Test seam (package-private): how many accepted tasks have no outcome yet, or whose completion
   * is still being counted; 0 once the executor is idle.
   *
   * @return the count of unfinished tasks
   */
  int unfinishedTaskCount() {
    return dispatcher.unfinishedTaskCount();
  }
}
