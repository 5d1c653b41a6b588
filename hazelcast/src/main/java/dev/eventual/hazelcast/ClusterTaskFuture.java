package dev.eventual.hazelcast;

import com.hazelcast.cluster.Member;
import dev.eventual.ConcurrentFuture;
import java.util.concurrent.Future;

/**
 * The future of a task sent to the cluster, with what is needed to send it (again): its serialized
 * form, its routing, its member-loss policy and retry policy. RUNNING means handed to the cluster
 * (as a process pool's call queue in CPython): from then on {@code cancel()} fails, and {@code
 * cancel(true)} cancels it on the member that runs it, interrupting its thread. A task tried again
 * stays RUNNING between its attempts.
 *
 * <pre>
 * field      written by                                 meaning
 * target     the dispatcher under its lock (take)       the window of the current attempt
 * sentAt     the dispatcher before each send            System.nanoTime() of the current send
 * attempts   the thread settling an attempt             failed attempts counted by the retry policy
 * resends    the thread settling an attempt             sends that certainly never arrived
 * started    the dispatcher, once, before the first send  set RUNNING (or found cancelled) once
 * failWith   the dispatcher under its lock                an end decided under the lock, applied after
 * lastLoss   the thread settling an attempt             the loss of an attempt that may have run
 * remote     send (attach)                              Hazelcast's future of the current attempt
 * </pre>
 *
 * @param <V> the result type
 */
final class ClusterTaskFuture<V> extends ConcurrentFuture<V> {
  final byte[] task;
  final boolean runnable;
  final MemberLossPolicy policy;
  final RetryPolicy retry;

  /** The partition key, or null. */
  final Object key;

  /** The one member that must run it (submitToAll), or null. */
  final Member member;

  MemberWindow target;
  long sentAt;
  int attempts;
  int resends;
  boolean started;
  Throwable failWith;
  WorkerLostException lastLoss;

  private final HazelcastFutureExecutor owner;
  private volatile Future<?> remote;
  private volatile boolean interruptRequested;

  ClusterTaskFuture(
      HazelcastFutureExecutor owner,
      byte[] task,
      boolean runnable,
      MemberLossPolicy policy,
      RetryPolicy retry,
      Object key,
      Member member) {
    this.owner = owner;
    this.task = task;
    this.runnable = runnable;
    this.policy = policy;
    this.retry = retry;
    this.key = key;
    this.member = member;
  }

  /** Records Hazelcast's future of the current attempt; cancels it if cancel(true) came first. */
  void attach(Future<?> hazelcastFuture) {
    remote = hazelcastFuture;
    if (interruptRequested) {
      owner.cancelRemote(hazelcastFuture);
    }
  }

  /** cancel(true) of the RUNNING task: cancel it on its member, which interrupts its thread. */
  @Override
  protected void cancelRunningTask(boolean mayInterruptIfRunning) {
    if (!mayInterruptIfRunning) {
      return; // the JDK meaning: let it run, drop its result
    }
    interruptRequested = true;
    Future<?> r = remote;
    if (r != null) {
      owner.cancelRemote(r);
    }
  }
}
