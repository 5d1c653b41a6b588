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
 * same run, against the targets of the benchmarks issue.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.eventual.benchmarks.Report jmh.json footprint.json
 * docs/}
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
              "eventualThreadPool",
              "completableFutureSupplyAsync",
              1.0,
              "10,000 tiny tasks on 2 workers"),
          new Target(
              "TinyTasksBenchmark",
              "eventualThreadPool",
              "jdkThreadPoolExecutor",
              1.1,
              "10,000 tiny tasks on 2 workers (vs raw ThreadPoolExecutor)"));

  /**
   * Writes the report.
   *
   * @param args the JMH JSON file, the footprint JSON file, the output directory
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: Report <jmh.json> <footprint.json> <output dir>, got " + args.length + " args");
    }
    Map<String, double[]> scores = readJmh(Path.of(args[0]));
    JsonObject footprint =
        JsonParser.parseString(Files.readString(Path.of(args[1]))).getAsJsonObject();
    Path out = Path.of(args[2]);
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("performance.md"), markdown(scores, footprint), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("performance.svg"), svg(scores), StandardCharsets.UTF_8);
  }

  /** Reads "Class.method[param=value]" → {score, error}. */
  static Map<String, double[]> readJmh(Path file) throws IOException {
    JsonArray runs = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (JsonElement e : runs) {
      JsonObject run = e.getAsJsonObject();
      String name = run.get("benchmark").getAsString();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      if (run.has("params")) {
        StringBuilder p = new StringBuilder();
        for (Map.Entry<String, JsonElement> kv : run.getAsJsonObject("params").entrySet()) {
          p.append(p.length() == 0 ? "[" : ",").append(kv.getKey()).append('=');
          p.append(kv.getValue().getAsString());
        }
        name += p.append(']');
      }
      JsonObject metric = run.getAsJsonObject("primaryMetric");
      double error = metric.get("scoreError").isJsonPrimitive() ? safe(metric, "scoreError") : 0;
      scores.put(name, new double[] {metric.get("score").getAsDouble(), error});
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

  /** The ratio rows, in {@link #TARGETS} order, then every other peer in each scenario. */
  static List<String[]> ratios(Map<String, double[]> scores) {
    List<String[]> rows = new ArrayList<>();
    for (Target t : TARGETS) {
      double[] ev = scores.get(t.scenario() + "." + t.eventual());
      double[] peer = scores.get(t.scenario() + "." + t.peer());
      if (ev == null || peer == null) {
        continue;
      }
      double ratio = ev[0] / peer[0];
      rows.add(
          new String[] {
            t.label(),
            t.eventual(),
            t.peer(),
            fmt(ev[0]) + " ± " + fmt(ev[1]),
            fmt(peer[0]) + " ± " + fmt(peer[1]),
            String.format(Locale.ROOT, "%.2f", ratio),
            "≤ " + t.target(),
            ratio <= t.target() ? "met" : "missed"
          });
    }
    return rows;
  }

  static String markdown(Map<String, double[]> scores, JsonObject footprint) {
    StringBuilder md = new StringBuilder();
    md.append("# Performance\n\n")
        .append("Generated by `dev.eventual.benchmarks.Report` from one JMH run of `benchmarks/`")
        .append(" (see `benchmarks/README.md` for the command). Ratio = eventual's time / the")
        .append(" peer's time in the same run; lower is better.\n\n")
        .append("![ratios](performance.svg)\n\n")
        .append("## Targets\n\n")
        .append("| scenario | eventual | peer | eventual ns/op | peer ns/op | ratio | target |")
        .append(" verdict |\n|---|---|---|---|---|---|---|---|\n");
    for (String[] r : ratios(scores)) {
      md.append("| ").append(String.join(" | ", r)).append(" |\n");
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
        .append("| benchmark | n | ns/op | ns per future |\n|---|---|---|---|\n");
    scores.forEach(
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
                .append(" |\n");
          }
        });
    md.append("\n## Every score of the run\n\n| benchmark | ns/op | error |\n|---|---|---|\n");
    scores.forEach(
        (name, s) ->
            md.append("| ")
                .append(name)
                .append(" | ")
                .append(fmt(s[0]))
                .append(" | ")
                .append(fmt(s[1]))
                .append(" |\n"));
    return md.toString();
  }

  /** A horizontal bar per ratio, with the target marked; 1.0 is the dashed line. */
  static String svg(Map<String, double[]> scores) {
    List<String[]> rows = ratios(scores);
    int rowHeight = 28;
    int left = 330;
    int width = 760;
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
    for (String[] r : rows) {
      double ratio = Double.parseDouble(r[5]);
      double target = Double.parseDouble(r[6].substring(2));
      String colour = ratio <= target ? "#2e7d32" : "#c62828";
      svg.append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"10\" y=\"%d\">%s vs %s</text>\n",
                  y + 16,
                  escape(r[0]),
                  escape(r[2])))
          .append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>\n",
                  left,
                  y + 3,
                  Math.min(ratio, 2.5) * scale,
                  colour))
          .append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
                  left + Math.min(ratio, 2.5) * scale + 4,
                  y + 16,
                  r[5]))
          .append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\""
                      + " stroke-width=\"2\"/>\n",
                  left + target * scale,
                  y,
                  left + target * scale,
                  y + 24));
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
