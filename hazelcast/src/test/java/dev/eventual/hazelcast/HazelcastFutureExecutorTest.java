package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureState;
import dev.eventual.Futures;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded default with real serialization: one lone member for the whole class. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HazelcastFutureExecutorTest {
  private static HazelcastFutureExecutor executor;

  @BeforeAll
  static void start() {
    executor =
        HazelcastFutureExecutor.builder()
            .allowPackages("dev.eventual.hazelcast")
            .maxInFlight(4)
            .build();
  }

  @AfterAll
  static void stop() {
    executor.shutdown(false, true);
    executor.instance().getLifecycleService().terminate();
  }

  @Test
  void theDefaultIsALoneLoopbackMemberWithAUniqueClusterName() {
    try (HazelcastFutureExecutor lone = new HazelcastFutureExecutor()) {
      assertThat(lone.instance().getCluster().getMembers()).hasSize(1);
      assertThat(lone.instance().getCluster().getLocalMember().getAddress().getHost())
          .isEqualTo("127.0.0.1");
      assertThat(lone.instance().getConfig().getClusterName()).startsWith("eventual-");
      assertThat(
              lone.instance()
                  .getConfig()
                  .getNetworkConfig()
                  .getJoin()
                  .getMulticastConfig()
                  .isEnabled())
          .isFalse();
    }
  }

  @Test
  void closeShutsTheOwnedMemberDown() {
    HazelcastFutureExecutor lone = new HazelcastFutureExecutor();
    lone.close();
    assertThat(lone.instance().getLifecycleService().isRunning()).isFalse();
    assertThatThrownBy(() -> lone.submit(new Tasks.Square(2)))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void aSerializableLambdaRunsOnTheMember() {
    int base = 40;
    assertThat(executor.submit(() -> base + 2).result()).isEqualTo(42);
  }

  @Test
  void theTasksExceptionComesBackAsItsOwnTypeWrappedOnceWhenChecked() {
    ConcurrentFuture<Object> f = executor.submit(new Tasks.Throwing(new IOException("disk")));
    assertThatThrownBy(f::result)
        .isExactlyInstanceOf(CompletionException.class)
        .cause()
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("disk");
    ConcurrentFuture<Object> g =
        executor.submit(new Tasks.Throwing(new IllegalArgumentException("bad")));
    assertThatThrownBy(g::result)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad");
  }

  @Test
  void aNonSerializableTaskFailsAtSubmitNamingItsClass() {
    assertThatThrownBy(() -> executor.submit(new Tasks.NotSerializable()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be serialized")
        .hasMessageContaining(Tasks.NotSerializable.class.getName());
    java.util.concurrent.Callable<Integer> plainLambda = () -> 1;
    assertThatThrownBy(() -> executor.submit(plainLambda))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SerializableCallable");
  }

  @Test
  void aTaskClassOutsideTheAllowListIsRefusedAtSubmit() {
    try (HazelcastFutureExecutor strict = HazelcastFutureExecutor.builder().build()) {
      assertThatThrownBy(() -> strict.submit(new Tasks.Square(2)))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining(Tasks.Square.class.getName())
          .hasMessageContaining("allow-list");
    }
  }

  @Test
  void callbacksRunOnTheExecutorsThreadsNotHazelcasts() throws Exception {
    ConcurrentFuture<Integer> f = executor.submit(new Tasks.Square(5));
    AtomicReference<String> thread = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    f.result();
    ConcurrentFuture<Integer> g = executor.submit(new Tasks.Square(6));
    g.addDoneCallback(
        x -> {
          thread.compareAndSet(null, Thread.currentThread().getName());
          ran.countDown();
        });
    assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(thread.get())
        .satisfiesAnyOf(
            n -> assertThat(n).startsWith("eventual-hazelcast-"),
            n -> assertThat(n).isEqualTo(Thread.currentThread().getName()));
    assertThat(thread.get()).doesNotStartWith("hz.");
  }

  @Test
  void submitToKeyOwnerRunsOnThePartitionOwner() {
    assertThat(executor.submitToKeyOwner("order-17", new Tasks.Square(4)).result()).isEqualTo(16);
    assertThat(
            executor
                .submitToKeyOwner("order-17", new Tasks.Square(5), MemberLossPolicy.AT_LEAST_ONCE)
                .result())
        .isEqualTo(25);
  }

  @Test
  void submitToAllGivesAFuturePerMemberAndTheirCombination() {
    MemberResults<Integer> all = executor.submitToAll(new Tasks.Square(7));
    assertThat(all.futures()).hasSize(1);
    assertThat(all.combined().result(Duration.ofSeconds(30))).isEqualTo(List.of(49));
  }

  @Test
  void cancelTrueInterruptsTheTaskOnItsMember() throws Exception {
    String id = "sleeper-" + System.nanoTime();
    Tasks.STARTED.put(id, new CountDownLatch(1));
    ConcurrentFuture<String> f = executor.submit(new Tasks.Sleeper(id));
    assertThat(Tasks.STARTED.get(id).await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(f.isRunning()).isTrue();
    assertThat(f.cancel()).isFalse();
    assertThat(f.cancel(true)).isTrue();
    assertThatThrownBy(f::result).isInstanceOf(CancellationException.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Tasks.RUNS.get(id) == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(Tasks.RUNS.get(id)).as("the member's thread was interrupted").isNotNull();
  }

  @Test
  void mapAndAsCompletedWorkOnTheClustersFutures() {
    java.util.function.Function<Integer, Integer> times10 =
        (java.util.function.Function<Integer, Integer> & java.io.Serializable) i -> i * 10;
    List<Integer> mapped = new java.util.ArrayList<>();
    executor.map(times10, List.of(1, 2, 3)).forEachRemaining(mapped::add);
    assertThat(mapped).containsExactly(10, 20, 30);
    List<ConcurrentFuture<Integer>> fs =
        List.of(executor.submit(new Tasks.Square(2)), executor.submit(new Tasks.Square(3)));
    int sum = 0;
    for (ConcurrentFuture<Integer> f : Futures.asCompleted(fs)) {
      sum += f.result();
    }
    assertThat(sum).isEqualTo(13);
    assertThat(fs.get(0).futureState()).isEqualTo(FutureState.FINISHED);
  }

  @Test // issue 17, defect 1: the future stayed RUNNING forever
  void aResultWhoseDeserializationThrowsAnErrorFailsTheFuture() {
    ConcurrentFuture<Object> f = executor.submit(new Tasks.ReturnsBadOnRead());
    assertThatThrownBy(() -> f.result(Duration.ofSeconds(10)))
        .isInstanceOf(com.hazelcast.nio.serialization.HazelcastSerializationException.class)
        .hasMessageContaining("cannot be deserialized here")
        .hasRootCauseInstanceOf(ExceptionInInitializerError.class);
    assertThat(executor.submit(new Tasks.Square(3)).result(Duration.ofSeconds(10))).isEqualTo(9);
  }

  @Test // issue 17, defect 4: the future failed with the OutOfMemoryError as the task's own
  void aMembersOutOfMemoryErrorIsReportedAsAMemberFailureNotAsTheTasksException() {
    ConcurrentFuture<Object> f =
        executor.submit(new Tasks.ThrowingError(new OutOfMemoryError("Java heap space")));
    assertThatThrownBy(() -> f.result(Duration.ofSeconds(10)))
        .isInstanceOf(WorkerLostException.class)
        .hasMessageContaining("ran out of memory")
        .hasCauseInstanceOf(OutOfMemoryError.class);
    ConcurrentFuture<Object> g =
        executor.submit(new Tasks.ThrowingError(new StackOverflowError("deep")));
    assertThatThrownBy(() -> g.result(Duration.ofSeconds(10)))
        .as("the task's own deep recursion stays the task's exception")
        .isExactlyInstanceOf(StackOverflowError.class)
        .hasMessage("deep");
  }
}
