package dev.eventual.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Processor time per operation, beside the wall-clock score: {@code -prof
 * dev.eventual.benchmarks.CpuTimeProfiler}. On 2 cores a scenario with more runnable threads than
 * cores (a submitter and two workers) gets a wall-clock time that depends on how the scheduler
 * shares the cores, and moves by 20% from fork to fork. The processor time every thread of the
 * process spent on the same operations is what a busy server pays, and it shows which side (the
 * benchmark's threads or the pool's) does the extra work. It is not steadier than the wall-clock
 * time: on a shared host whose speed drifts, it drifts as much, so compare only rows of one run.
 *
 * <p>Reports, per operation of the measured iteration:
 *
 * <ul>
 *   <li>{@code cpu.time.norm}: the whole process (every thread: the benchmark's, the pools', the
 *       garbage collector's and the compiler's), from {@code
 *       com.sun.management.OperatingSystemMXBean.getProcessCpuTime()}.
 *   <li>{@code cpu.time.norm.bench}: the benchmark threads only (JMH's {@code jmh-worker} threads:
 *       the submitters of an executor scenario). The rest of the process is the difference.
 * </ul>
 *
 * <p>A spinning thread spends processor time without doing work, so a scenario that spins where its
 * peer parks shows more here than in its score; that is a cost too, and is reported as such.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private long processBefore;
  private long benchBefore;

  /** Creates the profiler; JMH calls this once per fork. */
  public CpuTimeProfiler() {}

  @Override
  public String getDescription() {
    return "processor time per operation: the process, and the benchmark threads alone";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    benchBefore = benchmarkThreadsCpuTime();
    processBefore = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long process = os.getProcessCpuTime() - processBefore;
    long bench = benchmarkThreadsCpuTime() - benchBefore;
    long ops = result.getMetadata().getAllOps();
    List<Result> out = new ArrayList<>();
    if (ops > 0 && process >= 0) {
      out.add(
          new ScalarResult(
              "cpu.time.norm", (double) process / ops, "ns/op", AggregationPolicy.AVG));
      out.add(
          new ScalarResult(
              "cpu.time.norm.bench", (double) bench / ops, "ns/op", AggregationPolicy.AVG));
    }
    return out;
  }

  /**
   * The processor time of JMH's benchmark threads, which live for the whole run of one benchmark in
   * one fork, so that their before and after readings cover the same threads.
   */
  private long benchmarkThreadsCpuTime() {
    long sum = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("jmh-worker")) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        if (t > 0) {
          sum += t;
        }
      }
    }
    return sum;
  }
}
