package dev.eventual.hazelcast;

import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.durableexecutor.DurableExecutorService;
import com.hazelcast.durableexecutor.DurableExecutorServiceFuture;
import com.hazelcast.durableexecutor.StaleTaskIdException;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.partition.NoDataMemberInClusterException;
import com.hazelcast.spi.exception.RetryableException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import dev.eventual.BrokenExecutorException;
import dev.eventual.ConcurrentFuture;
import dev.eventual.hazelcast.RetryPolicy.Failure;
import dev.eventual.hazelcast.internal.RemoteCall;
import dev.eventual.hazelcast.internal.RemoteOutcome;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The {@link MemberLossPolicy#DURABLE DURABLE} path of a {@link HazelcastFutureExecutor}: stores
 * tasks in Hazelcast's durable executor and follows their results, for its own submits and for
 * re-attached ids. The cluster keeps the task and its result (owner and backups); this side only
 * asks for the result, and asks again after a lost member:
 *
 * <pre>
 * the request for the result ended with       the future
 * a RemoteOutcome                             ends with its result or exception (as Settler)
 * null (nothing stored) or StaleTaskIdException  DurableTaskNotFoundException
 * no data member left in the cluster         WorkerLostException (the task is lost)
 * a lost member, a timeout (retryable)        asks again under its RetryPolicy (MEMBER_LOST),
 *                                               counting only failures in a row; then
 *                                               WorkerLostException
 * anything, once this executor's instance     BrokenExecutorException naming the id (re-attach
 *   stopped                                     from another client)
 * anything else                               ends with it
 * </pre>
 *
 * A {@link DurableFuture} has no mutable fields: each request carries its count of failures in a
 * row. The dispatcher counts a durable future from {@code submit} or {@code reattach} until it ends
 * (any end, cancel included), so that {@code shutdown} waits for it.
 */
final class DurableTasks {
  /** A request that waited this long before a loss was a real wait, not a failure in a row. */
  private static final long LONG_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final HazelcastFutureExecutor owner;
  private final ClusterDispatcher dispatcher;
  private final HazelcastInstance instance;
  private final SerializationService serialization;
  private final String name;
  private final RetryPolicy defaultRetry;
  private final DurableExecutorService durable;

  DurableTasks(
      HazelcastFutureExecutor owner,
      ClusterDispatcher dispatcher,
      HazelcastInstance instance,
      String name,
      RetryPolicy defaultRetry) {
    this.owner = owner;
    this.dispatcher = dispatcher;
    this.instance = instance;
    this.serialization = RemoteCall.serializationService(instance);
    this.name = name;
    this.defaultRetry = defaultRetry;
    this.durable = instance.getDurableExecutorService(name);
  }

  /** Stores a serialized task on the cluster (blocking until owner and backups have it). */
  <V> DurableFuture<V> submit(byte[] task, boolean runnable, Object key, RetryPolicy retry) {
    dispatcher.acceptOutside();
    long id;
    try {
      id = store(new RemoteCall(task, runnable), key);
    } catch (RuntimeException | Error e) {
      dispatcher.outsideFinished();
      throw e;
    }
    return follow(DurableTaskId.of(name, id), retry);
  }

  private long store(RemoteCall call, Object key) {
    DurableExecutorServiceFuture<RemoteOutcome> stored;
    try {
      stored = key == null ? durable.submit(call) : durable.submitToKeyOwner(call, key);
    } catch (RuntimeException e) {
      throw refused(e);
    }
    long id = stored.getTaskId();
    if (id != -1) {
      return id;
    }
    // Hazelcast's sign that the partition's owner did not store the task: its future says why
    Throwable why;
    try {
      stored.get(0, TimeUnit.SECONDS);
      why = new IllegalStateException("no task id and no failure from the durable executor");
    } catch (ExecutionException e) {
      why = Settler.unwrap(e);
    } catch (Exception e) {
      why = e;
    }
    throw refused(why);
  }

  private RuntimeException refused(Throwable cause) {
    if (!instance.getLifecycleService().isRunning()) {
      synchronized (dispatcher.lock()) {
        owner.checkInstanceRunning(); // throws: the executor is broken
      }
    }
    return new RejectedExecutionException(
        "the cluster did not store the durable task (durable executor '"
            + name
            + "'): "
            + cause
            + "; the task was not accepted",
        cause);
  }

  /**
   * Re-attaches a future to a task stored by any client.
   *
   * @throws NullPointerException if {@code taskId} is null
   * @throws IllegalArgumentException if {@code taskId} names another durable executor or a
   *     partition the cluster does not have
   */
  <V> DurableFuture<V> reattach(DurableTaskId taskId) {
    check(taskId);
    dispatcher.acceptOutside();
    return follow(taskId, defaultRetry);
  }

  /** Drops a stored result (or task) from the cluster. */
  void dispose(DurableTaskId taskId) {
    check(taskId);
    try {
      durable.disposeResult(taskId.hazelcastTaskId());
    } catch (StaleTaskIdException e) {
      throw notFound(taskId, e);
    }
  }

  private void check(DurableTaskId taskId) {
    Objects.requireNonNull(taskId, "taskId must not be null");
    if (!taskId.executorName().equals(name)) {
      throw new IllegalArgumentException(
          "taskId "
              + taskId
              + " belongs to the durable executor '"
              + taskId.executorName()
              + "', but this executor uses '"
              + name
              + "' (HazelcastFutureExecutorBuilder.durableExecutorName)");
    }
    int partitions = partitionCount();
    if (partitions > 0 && taskId.partitionId() >= partitions) {
      throw new IllegalArgumentException(
          "taskId "
              + taskId
              + " names partition "
              + taskId.partitionId()
              + ", but the cluster has "
              + partitions
              + " partitions: it is not an id of this cluster");
    }
  }

