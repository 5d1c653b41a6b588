package dev.eventual.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one JMH JSON run (plus the footprint JSON) into {@code docs/performance.md} and {@code
 * docs/performance.svg}: for each scenario, eventual's time divided by each peer's time from the
 * same run, against the targets of the benchmarks issue. Two optional inputs add sections: the JMH
 * JSON of the loop benchmarks run again on a newer JDK (21+; the {@code await} target is for JDK
 * 25), and the JSON of {@code benchmarks/cpython_bench.py}, which times CPython's own futures on
 * the same scenarios.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.eventual.benchmarks.Report jmh.json footprint.json
 * docs/ [--newer-jdk=jmh-newer.json] [--cpython=cpython.json]}; {@code jmh.json} may list several
 * files separated by commas, read as one run.
 */
public final class Report {
  private Report() {}

  /** A ratio to report: eventual's method over a peer's method in one scenario class. */
  record Target(String scenario, String eventual, String peer, double target, String label) {}

  /** The targets of the benchmarks issue (lower is better). */
  static final List<Target> TARGETS =
      List.of(
          new Target(
              "CreateCompleteBenchmark",
              "eventual",
              "completableFuture",
              1.0,
              "create + complete + result, one thread"),
          new Target(
              "OneCallbackBenchmark",
              "eventual",
              "guavaDirectExecutor",
              0.85,
              "create + one callback + complete"),
          new Target(
              "ChainBenchmark",
              "eventualContinueWith",
              "completableFutureThenApply",
              0.9,
              "chain of 100 continueWith, then complete"),
          new Target(
              "CombineBenchmark",
              "eventualCombine",
              "guavaAllAsList",
              0.8,
              "combine 1,000 pending futures, complete all"),
          new Target(
              "HandoffBenchmark",
              "eventualResult",
              "completableFutureJoin",
              1.0,
              "cross-thread hand-off, blocked in result"),
          new Target(
              "TinyTasksBenchmark",
              "eventualWrappedForkJoin",
              "completableFutureSupplyAsync",
              1.0,
              "tiny tasks on a 2-thread ForkJoinPool (FutureExecutor.wrap vs supplyAsync)"),
          new Target(
              "TinyTasksBenchmark",
              "eventualThreadPool",
              "completableFutureSupplyAsync",
              1.0,
              "tiny tasks on 2 workers (ThreadPoolFutureExecutor vs supplyAsync on FJP)"),
          new Target(
              "TinyTasksBenchmark",
              "eventualThreadPool",
              "jdkThreadPoolExecutor",
              1.1,
              "tiny tasks on 2 workers (ThreadPoolFutureExecutor vs raw ThreadPoolExecutor)"),
          new Target(
              "CreateCompleteBenchmark",
              "eventual",
              "floorAllocateCasRead",
              1.1,
              "create + complete + result vs the floor (allocate + CAS + read)"),
          new Target(
              "CreateCompleteBenchmark",
              "eventualRecord",
              "completableFutureRecord",
              1.0,
              "create + complete + result, a record result"),
          new Target(
              "OneCallbackBenchmark",
              "eventual",
              "floorOneSlotFuture",
              1.25,
              "create + one callback + complete vs the floor (one-slot future)"),
          new Target(
              "TinyTasksBenchmark",
              "eventualWrappedForkJoin",
              "forkJoinSubmitGet",
              1.15,
              "tiny tasks, FutureExecutor.wrap(ForkJoinPool) vs raw ForkJoinPool.submit + get"),
          new Target(
              "TinyTasksBenchmark",
              "eventualThreadPoolCombine",
              "completableFutureAllOf",
              1.0,
              "tiny tasks, ThreadPoolFutureExecutor + combine vs supplyAsync + allOf"),
          new Target(
              "TinyTasksBenchmark",
              "eventualThreadPoolMap",
              "completableFutureMap",
              1.0,
              "tiny tasks, ThreadPoolFutureExecutor.map vs supplyAsync of the function + join each"),
          new Target(
              "LoopFutureBenchmark",
              "eventual",
              "completableFuture",
              0.5,
              "loop: LoopFuture create + callback through callSoon + complete"),
          new Target(
              "LoopCallSoonBenchmark",
              "eventualCallSoon",
              "nettyExecute",
              1.0,
              "loop: callSoon throughput (time per callback)"),
          new Target(
              "EagerTaskBenchmark",
              "eventualEager",
              "eventualLazy",
              0.5,
              "loop: a task that ends without suspending, eager vs lazy (continuations on 21+)"),
          new Target(
              "HazelcastBurstBenchmark",
              "eventualBurst",
              "hazelcastBurst",
              1.1,
              "hazelcast: a burst of 10,000 tiny tasks, HazelcastFutureExecutor vs IExecutorService"),
          new Target(
              "HazelcastBurstBenchmark",
              "eventualOneByOne",
              "hazelcastOneByOne",
              Double.NaN,
              "hazelcast: submit then wait, one task at a time"),
          new Target(
              "EagerTaskBenchmark",
              "eagerAwaitEach",
              "lazyAwaitEach",
              0.5,
              "loop: await createTask(child) one by one, eager vs lazy (continuations on 21+)"));

