package dev.eventual.benchmarks;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.eventual.ConcurrentFuture;
import dev.eventual.hazelcast.HazelcastFutureExecutor;
import dev.eventual.hazelcast.HazelcastFutureExecutorBuilder;
import dev.eventual.hazelcast.SerializableCallable;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * eventual's {@link HazelcastFutureExecutor} against Hazelcast's own {@link IExecutorService} on
 * the same cluster, through the same client, running the same task: issue 17's cost target (at most
 * 1.1× Hazelcast's time on a burst of 10,000 tiny tasks).
 *
 * <p>The cluster is two members started in the benchmark's own JVM (the issue allows it), joined
 * over 127.0.0.1, and one smart client connected to both; every task travels client → member →
 * client over loopback TCP and is serialized both ways, for both libraries. Each member's {@code
 * eventual} executor service has eventual's default pool. The scenarios: {@code burst} submits
 * {@value #TASKS} tasks, then reads every result ({@code eventualBurst} against {@code
 * hazelcastBurst}); {@code oneByOne} submits a task and waits for its result before the next
 * ({@code eventualOneByOne} against {@code hazelcastOneByOne}). Time is per task. eventual runs
 * with its default FAIL_FAST policy and windows; Hazelcast's executor picks a member per task
 * itself. The system property {@code eventual.bench.maxInFlight} (for example {@code -jvmArgs
 * -Deventual.bench.maxInFlight=1024}) sets eventual's largest window, to measure what the window
 * costs a burst.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dhazelcast.logging.type=none"})
public class HazelcastBurstBenchmark extends BenchmarkDefaults {
  /** Tasks per burst. */
  static final int TASKS = 10_000;

  /** The task: squares its number on a member. */
  public record Square(int x) implements SerializableCallable<Integer> {
    @Override
    public Integer call() {
      return x * x;
    }
  }

  private HazelcastInstance first;
  private HazelcastInstance second;
  private HazelcastInstance client;
  private HazelcastFutureExecutor eventual;
  private IExecutorService hazelcast;
  private Square[] work;
  private Object[] futures;

  /** Starts two members and a client, and both executors on them. */
  @Setup(Level.Trial)
  public void startCluster() {
    HazelcastFutureExecutorBuilder b =
        HazelcastFutureExecutor.builder()
            .clusterName("eventual-bench-" + UUID.randomUUID())
            .allowPackages("dev.eventual.benchmarks");
    first = Hazelcast.newHazelcastInstance(b.memberConfig());
    String firstAddress = address(first);
    second = Hazelcast.newHazelcastInstance(b.joining(firstAddress).memberConfig());
    ClientConfig cc = new ClientConfig().setClusterName(b.clusterName());
    cc.setProperty("hazelcast.logging.type", "none");
    cc.getNetworkConfig().addAddress(firstAddress, address(second));
    client = HazelcastClient.newHazelcastClient(cc);
    Integer window = Integer.getInteger("eventual.bench.maxInFlight");
    if (window != null) {
      b.maxInFlight(window);
    }
    eventual = b.instance(client).build();
    hazelcast = client.getExecutorService("eventual");
    work = new Square[TASKS];
    for (int i = 0; i < TASKS; i++) {
      work[i] = new Square(i & 1023);
    }
    futures = new Object[TASKS];
  }

  private static String address(HazelcastInstance member) {
    var a = member.getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
  }

  /** Stops the executors, the client and the members. */
  @TearDown(Level.Trial)
  public void stopCluster() {
    eventual.shutdown(true, false);
    client.shutdown();
    second.getLifecycleService().terminate();
    first.getLifecycleService().terminate();
  }

  private static int expected(int i) {
    int x = i & 1023;
    return x * x;
  }

  /**
   * eventual: submit the whole burst, then read each result.
   *
   * @return a checksum of the results
   */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public long eventualBurst() {
    for (int i = 0; i < TASKS; i++) {
      futures[i] = eventual.submit(work[i]);
    }
    long sum = 0;
    for (int i = 0; i < TASKS; i++) {
      @SuppressWarnings("unchecked")
      ConcurrentFuture<Integer> f = (ConcurrentFuture<Integer>) futures[i];
      int v = f.result();
      if (v != expected(i)) {
        throw new AssertionError("task " + i + " gave " + v);
      }
      sum += v;
    }
    return sum;
  }

  /**
   * Hazelcast's {@code IExecutorService}: submit the whole burst, then {@code get} each result.
   *
   * @return a checksum of the results
   * @throws Exception if a task failed
   */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public long hazelcastBurst() throws Exception {
    for (int i = 0; i < TASKS; i++) {
      futures[i] = hazelcast.submit(work[i]);
    }
    long sum = 0;
    for (int i = 0; i < TASKS; i++) {
      @SuppressWarnings("unchecked")
      Future<Integer> f = (Future<Integer>) futures[i];
      int v = f.get();
      if (v != expected(i)) {
        throw new AssertionError("task " + i + " gave " + v);
      }
      sum += v;
    }
    return sum;
  }

  /**
   * eventual: one task at a time, submit then wait for its result.
   *
   * @return the result
   */
  @Benchmark
  public int eventualOneByOne() {
    return eventual.submit(work[7]).result();
  }

  /**
   * Hazelcast: one task at a time, submit then {@code get}.
   *
   * @return the result
   * @throws ExecutionException if the task failed
   * @throws InterruptedException if interrupted while waiting
   */
  @Benchmark
  public int hazelcastOneByOne() throws ExecutionException, InterruptedException {
    return hazelcast.submit(work[7]).get();
  }
}
