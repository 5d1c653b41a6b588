package dev.eventual.hazelcast;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.eventual.BrokenExecutorException;
import dev.eventual.ConcurrentFuture;
import dev.eventual.hazelcast.RetryPolicy.Failure;
import dev.eventual.hazelcast.internal.Envelopes;
import dev.eventual.hazelcast.internal.RemoteOutcome;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Judges how an attempt ended and ends the task, tries it again, or sends it again:
 *
 * <pre>
 * the attempt ended with                         the task
 * a result, or the task's own exception          ends with it
 * a result that cannot be read here (any Error)  ends with HazelcastSerializationException
 * a loss, sent after the loss was already seen,  was never received: sent to a live member, any
 *   or TargetNotMemberException                    policy (at most MAX_RESENDS times)
 * a loss, or the member failed (out of memory)   may have run: MEMBER_LOST, retried only under
 *                                                  AT_LEAST_ONCE, else WorkerLostException
 * RejectedExecutionException from the member     did not run (queue full): MEMBER_QUEUE_FULL
 * cancellation on the member                     is cancelled
 * a member without eventual's serializer factory  ends with HazelcastSerializationException saying so
 * anything else                                  ends with it (BrokenExecutorException when this
 *                                                  executor's own instance stopped)
 * </pre>
 */
final class Settler {
  private final ClusterDispatcher dispatcher;
  private final SerializationService serialization;

  Settler(ClusterDispatcher dispatcher, SerializationService serialization) {
    this.dispatcher = dispatcher;
    this.serialization = serialization;
  }

  /** Runs on a completer thread once per attempt; whatever happens, the task moves on. */
  void settle(
      ClusterTaskFuture<?> f, MemberWindow w, RemoteOutcome outcome, Throwable error, long at) {
    if (error == null && (outcome == null || !outcome.isMemberFailure())) {
      // the common case, the task ran to its end: one pass under the lock, after the future ended
      try {
        @SuppressWarnings("unchecked")
        ClusterTaskFuture<Object> g = (ClusterTaskFuture<Object>) f;
        complete(g, outcome, serialization);
      } catch (RuntimeException | Error unexpected) {
        f.trySetException(unexpected);
      } finally {
        dispatcher.answered(w, at);
      }
      return;
    }
    Throwable cause = error == null ? null : unwrap(error);
    boolean memberFailed = outcome != null && outcome.isMemberFailure();
    Throwable loss = cause != null && isMemberLoss(cause) ? cause : null;
    boolean neverArrived = dispatcher.attemptEnded(f, w, loss, memberFailed, at);
    boolean ended = true;
    try {
      ended = judge(f, w, outcome, cause, loss, memberFailed, neverArrived);
    } catch (RuntimeException | Error unexpected) {
      f.trySetException(unexpected);
    } finally {
      if (ended) {
        dispatcher.finished();
      }
    }
  }

  /** Ends, retries or resends the task; returns whether it ended. */
  @SuppressWarnings("unchecked")
  private boolean judge(
      ClusterTaskFuture<?> f,
      MemberWindow w,
      RemoteOutcome outcome,
      Throwable cause,
      Throwable loss,
      boolean memberFailed,
      boolean neverArrived) {
    ClusterTaskFuture<Object> g = (ClusterTaskFuture<Object>) f;
    if (cause == null && !memberFailed) {
      complete(g, outcome, serialization);
      return true;
    }
    if (g.isDone()) {
      return true; // cancelled here: whatever the member did is dropped
    }
    if (neverArrived) {
      if (dispatcher.resend(g)) {
        return false;
      }
      g.trySetException(
          new RejectedExecutionException(
              "no live member received the task after "
                  + ClusterDispatcher.MAX_RESENDS
                  + " sends (the last to "
                  + w
                  + "): it did not run",
              cause));
      return true;
    }
    if (loss != null || memberFailed) {
      WorkerLostException lost =
          memberFailed ? memberFailure(outcome, "member " + w, serialization) : workerLost(loss, w);
      g.lastLoss = lost;
      if (g.member == null && dispatcher.retry(g, Failure.MEMBER_LOST)) {
        return false;
      }
      g.trySetException(lost);
      return true;
    }
    if (cause instanceof RejectedExecutionException
        && dispatcher.instance.getLifecycleService().isRunning()) {
      if (dispatcher.retry(g, Failure.MEMBER_QUEUE_FULL)) {
        return false;
      }
      g.trySetException(
          new RejectedExecutionException(
              "member "
                  + w
                  + " refused the task ("
                  + cause.getMessage()
                  + ") after "
                  + g.attempts
                  + " attempts ("
                  + g.retry
                  + "): its executor's queue is full; the task did not run",
              cause));
      return true;
    }
    if (cause instanceof CancellationException) {
      g.cancel(false); // cancelled on the member by someone else
    } else if (Envelopes.isMissingFactory(cause)) {
      g.trySetException(
          new HazelcastSerializationException(
              Envelopes.missingFactoryMessage(
                  "member " + w + " (or this " + dispatcher.owner.kind() + ")"),
              cause));
    } else if (!dispatcher.instance.getLifecycleService().isRunning()) {
      g.trySetException(
          new BrokenExecutorException(
              "the Hazelcast " + dispatcher.owner.kind() + " of this executor is no longer running",
              cause));
    } else {
      g.trySetException(cause);
    }
    return true;
  }

  /** Ends {@code g} with the result or exception of a task that ran to its end. */
  static void complete(
      ConcurrentFuture<Object> g, RemoteOutcome outcome, SerializationService serialization) {
    Object value;
    try {
      value = outcome.value(serialization);
    } catch (RuntimeException | Error e) {
      // an Error too (a failing static initializer or readObject): the future must end
      g.trySetException(
          new HazelcastSerializationException(
              "the task's "
                  + (outcome.isSuccess() ? "result" : "exception")
                  + " cannot be deserialized here: "
                  + e,
              e));
      return;
    }
    if (outcome.isSuccess()) {
      g.trySetResult(value);
    } else {
      g.trySetException((Throwable) value);
    }
  }

  /** The member itself failed (ran out of memory) while it ran the task. */
  static WorkerLostException memberFailure(
      RemoteOutcome outcome, String member, SerializationService serialization) {
    Throwable error;
    try {
      error = (Throwable) outcome.value(serialization);
    } catch (RuntimeException | Error e) {
      error = e;
    }
    String what = error instanceof OutOfMemoryError ? "ran out of memory" : "failed";
    return new WorkerLostException(
        "worker lost: "
            + member
            + " "
            + what
            + " while it ran the task ("
            + error
            + "): the task may have run partly, and the member may be unhealthy",
        error);
  }

  private boolean isMemberLoss(Throwable cause) {
    return cause instanceof MemberLeftException
        || cause instanceof TargetNotMemberException
        || cause instanceof TargetDisconnectedException
        || cause instanceof com.hazelcast.client.HazelcastClientOfflineException
        || (cause instanceof HazelcastInstanceNotActiveException
            && dispatcher.instance.getLifecycleService().isRunning());
  }

  private static WorkerLostException workerLost(Throwable cause, MemberWindow w) {
    return new WorkerLostException(
        "worker lost: member "
            + w
            + " left the cluster (or its connection was lost) while it may have run the task ("
            + cause
            + ")",
        cause);
  }

  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t.getClass() == CompletionException.class || t.getClass() == ExecutionException.class)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
