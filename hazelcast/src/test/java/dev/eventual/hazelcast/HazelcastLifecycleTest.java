package dev.eventual.hazelcast;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared executor lifecycle on {@link HazelcastFutureExecutor}, and its dispatch's failure
 * paths: executors over one lone member, which they do not own (started once for the class).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HazelcastLifecycleTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static HazelcastFutureExecutor owner;

  /** The executor a task on the member closes: tasks reach it through this field (same JVM). */
  static volatile HazelcastFutureExecutor closedByItsTask;

  static final CountDownLatch RELEASE = new CountDownLatch(1);

  /** Holds the plain task of the close-from-a-callback test until its callback is registered. */
  static final CountDownLatch PLAIN_GO = new CountDownLatch(1);

  @BeforeAll
  static void start() {
    HazelcastFutureExecutorBuilder b =
        HazelcastFutureExecutor.builder().allowPackages("dev.eventual.hazelcast");
    com.hazelcast.config.Config c = b.memberConfig();
    // one thread and a queue of one: the member refuses a third task (RejectedExecutionException)
    c.addExecutorConfig(
        new com.hazelcast.config.ExecutorConfig("tiny").setPoolSize(1).setQueueCapacity(1));
    owner = b.member(c).build();
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    PLAIN_GO.countDown();
    owner.shutdown(false, true);
    owner.instance().getLifecycleService().terminate();
  }

  private static HazelcastFutureExecutorBuilder overTheMember(HazelcastInstance instance) {
    return HazelcastFutureExecutor.builder()
        .instance(instance)
        .allowPackages("dev.eventual.hazelcast");
  }

  static Object outcomeOfClose(FutureExecutor e) {
    try {
      e.close();
      return "returned";
    } catch (RuntimeException thrown) {
      return thrown;
    }
  }

  @Test // issue 19, defect 2: both hung forever
  void closeFromATaskOnItsMemberOrFromACallbackOfItsFutureThrowsInsteadOfWaitingForItself()
      throws Exception {
    HazelcastFutureExecutor e = overTheMember(owner.instance()).build();
    closedByItsTask = e;
    ConcurrentFuture<Object> fromTask =
        e.submit(
            () -> {
              RELEASE.await(30, TimeUnit.SECONDS);
              return outcomeOfClose(HazelcastLifecycleTest.closedByItsTask);
            });
    // the plain task ends only once its callback is registered: a callback added to a future
    // already done runs at once on the caller's thread (the test's, not the executor's), where
    // close() rightly waits for the tasks; CI once lost that race and waited 30 s for fromTask
    ConcurrentFuture<Integer> plain =
        e.submit(
            () -> {
              PLAIN_GO.await(30, TimeUnit.SECONDS);
              return 1;
            });
    CompletableFuture<Object> fromCallback = new CompletableFuture<>();
    plain.addDoneCallback(done -> fromCallback.complete(outcomeOfClose(e)));
    PLAIN_GO.countDown();
    assertThat(
            fromCallback.completeOnTimeout("close() never returned", 10, TimeUnit.SECONDS).join())
        .isInstanceOfSatisfying(
            IllegalStateException.class,
            t -> assertThat(t).hasMessageContaining("it would wait for itself"));
    RELEASE.countDown();
    assertThat(fromTask.result(PATIENCE))
        .isInstanceOfSatisfying(
            IllegalStateException.class,
            t -> assertThat(t).hasMessageContaining("it would wait for itself"));
    e.close(); // from outside: returns once the tasks are done
    assertThat(e.isShutdown()).isTrue();
    assertThat(owner.instance().getLifecycleService().isRunning()).isTrue(); // not e's to close
  }

  @Test // issue 19, defect 2 again (HazelcastLifecycleLincheckTest): it hung the same way
  void closeFromACallbackOfACompletionRunOnTheReportingThreadThrowsInsteadOfWaitingForItself() {
    // no completer thread: each completion runs on the Hazelcast thread that reported it, the
    // executor's fallback, which works for the executor as its completer threads do
    HazelcastFutureExecutor e = overTheMember(owner.instance()).completerThreads(r -> null).build();
    String id = "inline-" + System.nanoTime();
    ConcurrentFuture<String> f = e.submit(new Tasks.Blocking(id, null, 10_000));
    CompletableFuture<Object> fromCallback = new CompletableFuture<>();
    f.addDoneCallback(done -> fromCallback.complete(outcomeOfClose(e)));
    Tasks.RELEASE.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
    assertThat(
            fromCallback.completeOnTimeout("close() never returned", 10, TimeUnit.SECONDS).join())
        .isInstanceOfSatisfying(
            IllegalStateException.class,
            t -> assertThat(t).hasMessageContaining("it would wait for itself"));
    assertThat(f.result(PATIENCE)).startsWith("done in");
    e.close(); // from outside: returns
  }

  @Test // found with HazelcastLifecycleLincheckTest: the task stayed RUNNING forever, close() hung
  void aTaskWhoseCompletionFindsNoThreadStillEnds() {
    HazelcastFutureExecutor e =
        overTheMember(owner.instance())
            .completerThreads(
                r -> {
                  throw new OutOfMemoryError("unable to create native thread");
                })
            .build();
    try {
      assertThat(e.submit(new Tasks.Square(7)).result(PATIENCE)).isEqualTo(49);
      e.close(); // returns once the completion was counted
      assertThat(e.unfinishedTaskCount()).isZero();
    } finally {
      e.shutdown(false, true);
    }
  }

  @Test // found with HazelcastLifecycleLincheckTest: "cannot schedule new futures after shutdown"
  void aSubmitAfterTheInstanceStoppedIsRefusedAsBrokenEvenOnceShutDown() {
    HazelcastInstance real = owner.instance();
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    com.hazelcast.core.LifecycleService lifecycle =
        proxy(
            com.hazelcast.core.LifecycleService.class,
            real.getLifecycleService(),
            (m, args) -> m.getName().equals("isRunning") ? running.get() : NEXT);
    HazelcastInstance instance =
        proxy(
            HazelcastInstance.class,
            real,
            (m, args) -> m.getName().equals("getLifecycleService") ? lifecycle : NEXT,
            SerializationServiceSupport.class);
    HazelcastFutureExecutor e = overTheMember(instance).build();
    e.shutdown(false, false);
    running.set(false); // the member (not the executor's to close) stops: it is broken
    assertThatThrownBy(() -> e.submit(new Tasks.Square(2)))
        .isInstanceOf(dev.eventual.BrokenExecutorException.class)
        .hasMessageContaining("member of this executor is no longer running");
  }

  @Test // issue 19, defect 10: send threw after attaching the future, which stayed RUNNING
  void aFutureHazelcastHandsBackWithoutCallbacksFailsTheTaskInsteadOfLeavingItRunning() {
    HazelcastInstance real = owner.instance();
    IExecutorService realService = real.getExecutorService("eventual");
    IExecutorService odd =
        proxy(
            IExecutorService.class,
            realService,
            (m, args) ->
                m.getName().startsWith("submitTo") ? new FutureTask<Object>(() -> null) : NEXT);
    HazelcastInstance instance =
        proxy(
            HazelcastInstance.class,
            real,
            (m, args) -> m.getName().equals("getExecutorService") ? odd : NEXT,
            SerializationServiceSupport.class);
    HazelcastFutureExecutor e = overTheMember(instance).build();
    try {
      ConcurrentFuture<Integer> f = e.submit(() -> 1);
      assertThatThrownBy(() -> f.result(PATIENCE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("unexpected Hazelcast future");
    } finally {
      e.shutdown(false, true);
    }
  }

  private static final Object NEXT = new Object();

  /** What a proxied call does: a value, or {@link #NEXT} to call the real object. */
  interface Override {
    Object call(Method m, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, Object real, Override override, Class<?>... more) {
    Class<?>[] types = new Class<?>[more.length + 1];
    types[0] = type;
    System.arraycopy(more, 0, types, 1, more.length);
    InvocationHandler h =
        (p, m, args) -> {
          Object v = override.call(m, args);
          if (v != NEXT) {
            return v;
          }
          try {
            return m.invoke(real, args);
          } catch (InvocationTargetException ex) {
            throw ex.getCause();
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), types, h));
  }

  /** The member's instance seen through a partition service that knows no owner at first. */
  private static HazelcastInstance ownerUnknownFor(int lookups) {
    HazelcastInstance real = owner.instance();
    java.util.concurrent.atomic.AtomicInteger seen =
        new java.util.concurrent.atomic.AtomicInteger();
    com.hazelcast.partition.PartitionService partitions =
        proxy(
            com.hazelcast.partition.PartitionService.class,
            real.getPartitionService(),
            (m, args) -> {
              if (!m.getName().equals("getPartition")) {
                return NEXT;
              }
              com.hazelcast.partition.Partition p =
                  real.getPartitionService().getPartition(args[0]);
              boolean unknown = seen.incrementAndGet() <= lookups;
              return proxy(
                  com.hazelcast.partition.Partition.class,
                  p,
                  (pm, pargs) -> unknown && pm.getName().equals("getOwner") ? null : NEXT);
            });
    return proxy(
        HazelcastInstance.class,
        real,
        (m, args) -> m.getName().equals("getPartitionService") ? partitions : NEXT,
        SerializationServiceSupport.class);
  }

  @Test // issue 17, defect 4: under FAIL_FAST the task ran on a round-robin member instead
  void aKeyTaskWaitsWhileItsPartitionOwnerIsUnknownAndNeverRunsElsewhere() {
    RetryPolicy quick = RetryPolicy.of(4, Duration.ofMillis(20), Duration.ofMillis(20));
    HazelcastFutureExecutor never = overTheMember(ownerUnknownFor(Integer.MAX_VALUE)).build();
    HazelcastFutureExecutor later = overTheMember(ownerUnknownFor(2)).build();
    try {
      String id = "unknown-owner-" + System.nanoTime();
      ConcurrentFuture<String> f =
          never.submitToKeyOwner("k", new Tasks.Tracked(id, 0), MemberLossPolicy.FAIL_FAST, quick);
      assertThatThrownBy(() -> f.result(PATIENCE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("owner of the partition of key 'k' is unknown")
          .hasMessageContaining("not sent");
      assertThat(Tasks.RUNS.get(id)).as("runs").isNull();
      assertThat(
              later
                  .submitToKeyOwner("k", new Tasks.Square(6), MemberLossPolicy.FAIL_FAST, quick)
                  .result(PATIENCE))
          .isEqualTo(36);
    } finally {
      never.shutdown(false, true);
      later.shutdown(false, true);
    }
  }

  @Test // issue 17, defect 4: the member's RejectedExecutionException failed the task at once
  void aTaskRefusedByAFullMemberQueueIsRetriedUnderTheRetryPolicy() throws Exception {
    try (HazelcastFutureExecutor tiny =
        overTheMember(owner.instance()).executorName("tiny").maxInFlight(8).build()) {
      String id = "tiny-" + System.nanoTime();
      ConcurrentFuture<String> blocker = tiny.submit(new Tasks.Blocking(id, null, 10_000));
      assertThat(Tasks.STARTED.computeIfAbsent(id, k -> new CountDownLatch(1)).await(10, SECONDS))
          .isTrue();
      ConcurrentFuture<Integer> queued = tiny.submit(new Tasks.Square(2));
      ConcurrentFuture<Integer> refusedOnce =
          tiny.submit(
              new Tasks.Square(3),
              MemberLossPolicy.AT_LEAST_ONCE,
              RetryPolicy.of(50, Duration.ofMillis(20), Duration.ofMillis(50)));
      ConcurrentFuture<Integer> notRetried =
          tiny.submit(new Tasks.Square(4), MemberLossPolicy.FAIL_FAST, RetryPolicy.none());
      assertThatThrownBy(() -> notRetried.result(PATIENCE))
          .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
          .hasMessageContaining("queue is full")
          .hasMessageContaining("did not run");
      Thread.sleep(200); // refusedOnce was refused and waits for its next attempt
      assertThat(refusedOnce.isDone()).isFalse();
      Tasks.RELEASE.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
      assertThat(blocker.result(PATIENCE)).startsWith("done in");
      assertThat(queued.result(PATIENCE)).isEqualTo(4);
      assertThat(refusedOnce.result(PATIENCE)).isEqualTo(9);
    }
  }

  @Test // issue 17, build 2: today a burst queued without limit
  void theLocalQueueIsBoundedSubmitFailsAtOnceOrWaitsAsChosen() throws Exception {
    String id = "bounded-" + System.nanoTime();
    try (HazelcastFutureExecutor failing =
            overTheMember(owner.instance())
                .maxInFlight(1)
                .maxQueued(2, QueueFullAction.FAIL)
                .build();
        HazelcastFutureExecutor waiting =
            overTheMember(owner.instance())
                .maxInFlight(1)
                .maxQueued(1, QueueFullAction.WAIT)
                .build()) {
      ConcurrentFuture<String> blocker = failing.submit(new Tasks.Blocking(id, null, 10_000));
      ConcurrentFuture<Integer> a = failing.submit(new Tasks.Square(1));
      ConcurrentFuture<Integer> b = failing.submit(new Tasks.Square(2));
      assertThatThrownBy(() -> failing.submit(new Tasks.Square(3)))
          .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
          .hasMessageContaining("local queue is full")
          .hasMessageContaining("maxQueued");
      assertThat(b.cancel()).as("a queued task can still be cancelled").isTrue();
      ConcurrentFuture<Integer> c = failing.submit(new Tasks.Square(3)); // room again

      String id2 = id + "-w";
      ConcurrentFuture<String> blocker2 = waiting.submit(new Tasks.Blocking(id2, null, 10_000));
      ConcurrentFuture<Integer> d = waiting.submit(new Tasks.Square(4));
      CompletableFuture<ConcurrentFuture<Integer>> blockedSubmit =
          CompletableFuture.supplyAsync(() -> waiting.submit(new Tasks.Square(5)));
      Thread.sleep(300);
      assertThat(blockedSubmit).as("submit waits while the queue is full").isNotDone();
      Tasks.RELEASE.computeIfAbsent(id2, k -> new CountDownLatch(1)).countDown();
      assertThat(blockedSubmit.get(10, SECONDS).result(PATIENCE)).isEqualTo(25);
      assertThat(d.result(PATIENCE)).isEqualTo(16);
      assertThat(blocker2.result(PATIENCE)).startsWith("done in");

      Tasks.RELEASE.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
      assertThat(blocker.result(PATIENCE)).startsWith("done in");
      assertThat(a.result(PATIENCE)).isEqualTo(1);
      assertThat(c.result(PATIENCE)).isEqualTo(9);
    }
  }
}
