package dev.eventual.benchmarks;

import static dev.eventual.loop.Await.await;

import dev.eventual.loop.Asyncio;
import dev.eventual.loop.EventLoop;
import dev.eventual.loop.Task;
import dev.eventual.loop.TaskBody;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Live bytes per suspended task, by class: the program of {@code LoopTasksBenchmark} ({@code n}
 * tasks, each awaiting {@code Asyncio.sleep}, gathered), stopped at its peak, when every task is
 * suspended in its sleep. A callback scheduled after the tasks' first steps takes a class histogram
 * of the live heap there ({@code jcmd GC.class_histogram}, which collects first) for {@code n} and
 * for {@code n / 2} tasks; the difference, divided by {@code n / 2}, is what one more suspended
 * task keeps alive, whatever the program holds besides. The tasks run many times first, so that
 * their frames are compiled as in a benchmark (an interpreted frame takes more room in a task's
 * frozen stack).
 *
 * <p>Run on JDK 21+ with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} for the
 * continuation runtime: {@code java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp
 * benchmarks/target/benchmarks.jar dev.eventual.benchmarks.SuspendedTaskFootprint [n] [sleepMs]}.
 */
public final class SuspendedTaskFootprint {
  private SuspendedTaskFootprint() {}

  /**
   * Prints the bytes per suspended task, in all and for each class that holds at least 4 of them.
   *
   * @param args the number of tasks (default 100,000) and the sleep in milliseconds (default 0)
   * @throws Exception if the histogram cannot be taken
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int sleepMs = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    for (int i = 0; i < 30; i++) {
      run(10_000, sleepMs, false);
    }
    Map<String, long[]> half = run(n / 2, sleepMs, true);
    Map<String, long[]> full = run(n, sleepMs, true);
    int more = n - n / 2;
    long total = 0;
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, long[]> e : full.entrySet()) {
      long[] h = half.getOrDefault(e.getKey(), new long[2]);
      long bytes = e.getValue()[1] - h[1];
      long count = e.getValue()[0] - h[0];
      total += bytes;
      if (Math.abs(bytes) >= more) {
        lines.add(
            String.format(
                Locale.ROOT,
                "%8.1f B/task %6.2f objects/task  %s",
                (double) bytes / more,
                (double) count / more,
                e.getKey()));
      }
    }
    lines.sort((a, b) -> Double.compare(bytesOf(b), bytesOf(a)));
    System.out.println(
        "runtime="
            + EventLoop.taskRuntime()
            + " java="
            + Runtime.version()
            + " n="
            + n
            + " sleepMs="
            + sleepMs);
    System.out.printf(Locale.ROOT, "%8.1f B/task live in all%n", (double) total / more);
    lines.forEach(System.out::println);
  }

  private static double bytesOf(String line) {
    return Double.parseDouble(line.trim().split(" ")[0]);
  }

  /** Runs the program once; with {@code probe}, returns the live histogram at its peak. */
  private static Map<String, long[]> run(int n, int sleepMs, boolean probe) {
    Duration sleep = Duration.ofMillis(sleepMs);
    TaskBody<Integer> child =
        () -> {
          Asyncio.sleep(sleep);
          return 1;
        };
    Map<String, long[]> histogram = new HashMap<>();
    int total =
        Asyncio.run(
            () -> {
              List<Task<Integer>> tasks = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                tasks.add(Asyncio.createTask(child));
              }
              if (probe) { // runs after every task's first step: all of them sleep now
                EventLoop.getRunningLoop().callSoon(() -> histogram.putAll(histogram()));
              }
              int sum = 0;
              for (int v : await(Asyncio.gather(tasks))) {
                sum += v;
              }
              return sum;
            });
    if (total != n) {
      throw new AssertionError("gathered " + total + " of " + n);
    }
    return histogram;
  }

  /** The live heap by class name: instances and bytes. */
  private static Map<String, long[]> histogram() {
    String text;
    try {
      text =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "gcClassHistogram",
                      new Object[] {new String[0]},
                      new String[] {String[].class.getName()});
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Map<String, long[]> out = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return out;
  }
}