  /**
   * One ratio of the report: eventual's score over a peer's score, in one JMH run.
   *
   * @param label the scenario
   * @param jdk the JDK version of the run
   * @param eventual eventual's benchmark
   * @param peer the peer's benchmark (or implementation)
   * @param ev eventual's {score, error} in ns/op
   * @param peerScore the peer's {score, error} in ns/op (error NaN when unknown)
   * @param target the highest ratio the issue accepts, NaN when it sets none
   * @param note why the target is not judged here, or empty
   */
  record Ratio(
      String label,
      String jdk,
      String eventual,
      String peer,
      double[] ev,
      double[] peerScore,
      double target,
      String note) {
    double ratio() {
      return ev[0] / peerScore[0];
    }

    boolean judged() {
      return !Double.isNaN(target) && note.isEmpty();
    }

    String targetText() {
      return Double.isNaN(target) ? "" : "≤ " + target;
    }

    String verdict() {
      return judged() ? (ratio() <= target ? "met" : "missed") : note;
    }
  }

  /**
   * One JMH run: its scores and the JDK it ran on.
   *
   * @param scores "Class.method[param=value]" → {score, error, bytes allocated per operation (NaN
   *     when the run had no {@code -prof gc})}
   * @param jdk the JDK version, for example {@code 17.0.15}
   * @param jdkMajor its feature version, for example 17
   */
  record Run(Map<String, double[]> scores, String jdk, int jdkMajor) {}

