package dev.eventual.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationClassNameFilter;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.partition.Partition;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.eventual.BrokenExecutorException;
import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import dev.eventual.WaitInterruptedException;
import dev.eventual.hazelcast.internal.RemoteCall;
import dev.eventual.hazelcast.internal.RemoteOutcome;
import dev.eventual.internal.ExecutorLifecycle;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *   <li><b>Running means sent.</b> At most {@code maxInFlight} tasks are handed to the cluster at
 *       once; the others wait here and can be cancelled. A task handed over is RUNNING (as in
 *       CPython's process pool): {@code cancel()} then fails, and {@code cancel(true)} cancels it
 *       on its member, which interrupts its thread.
 *   <li><b>Callbacks</b> run on this executor's own threads, never on Hazelcast's.
 *   <li><b>Member loss</b> follows the task's {@link MemberLossPolicy}: re-run elsewhere, or fail
 *       with {@link WorkerLostException}. No future waits forever on a lost member.
 * </ul>
 */
public final class HazelcastFutureExecutor implements FutureExecutor {
  /** How often a task lost with its member is sent again under AT_LEAST_ONCE. */
  private static final int MAX_ATTEMPTS = 10;

  private static final String LOGGING_TYPE = "hazelcast.logging.type";

  private static final AtomicInteger EXECUTORS = new AtomicInteger();

  private final HazelcastInstance instance;
  private final boolean client;
  private final boolean owned;
  private final IExecutorService service;
  private final SerializationService serialization;
  private final SerializationClassNameFilter filter;
  private final MemberLossPolicy defaultPolicy;
  private final int maxInFlight;
  private final ThreadPoolExecutor completer;
  private final AtomicInteger nextMember = new AtomicInteger();
  private final AtomicInteger nextKey = new AtomicInteger();

  /**
   * The shutdown and broken flags, refusals and the wait of {@code shutdown(wait=true)}, shared
   * with the other executors; its lock also guards the queue and the counts below.
   */
  private final ExecutorLifecycle lifecycle =
      new ExecutorLifecycle(
          new ExecutorLifecycle.Host() {
            @Override
            public void awaitTermination() throws InterruptedException {
              awaitTasks();
            }

            @Override
            public boolean currentThreadIsOurs() {
              // a task on the embedded member: its thread is one the tasks need. The member hands
              // the call its own instance object, not the proxy this executor holds: by name.
              HazelcastInstance member = RemoteCall.runningOn();
              return member != null && !client && member.getName().equals(instance.getName());
            }
          });

  private final Object lock = lifecycle.lock();
  private final ArrayDeque<ClusterTaskFuture<?>> queue = new ArrayDeque<>();
  private int inFlight;
  private int unfinished;

  private final AtomicBoolean closing = new AtomicBoolean();
  private final ConcurrentFuture<Void> closed = new ConcurrentFuture<>();

  /** Starts an embedded lone member with the defaults of {@link HazelcastFutureExecutorBuilder}. */
  public HazelcastFutureExecutor() {
    this(builder());
  }

  HazelcastFutureExecutor(HazelcastFutureExecutorBuilder b) {
    if ("none".equals(b.loggingType) && System.getProperty(LOGGING_TYPE) == null) {
      // Hazelcast warns about missing --add-opens through the system property's logger before it
      // reads any configuration; without this, the default would not be quiet
      System.setProperty(LOGGING_TYPE, "none");
    }
    JavaSerializationFilterConfig filterConfig;
    if (b.instance != null) {
      instance = b.instance;
      client = !(instance.getLocalEndpoint() instanceof Member);
      filterConfig =
          client
              ? null
              : instance.getConfig().getSerializationConfig().getJavaSerializationFilterConfig();
      if (filterConfig == null) {
        filterConfig = ClusterConfigs.secure(new com.hazelcast.config.SerializationConfig(), b);
      }
      owned = false;
    } else if (b.clientConfig != null) {
      ClientConfig cc = ClusterConfigs.client(new ClientConfig(b.clientConfig), b);
      filterConfig = cc.getSerializationConfig().getJavaSerializationFilterConfig();
      instance = connect(cc, b);
      client = true;
      owned = true;
    } else {
      com.hazelcast.config.Config c =
          b.memberConfig != null
              ? ClusterConfigs.member(b.memberConfig, b)
              : ClusterConfigs.embedded(b);
      filterConfig = c.getSerializationConfig().getJavaSerializationFilterConfig();
      instance = Hazelcast.newHazelcastInstance(c);
      client = false;
      owned = true;
    }
    filter = new SerializationClassNameFilter(filterConfig);
    serialization = RemoteCall.serializationService(instance);
    service = instance.getExecutorService(ClusterConfigs.EXECUTOR_NAME);
    defaultPolicy = b.policy;
    maxInFlight = b.maxInFlight;
    int id = EXECUTORS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    completer =
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
              Thread t =
                  new Thread(
                      marked,
                      "eventual-hazelcast-" + id + "-completer-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  private static HazelcastInstance connect(ClientConfig cc, HazelcastFutureExecutorBuilder b) {
    try {
      return HazelcastClient.newHazelcastClient(cc);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "no Hazelcast cluster answered within "
              + b.connectTimeout.toMillis()
              + " ms (cluster name '"
              + cc.getClusterName()
              + "', addresses "
              + cc.getNetworkConfig().getAddresses()
              + ")",
          e);
    }
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
    return instance;
  }

  // ---------------------------------------------------------------- submitting

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
    return enqueue(task, false, defaultPolicy, null, null);
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
    return enqueue(task, false, defaultPolicy, null, null);
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
    return enqueue(task, true, defaultPolicy, null, null);
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
    Objects.requireNonNull(policy, "policy must not be null");
    return enqueue(task, false, policy, null, null);
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
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(policy, "policy must not be null");
    return enqueue(task, false, policy, key, null);
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
    byte[] bytes = serialize(task);
    Map<Member, ConcurrentFuture<V>> futures = new LinkedHashMap<>();
    for (Member m : dataMembers()) {
      futures.put(m, enqueue(bytes, false, MemberLossPolicy.FAIL_FAST, null, m));
    }
    return new MemberResults<>(futures);
  }

  private <V> ConcurrentFuture<V> enqueue(
      Object task, boolean runnable, MemberLossPolicy policy, Object key, Member member) {
    return enqueue(serialize(task), runnable, policy, key, member);
  }

  private <V> ConcurrentFuture<V> enqueue(
      byte[] task, boolean runnable, MemberLossPolicy policy, Object key, Member member) {
    ClusterTaskFuture<V> f = new ClusterTaskFuture<>(this, task, runnable, policy, key, member);
    boolean send;
    synchronized (lock) {
      lifecycle.checkAccepting();
      if (!instance.getLifecycleService().isRunning()) {
        lifecycle.markBroken(
            "the Hazelcast " + kind() + " of this executor is no longer running", null);
        throw lifecycle.broken();
      }
      unfinished++;
      send = inFlight < maxInFlight;
      if (send) {
        inFlight++;
      } else {
        queue.addLast(f);
      }
    }
    if (send) {
      start(f);
    }
    return f;
  }

  /** Checks and serializes a task: the caller learns at once if it cannot travel. */
  private byte[] serialize(Object task) {
    Objects.requireNonNull(task, "task must not be null");
    lifecycle.checkAccepting();
    String name = task.getClass().getName();
    try {
      filter.filter(name);
    } catch (SecurityException e) {
      throw new SecurityException(
          "task class "
              + name
              + " is not on the deserialization allow-list, so no member would run it; allow it"
              + " with HazelcastFutureExecutor.builder().allowClasses(...), allowPackages(...) or"
              + " allowPrefixes(...)",
          e);
    }
    Data data;
    try {
      data = serialization.toData(task);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "task cannot be serialized, so it cannot be sent to a member: "
              + name
              + " ("
              + rootMessage(e)
              + "); make it java.io.Serializable (a lambda: write it where a"
              + " SerializableCallable is expected) with serializable captured values",
          e);
    }
    if ((data.getType() == SerializationConstants.TYPE_COMPACT
            || data.getType() == SerializationConstants.TYPE_COMPACT_WITH_SCHEMA)
        && !(task instanceof Serializable)) {
      // zero-configuration Compact accepts almost any class, and a member without it would get a
      // GenericRecord: tasks travel by Java serialization or a serializer registered for them
      throw new IllegalArgumentException(
          "task cannot be serialized, so it cannot be sent to a member: "
              + name
              + " is not java.io.Serializable (only zero-configuration Compact could write it); a"
              + " lambda: write it where a SerializableCallable is expected");
    }
    return data.toByteArray();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t;
  }

  // ---------------------------------------------------------------- running

  /** Hands a dispatched task to the cluster, or skips it if it was cancelled while queued. */
  private void start(ClusterTaskFuture<?> f) {
    while (f != null) {
      if (f.setRunningOrNotifyCancel()) {
        send(f);
        return;
      }
      f = finish(); // cancelled while it waited here: now CANCELLED_AND_NOTIFIED
    }
  }

  private void send(ClusterTaskFuture<?> f) {
    Future<RemoteOutcome> remote;
    try {
      remote = route(f, new RemoteCall(f.task, f.runnable));
    } catch (RuntimeException e) {
      runOnCompleter(() -> settle(f, null, e));
      return;
    }
    if (!(remote instanceof CompletionStage)) {
      // Nothing would ever tell this future's end: fail it (as any dispatch failure) rather than
      // leave it RUNNING, and cancel what Hazelcast started.
      IllegalStateException odd =
          new IllegalStateException(
              "unexpected Hazelcast future (no completion callbacks): " + remote.getClass());
      cancelRemote(remote);
      runOnCompleter(() -> settle(f, null, odd));
      return;
    }
    f.attach(remote);
    @SuppressWarnings("unchecked")
    CompletionStage<RemoteOutcome> stage = (CompletionStage<RemoteOutcome>) remote;
    try {
      stage.whenCompleteAsync((outcome, error) -> settle(f, outcome, error), completer);
    } catch (RejectedExecutionException e) {
      stage.whenComplete((outcome, error) -> settle(f, outcome, error));
    }
  }

  private Future<RemoteOutcome> route(ClusterTaskFuture<?> f, RemoteCall call) {
    if (f.member != null) {
      return service.submitToMember(call, f.member);
    }
    if (f.policy == MemberLossPolicy.AT_LEAST_ONCE) {
      Object key = f.key != null ? f.key : nextKey.getAndIncrement();
      return service.submitToKeyOwner(call, key);
    }
    if (f.key != null) {
      Partition p = instance.getPartitionService().getPartition(f.key);
      Member owner = p.getOwner();
      if (owner != null) {
        return service.submitToMember(call, owner);
      }
    }
    List<Member> members = dataMembers();
    if (members.isEmpty()) {
      throw new IllegalStateException("the cluster has no data member to run the task");
    }
    return service.submitToMember(
        call, members.get(Math.floorMod(nextMember.getAndIncrement(), members.size())));
  }

  private List<Member> dataMembers() {
    List<Member> members = new ArrayList<>();
    for (Member m : instance.getCluster().getMembers()) {
      if (!m.isLiteMember()) {
        members.add(m);
      }
    }
    return members;
  }

  /** Completes the future from Hazelcast's outcome; runs on a completer thread. */
  @SuppressWarnings("unchecked")
  private void settle(ClusterTaskFuture<?> f, RemoteOutcome outcome, Throwable error) {
    boolean sentAgain = false;
    try {
      ClusterTaskFuture<Object> g = (ClusterTaskFuture<Object>) f;
      if (error == null) {
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
        } else if (outcome.isMemberFailure()) {
          g.trySetException(
              new WorkerLostException(
                  "worker lost: the member running the task ran out of memory or failed ("
                      + value
                      + "); the task may have run partly, and the member may be unhealthy",
                  (Throwable) value));
        } else {
          g.trySetException((Throwable) value);
        }
        return;
      }
      Throwable cause = unwrap(error);
      if (g.isDone()) {
        return; // cancelled here: whatever the member did is dropped
      }
      if (isMemberLoss(cause)) {
        if (g.policy == MemberLossPolicy.AT_LEAST_ONCE
            && g.member == null
            && ++g.attempts < MAX_ATTEMPTS
            && instance.getLifecycleService().isRunning()) {
          sentAgain = true;
          send(g);
          return;
        }
        g.trySetException(new WorkerLostException(describeLoss(cause), cause));
      } else if (cause instanceof CancellationException) {
        g.cancel(false); // cancelled on the member by someone else
      } else if (!instance.getLifecycleService().isRunning()) {
        g.trySetException(
            new BrokenExecutorException(
                "the Hazelcast " + kind() + " of this executor is no longer running", cause));
      } else {
        g.trySetException(cause);
      }
    } finally {
      if (!sentAgain) {
        start(finish());
      }
    }
  }

  private boolean isMemberLoss(Throwable cause) {
    return cause instanceof MemberLeftException
        || cause instanceof TargetNotMemberException
        || cause instanceof TargetDisconnectedException
        || (cause instanceof HazelcastInstanceNotActiveException
            && instance.getLifecycleService().isRunning());
  }

  private static String describeLoss(Throwable cause) {
    if (cause instanceof MemberLeftException && ((MemberLeftException) cause).getMember() != null) {
      return "worker lost: member "
          + ((MemberLeftException) cause).getMember().getAddress()
          + " left the cluster while running the task";
    }
    return "worker lost: the member running the task left the cluster (" + cause + ")";
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t.getClass() == CompletionException.class || t.getClass() == ExecutionException.class)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private String kind() {
    return client ? "client" : "member";
  }

  /** cancel(true) of a running task: Hazelcast cancels it on its member (a blocking call). */
  void cancelRemote(Future<?> remote) {
    runOnCompleter(
        () -> {
          try {
            remote.cancel(true);
          } catch (RuntimeException memberGone) {
            // the member is gone or shutting down: nothing is left to interrupt
          }
        });
  }

  private void runOnCompleter(Runnable r) {
    try {
      completer.execute(r);
    } catch (RejectedExecutionException afterClose) {
      r.run();
    }
  }

  /** One task left the cluster (or its queued slot); returns the next task to start, if any. */
  private ClusterTaskFuture<?> finish() {
    ClusterTaskFuture<?> next;
    boolean idle;
    synchronized (lock) {
      inFlight--;
      unfinished--;
      next = queue.pollFirst();
      if (next != null) {
        inFlight++;
      }
      idle = unfinished == 0;
      if (idle) {
        lock.notifyAll();
      }
      idle &= lifecycle.isShutdown();
    }
    if (idle) {
      closeInstance();
    }
    return next;
  }

  // ---------------------------------------------------------------- shutting down

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
    List<ClusterTaskFuture<?>> cancelled = List.of();
    boolean idle;
    synchronized (lock) {
      lifecycle.markShutdown(cancelFutures);
      if (cancelFutures && !queue.isEmpty()) {
        cancelled = new ArrayList<>(queue);
        queue.clear();
        unfinished -= cancelled.size();
      }
      idle = unfinished == 0;
    }
    for (ClusterTaskFuture<?> f : cancelled) {
      ExecutorLifecycle.cancelAndNotify(f);
    }
    if (idle) {
      runOnCompleter(this::closeInstance); // a later wait joins it through closed
    }
    if (wait) {
      lifecycle.awaitTermination(this, !idle);
    }
  }

  /** Waits until no task is left, then closes the instance this executor owns. */
  private void awaitTasks() throws InterruptedException {
    synchronized (lock) {
      while (unfinished > 0) {
        lock.wait();
      }
    }
    closeInstance();
    closed.result();
  }

  /** Shuts the owned instance down once; the others who ask wait with {@code closed}. */
  private void closeInstance() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      if (owned) {
        instance.shutdown();
      }
    } catch (RuntimeException alreadyDown) {
      // terminated under us: nothing left to close
    } finally {
      completer.shutdown();
      closed.trySetResult(null);
    }
  }

  @Override
  public boolean isShutdown() {
    return lifecycle.isShutdown();
  }
}