  private int partitionCount() {
    try {
      return instance.getPartitionService().getPartitions().size();
    } catch (RuntimeException notNow) {
      return 0; // unknown for now: the cluster itself will say
    }
  }

  private <V> DurableFuture<V> follow(DurableTaskId id, RetryPolicy retry) {
    DurableFuture<V> f = new DurableFuture<>(id, retry);
    f.setRunningOrNotifyCancel();
    f.addDoneCallback(done -> owner.runOnCompleter(dispatcher::outsideFinished));
    ask(f, 0);
    return f;
  }

  /** Asks the partition's owner for the result; it answers once the task has ended. */
  private void ask(DurableFuture<?> f, int failures) {
    if (f.isDone()) {
      return;
    }
    long askedAt = System.nanoTime();
    Future<Object> remote;
    try {
      remote = durable.retrieveResult(f.taskId().hazelcastTaskId());
    } catch (RuntimeException e) {
      owner.runOnCompleter(() -> answered(f, null, e, failures, askedAt));
      return;
    }
    if (!(remote instanceof CompletionStage)) {
      f.trySetException(
          new IllegalStateException(
              "unexpected Hazelcast future (no completion callbacks): " + remote.getClass()));
      return;
    }
    @SuppressWarnings("unchecked")
    CompletionStage<Object> stage = (CompletionStage<Object>) remote;
    // straight to a completer: Hazelcast's default async executor may start a thread per callback
    stage.whenCompleteAsync(
        (value, error) -> answered(f, value, error, failures, askedAt), owner::runOnCompleter);
  }

  private void answered(
      DurableFuture<?> f, Object value, Throwable error, int failures, long askedAt) {
    @SuppressWarnings("unchecked")
    ConcurrentFuture<Object> g = (ConcurrentFuture<Object>) f;
    if (g.isDone()) {
      return; // cancelled here: the task and its result stay on the cluster
    }
    try {
      if (error == null) {
        settle(g, f.taskId(), value);
        return;
      }
      Throwable cause = Settler.unwrap(error);
      if (cause instanceof StaleTaskIdException) {
        g.trySetException(notFound(f.taskId(), cause));
      } else if (!instance.getLifecycleService().isRunning()) {
        g.trySetException(
            new BrokenExecutorException(
                "the Hazelcast "
                    + owner.kind()
                    + " of this executor is no longer running; durable task "
                    + f.taskId()
                    + " goes on on the cluster: re-attach to it from another executor",
                cause));
      } else if (cause instanceof NoDataMemberInClusterException) {
        g.trySetException(
            new WorkerLostException(
                "worker lost: durable task "
                    + f.taskId()
                    + " is lost with the cluster's data members (none is left; the durable"
                    + " executor keeps tasks and results in the members' memory): it may have run",
                cause));
      } else if (isLoss(cause)) {
        int n = System.nanoTime() - askedAt >= LONG_WAIT_NANOS ? 1 : failures + 1;
        if (f.retry.retries(Failure.MEMBER_LOST, MemberLossPolicy.DURABLE, n)) {
          dispatcher.later(() -> ask(f, n), f.retry.backoffNanos(n));
          return;
        }
        g.trySetException(
            new WorkerLostException(
                "worker lost: the result of durable task "
                    + f.taskId()
                    + " could not be fetched after "
                    + n
                    + " attempts in a row ("
                    + f.retry
                    + "): "
                    + cause
                    + "; the task may still be stored: re-attach to it later",
                cause));
      } else {
        g.trySetException(cause);
      }
    } catch (RuntimeException | Error unexpected) {
      g.trySetException(unexpected);
    }
  }

  private void settle(ConcurrentFuture<Object> g, DurableTaskId id, Object value) {
    if (value == null) {
      g.trySetException(notFound(id, null));
    } else if (!(value instanceof RemoteOutcome)) {
      g.trySetException(
          new IllegalStateException(
              "durable task "
                  + id
                  + " holds a "
                  + value.getClass().getName()
                  + ", not the outcome of a task of HazelcastFutureExecutor: was it submitted"
                  + " to the durable executor '"
                  + name
                  + "' directly?"));
    } else {
      RemoteOutcome outcome = (RemoteOutcome) value;
      if (outcome.isMemberFailure()) {
        g.trySetException(
            Settler.memberFailure(
                outcome, "the member that ran durable task " + id, serialization));
      } else {
        Settler.complete(g, outcome, serialization);
      }
    }
  }

  private static DurableTaskNotFoundException notFound(DurableTaskId id, Throwable cause) {
    return new DurableTaskNotFoundException(
        "no durable task and no result under id "
            + id
            + ": it was never handed out by this cluster's durable executor '"
            + id.executorName()
            + "', its result was disposed, or newer tasks of its partition overwrote it"
            + " (capacity per partition)",
        cause);
  }

  private static boolean isLoss(Throwable cause) {
    return cause instanceof RetryableException
        || cause instanceof MemberLeftException
        || cause instanceof TargetDisconnectedException
        || cause instanceof HazelcastClientOfflineException
        || cause instanceof HazelcastInstanceNotActiveException
        || cause instanceof OperationTimeoutException;
  }
}