  /**
   * Writes the report.
   *
   * @param args the JMH JSON file, the footprint JSON file, the output directory, then optionally
   *     {@code --newer-jdk=<file>} (the JMH JSON of the loop benchmarks run on JDK 21+) and {@code
   *     --cpython=<file>} (the JSON of {@code benchmarks/cpython_bench.py}) and {@code
   *     --echo=<file>} (the JSON of {@code benchmarks/run-echo.sh}); an optional file that does not
   *     exist is left out of the report, with a note
   * @throws IOException if a file cannot be read or written
   * @throws IllegalArgumentException if the arguments are not as above
   */
  public static void main(String[] args) throws IOException {
    List<String> positional = new ArrayList<>();
    Path newerJdk = null;
    Path cpython = null;
    Path echoFile = null;
    for (String a : args) {
      if (a.startsWith("--newer-jdk=")) {
        newerJdk = Path.of(a.substring("--newer-jdk=".length()));
      } else if (a.startsWith("--cpython=")) {
        cpython = Path.of(a.substring("--cpython=".length()));
      } else if (a.startsWith("--echo=")) {
        echoFile = Path.of(a.substring("--echo=".length()));
      } else if (a.startsWith("--")) {
        throw new IllegalArgumentException("unknown option: " + a + "; " + USAGE);
      } else {
        positional.add(a);
      }
    }
    if (positional.size() != 3) {
      throw new IllegalArgumentException(USAGE + ", got " + positional.size() + " positional args");
    }
    List<Run> runs = new ArrayList<>();
    runs.add(readRun(Path.of(positional.get(0))));
    List<String> absent = new ArrayList<>();
    if (present(newerJdk, absent)) {
      runs.add(readRun(newerJdk));
    }
    CpythonComparison.Cpython py =
        present(cpython, absent) ? CpythonComparison.read(cpython) : null;
    EchoComparison.Echo echo = present(echoFile, absent) ? EchoComparison.read(echoFile) : null;
    JsonObject footprint =
        JsonParser.parseString(Files.readString(Path.of(positional.get(1)))).getAsJsonObject();
    Path out = Path.of(positional.get(2));
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("performance.md"),
        markdown(runs, py, echo, absent, footprint),
        StandardCharsets.UTF_8);
    Files.writeString(
        out.resolve("performance.svg"), svg(allRatios(runs, py, echo)), StandardCharsets.UTF_8);
  }

  private static final String USAGE =
      "usage: Report <jmh.json> <footprint.json> <output dir> [--newer-jdk=<jmh.json>]"
          + " [--cpython=<cpython.json>] [--echo=<echo-result.json>]";

  /** True if an optional input was given and exists; notes a given but missing one. */
  private static boolean present(Path file, List<String> absent) {
    if (file == null) {
      return false;
    }
    if (Files.isRegularFile(file)) {
      return true;
    }
    absent.add(file.toString());
    System.err.println("Report: " + file + " does not exist; leaving it out");
    return false;
  }

  /**
   * Reads a JMH JSON file, or several separated by commas (one JMH run each, for example one per
   * {@code -t}), as one run: their scores and the JDK version of the first benchmark.
   */
  static Run readRun(Path file) throws IOException {
    JsonArray runs = new JsonArray();
    for (String part : file.toString().split(",")) {
      runs.addAll(JsonParser.parseString(Files.readString(Path.of(part))).getAsJsonArray());
    }
    String jdk = "unknown";
    if (runs.size() > 0 && runs.get(0).getAsJsonObject().has("jdkVersion")) {
      jdk = runs.get(0).getAsJsonObject().get("jdkVersion").getAsString();
    }
    return new Run(readJmh(runs), jdk, major(jdk));
  }

  /** The feature version of a JDK version string: 17 for "17.0.15", 25 for "25", 0 if unknown. */
  static int major(String jdk) {
    String digits = jdk.replaceAll("^(\\d+).*", "$1");
    return digits.matches("\\d+") ? Integer.parseInt(digits) : 0;
  }

  /**
   * Reads "Class.method[param=value]" → {score, error, bytes per operation}; the bytes are JMH's
   * {@code gc.alloc.rate.norm} ({@code -prof gc}), NaN without it.
   */
  static Map<String, double[]> readJmh(JsonArray runs) {
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (JsonElement e : runs) {
      JsonObject run = e.getAsJsonObject();
      String name = run.get("benchmark").getAsString();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      StringBuilder p = new StringBuilder();
      if (run.has("params")) {
        for (Map.Entry<String, JsonElement> kv : run.getAsJsonObject("params").entrySet()) {
          p.append(p.length() == 0 ? "[" : ",").append(kv.getKey()).append('=');
          p.append(kv.getValue().getAsString());
        }
      }
      // JMH's -t: several benchmark threads (TinyTasksBenchmark's submitting threads)
      int threads = run.has("threads") ? run.get("threads").getAsInt() : 1;
      if (threads != 1) {
        p.append(p.length() == 0 ? "[" : ",").append("threads=").append(threads);
      }
      if (p.length() > 0) {
        name += p.append(']');
      }
      JsonObject metric = run.getAsJsonObject("primaryMetric");
      double error = metric.get("scoreError").isJsonPrimitive() ? safe(metric, "scoreError") : 0;
      double bytes = Double.NaN;
      if (run.has("secondaryMetrics")
          && run.getAsJsonObject("secondaryMetrics").has("gc.alloc.rate.norm")) {
        JsonObject gc =
            run.getAsJsonObject("secondaryMetrics").getAsJsonObject("gc.alloc.rate.norm");
        bytes = safe(gc, "score");
      }
      scores.put(name, new double[] {metric.get("score").getAsDouble(), error, bytes});
    }
    return scores;
  }

  private static double safe(JsonObject metric, String key) {
    try {
      return metric.get(key).getAsDouble();
    } catch (NumberFormatException nan) {
      return Double.NaN;
    }
  }

  /** The ratios of {@link #TARGETS} whose two benchmarks are in {@code run}, in that order. */
  static List<Ratio> ratios(Run run) {
    List<Ratio> rows = new ArrayList<>();
    for (Target t : TARGETS) {
      // A scenario with JMH parameters gives one ratio per parameter set that both methods ran.
      String eventualKey = t.scenario() + "." + t.eventual();
      for (Map.Entry<String, double[]> e : run.scores().entrySet()) {
        String key = e.getKey();
        if (!key.equals(eventualKey) && !key.startsWith(eventualKey + "[")) {
          continue;
        }
        String params = key.substring(eventualKey.length());
        double[] peer = run.scores().get(t.scenario() + "." + t.peer() + params);
        if (peer != null) {
          rows.add(
              new Ratio(
                  t.label() + (params.isEmpty() ? "" : " " + params),
                  run.jdk(),
                  t.eventual(),
                  t.peer(),
                  e.getValue(),
                  peer,
                  t.target(),
                  ""));
        }
      }
    }
    return rows;
  }

  /**
   * Every ratio of the report, as the chart shows them: each run's targets, then CPython's, then
   * the echo benchmark's.
   */
  static List<Ratio> allRatios(
      List<Run> runs, CpythonComparison.Cpython py, EchoComparison.Echo echo) {
    List<Ratio> all = new ArrayList<>();
    for (Run run : runs) {
      all.addAll(ratios(run));
    }
    if (py != null) {
      all.addAll(CpythonComparison.ratios(runs, py));
    }
    if (echo != null) {
      all.addAll(EchoComparison.ratios(echo));
    }
    return all;
  }

  static String markdown(
      List<Run> runs,
      CpythonComparison.Cpython py,
      EchoComparison.Echo echo,
      List<String> absent,
      JsonObject footprint) {
    Run main = runs.get(0);
    StringBuilder md = new StringBuilder();
    md.append("# Performance\n\n")
        .append("Generated by `dev.eventual.benchmarks.Report` from one JMH run of `benchmarks/`")
        .append(" (see `benchmarks/README.md` for the command). Ratio = eventual's time / the")
        .append(" peer's time in the same run; lower is better.\n\n")
        .append("![ratios](performance.svg)\n\n")
        .append("## Targets (JDK ")
        .append(main.jdk())
        .append(")\n\n");
    targetTable(md, ratios(main));
    for (Run newer : runs.subList(1, runs.size())) {
      md.append("\n## Targets on JDK ")
          .append(newer.jdk())
          .append(" (the benchmarks run again on the newer JDK)\n\n");
      targetTable(md, ratios(newer));
    }
    md.append("\n## eventual vs CPython\n\n");
    if (py == null) {
      md.append("CPython was not timed in this run (no `cpython_bench.py` JSON).\n");
    } else {
      md.append("CPython's own futures (")
          .append(py.version())
          .append(", timed by `benchmarks/cpython_bench.py` on the same machine) on the same")
          .append(" scenarios. Ratio = eventual's time / CPython's time.\n\n")
          .append("| scenario | JDK | eventual benchmark | eventual ns/op | eventual bytes/op |")
          .append(" CPython ns/op | ratio | target | verdict |\n")
          .append("|---|---|---|---|---|---|---|---|---|\n");
      for (Ratio r : CpythonComparison.ratios(runs, py)) {
        md.append("| ")
            .append(String.join(" | ", r.label(), r.jdk(), r.eventual()))
            .append(" | ")
            .append(fmt(r.ev()[0]))
            .append(" ± ")
            .append(fmt(r.ev()[1]))
            .append(" | ")
            .append(fmt(bytes(r.ev())))
            .append(" | ")
            .append(fmt(r.peerScore()[0]))
            .append(" | ")
            .append(String.join(" | ", ratioText(r), r.targetText(), r.verdict()))
            .append(" |\n");
      }
    }
    if (echo != null) {
      EchoComparison.appendSection(md, echo);
    }
    for (String a : absent) {
      md.append("\n`").append(a).append("` was not there: left out of this report.\n");
    }
    md.append("\n## Footprint: a pending future holding one callback (JOL, bytes)\n\n")
        .append("| implementation | bytes | target |\n|---|---|---|\n");
    for (Map.Entry<String, JsonElement> kv : footprint.entrySet()) {
      md.append("| ")
          .append(kv.getKey())
          .append(" | ")
          .append(kv.getValue().getAsLong())
          .append(" | ")
          .append(kv.getKey().equals("eventual") ? "≤ 32" : "")
          .append(" |\n");
    }
    md.append("\n## asCompleted and wait(FIRST_COMPLETED): linear in n\n\n")
        .append(
            "`baselineCreateIntoSet` is not eventual: it only creates the n futures and puts them"
                + " in a hash set, the least any wait does with its input. Where its cost per"
                + " future grows with n as eventual's does, the growth is the memory the futures"
                + " take (the working set outgrows the caches), not the algorithm.\n\n")
        .append("| benchmark | n | ns/op | ns per future | bytes per future |\n")
        .append("|---|---|---|---|---|\n");
    main.scores()
        .forEach(
            (name, s) -> {
              if (name.startsWith("AsCompletedBenchmark.")) {
                String n = name.replaceAll(".*\\[n=(\\d+)].*", "$1");
                md.append("| ")
                    .append(name.replaceAll("\\[.*", ""))
                    .append(" | ")
                    .append(n)
                    .append(" | ")
                    .append(fmt(s[0]))
                    .append(" | ")
                    .append(fmt(s[0] / Double.parseDouble(n)))
                    .append(" | ")
                    .append(fmt(bytes(s) / Double.parseDouble(n)))
                    .append(" |\n");
              }
            });
    for (Run run : runs) {
      md.append("\n## Every score of the run on JDK ")
          .append(run.jdk())
          .append("\n\n| benchmark | ns/op | error | bytes/op |\n|---|---|---|---|\n");
      run.scores()
          .forEach(
              (name, s) ->
                  md.append("| ")
                      .append(name)
                      .append(" | ")
                      .append(fmt(s[0]))
                      .append(" | ")
                      .append(fmt(s[1]))
                      .append(" | ")
                      .append(fmt(bytes(s)))
                      .append(" |\n"));
    }
    return md.toString();
  }

  static void targetTable(StringBuilder md, List<Ratio> rows) {
    md.append("| scenario | eventual | peer | eventual ns/op | peer ns/op | eventual bytes/op |")
        .append(" peer bytes/op | ratio | target | verdict |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Ratio r : rows) {
      md.append("| ")
          .append(
              String.join(
                  " | ",
                  r.label(),
                  r.eventual(),
                  r.peer(),
                  fmt(r.ev()[0]) + " ± " + fmt(r.ev()[1]),
                  fmt(r.peerScore()[0]) + " ± " + fmt(r.peerScore()[1]),
                  fmt(bytes(r.ev())),
                  fmt(bytes(r.peerScore())),
                  ratioText(r),
                  r.targetText(),
                  r.verdict()))
          .append(" |\n");
    }
  }

  /** The bytes per operation of a score, NaN when unknown (no {@code -prof gc}). */
  private static double bytes(double[] score) {
    return score.length > 2 ? score[2] : Double.NaN;
  }

  private static String ratioText(Ratio r) {
    double ratio = r.ratio();
    return String.format(Locale.ROOT, ratio < 0.1 ? "%.3f" : "%.2f", ratio);
  }

  /**
   * A horizontal bar per ratio, with the target marked where there is one; 1.0 is the dashed line.
   * Bars with a target are green when met and red when missed, the others grey.
   */
  static String svg(List<Ratio> rows) {
    int rowHeight = 34;
    int left = 440;
    int width = 900;
    double scale = 160; // pixels per 1.0 of ratio
    int height = 40 + rows.size() * rowHeight + 20;
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " font-family=\"sans-serif\" font-size=\"12\">\n",
                width,
                height))
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append("<text x=\"10\" y=\"20\" font-size=\"14\">eventual time / peer time")
        .append(" (lower is better; | marks the target)</text>\n");
    double one = left + scale;
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"30\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\""
                + " stroke-dasharray=\"4 3\"/>\n",
            one,
            one,
            height - 10));
    int y = 40;
    for (Ratio r : rows) {
      double ratio = r.ratio();
      String colour = !r.judged() ? "#9e9e9e" : ratio <= r.target() ? "#2e7d32" : "#c62828";
      double bar = Double.isNaN(ratio) ? 0 : Math.min(ratio, 2.5) * scale;
      svg.append(
              String.format(
                  Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>\n", y + 12, escape(r.label())))
          .append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"10\" y=\"%d\" font-size=\"10\" fill=\"#555\">vs %s, JDK %s</text>\n",
                  y + 25,
                  escape(r.peer()),
                  escape(r.jdk().replaceAll("^(\\d+).*", "$1"))))
          .append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>\n",
                  left,
                  y + 6,
                  bar,
                  colour))
          .append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
                  left + bar + 4,
                  y + 19,
                  ratioText(r)));
      if (!Double.isNaN(r.target())) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\""
                    + " stroke-width=\"2\"/>\n",
                left + r.target() * scale,
                y,
                left + r.target() * scale,
                y + 27));
      }
      y += rowHeight;
    }
    return svg.append("</svg>\n").toString();
  }

  private static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
