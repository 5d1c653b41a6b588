package dev.eventual.benchmarks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * eventual against its seeds: the JSON of {@code benchmarks/cpython_bench.py} (CPython's {@code
 * concurrent.futures.Future} and {@code asyncio.Future} timed on the JMH scenarios where they
 * apply) paired with the eventual benchmark doing the same work. Used by {@link Report}.
 */
final class CpythonComparison {
  private CpythonComparison() {}

  /**
   * A CPython scenario and its eventual benchmark. {@code target} is NaN when the issue sets none.
   * A target is judged only on a run of a JDK at least {@code minJdk}; a pair without a target is
   * shown only for such runs.
   */
  record Pair(String label, String benchmark, String scenario, double target, int minJdk) {}

  private static List<Pair> pairs() {
    List<Pair> all = new ArrayList<>(FUTURE_PAIRS);
    String[][] runtimes = {
      {"continuation", "LoopTasksBenchmark.continuation"},
      {"virtual threads", "LoopTasksBenchmark.virtualThreads"},
      {"platform threads", "Platform.platformThreads"}
    };
    for (String[] rt : runtimes) {
      all.add(
          new Pair(
              "loop: task switch, ping-pong of two tasks, " + rt[0] + " (asyncio tasks)",
              "PingPong." + rt[1].substring(rt[1].indexOf('.') + 1),
              "asyncio_task_ping_pong",
              Double.NaN,
              0));
    }
    // issue 14's targets: 0.1 x CPython on JDK 25 (continuations, as every fork has the export)
    all.add(
        new Pair(
            "loop: Queue(maxsize=1) hand-off between two tasks, per item (asyncio.Queue)",
            "LoopPrimitivesBenchmark.queueHandoff",
            "asyncio_queue_handoff",
            0.1,
            25));
    all.add(
        new Pair(
            "loop: uncontended Lock acquire + release in a task (asyncio.Lock)",
            "LoopPrimitivesBenchmark.lockUncontended",
            "asyncio_lock_uncontended",
            0.1,
            25));
    for (int n : new int[] {1_000, 10_000, 100_000}) {
      for (int ms : new int[] {0, 10}) {
        for (String[] rt : runtimes) {
          if (n > 10_000 && rt[0].startsWith("platform")) {
            continue; // an OS thread per pending task: not tried
          }
          // the targets, for the fastest runtime on JDK 25: 0.1 x CPython
          boolean targeted =
              rt[0].equals("continuation")
                  && ((n == 100_000 && ms == 10) || (n == 10_000 && ms == 0));
          all.add(
              new Pair(
                  String.format(
                      Locale.ROOT,
                      "loop: %,d tasks each awaiting a %d ms sleep, gathered, %s (asyncio.run)",
                      n,
                      ms,
                      rt[0]),
                  rt[1] + "[n=" + n + ",sleepMs=" + ms + "]",
                  "asyncio_tasks_sleep_gather_" + n + "_" + ms,
                  targeted ? 0.1 : Double.NaN,
                  targeted ? 25 : 0));
        }
      }
    }
    return List.copyOf(all);
  }

  private static final List<Pair> FUTURE_PAIRS =
      List.of(
          new Pair(
              "create + complete + result (concurrent.futures.Future)",
              "CreateCompleteBenchmark.eventual",
              "cf_create_set_result_result",
              Double.NaN,
              0),
          new Pair(
              "create + one callback + complete (concurrent.futures.Future)",
              "OneCallbackBenchmark.eventual",
              "cf_add_done_callback",
              Double.NaN,
              0),
          new Pair(
              "loop: create + callback through callSoon + complete (asyncio.Future)",
              "LoopFutureBenchmark.eventual",
              "asyncio_future_callback",
              Double.NaN,
              0),
          new Pair(
              "loop: callSoon throughput (call_soon)",
              "LoopCallSoonBenchmark.eventualCallSoon",
              "asyncio_call_soon",
              Double.NaN,
              0),
          new Pair(
              "loop: await round trip, Asyncio.run (asyncio task)",
              "LoopAwaitBenchmark.eventualAsyncioRun",
              "asyncio_await_round_trip",
              0.25,
              25),
          new Pair(
              "loop: await round trip, one reused loop (asyncio task)",
              "LoopAwaitBenchmark.eventualLoopOnCallerThread",
              "asyncio_await_round_trip",
              Double.NaN,
              0),
          new Pair(
              "loop: a task that ends without suspending, eager (asyncio.eager_task_factory)",
              "EagerTaskBenchmark.eventualEager",
              "asyncio_eager_task_no_suspend",
              Double.NaN,
              0),
          new Pair(
              "loop: a task that ends without suspending, lazy (asyncio.create_task)",
              "EagerTaskBenchmark.eventualLazy",
              "asyncio_lazy_task_no_suspend",
              Double.NaN,
              0),
          new Pair(
              "loop: await create_task(child) one by one, eager",
              "EagerTaskBenchmark.eagerAwaitEach",
              "asyncio_eager_task_await_each",
              Double.NaN,
              0),
          new Pair(
              "loop: await create_task(child) one by one, lazy",
              "EagerTaskBenchmark.lazyAwaitEach",
              "asyncio_lazy_task_await_each",
              Double.NaN,
              0));

  /** The scenarios of {@code cpython_bench.py}, in its order. */
  static final List<Pair> PAIRS = pairs();

  /** What the CPython script measured: its version and scenario → mean ns/op. */
  record Cpython(String version, Map<String, Double> nsPerOp) {}

  /**
   * Reads the script's JSON.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is not the script's format
   */
  static Cpython read(Path file) throws IOException {
    JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    if (!root.has("scenarios") || !root.has("python")) {
      throw new IllegalArgumentException(
          file + " is not the JSON of cpython_bench.py (no \"scenarios\" or \"python\")");
    }
    Map<String, Double> ns = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> kv : root.getAsJsonObject("scenarios").entrySet()) {
      ns.put(kv.getKey(), kv.getValue().getAsJsonObject().get("ns_per_op").getAsDouble());
    }
    return new Cpython(
        root.get("implementation").getAsString() + " " + root.get("python").getAsString(), ns);
  }

  /**
   * One row per pair and JMH run holding both sides: eventual's time over CPython's. A target is
   * judged only on a run whose JDK is new enough; elsewhere the row says which JDK it needs.
   *
   * @param runs the JMH runs (the default JDK's first)
   * @param cpython the CPython timings
   */
  static List<Report.Ratio> ratios(List<Report.Run> runs, Cpython cpython) {
    List<Report.Ratio> rows = new ArrayList<>();
    for (Pair p : PAIRS) {
      Double py = cpython.nsPerOp().get(p.scenario());
      if (py == null) {
        continue;
      }
      for (Report.Run run : runs) {
        double[] ev = run.scores().get(p.benchmark());
        if (ev == null || (Double.isNaN(p.target()) && run.jdkMajor() < p.minJdk())) {
          continue;
        }
        boolean judged = !Double.isNaN(p.target()) && run.jdkMajor() >= p.minJdk();
        String note =
            Double.isNaN(p.target()) || judged
                ? ""
                : "not judged: the target is for JDK " + p.minJdk() + "+";
        rows.add(
            new Report.Ratio(
                p.label(),
                run.jdk(),
                p.benchmark(),
                cpython.version(),
                ev,
                new double[] {py, Double.NaN},
                p.target(),
                note));
      }
    }
    return rows;
  }
}
