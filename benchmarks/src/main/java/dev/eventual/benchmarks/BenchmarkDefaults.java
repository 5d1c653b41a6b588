package dev.eventual.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every scenario shares: average time per operation in nanoseconds, one fork, five
 * warm-up iterations of 2 seconds (on 2 cores C2 is still recompiling after 3 × 1 s, which flatters
 * whichever method it happens to finish first), five measured iterations of 1 second. The CI smoke
 * run overrides all of this on the command line ({@code .ci/run}: no warm-up, one 100 ms
 * iteration). In each scenario class the method named {@code eventual...} is eventual; every other
 * method is a peer measured in the same run, and the report divides the first by the others.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    // the export lets loop tasks run as continuations on JDK 21+, as the README recommends
    // (docs/task-runtime.md); LoopTasksBenchmark measures each task runtime on its own
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public abstract class BenchmarkDefaults {
  /** For subclasses. */
  protected BenchmarkDefaults() {}
}
