package dev.eventual.benchmarks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The echo benchmark of the loop's I/O (issue #18) in the report: the JSON that {@code
 * benchmarks/run-echo.sh} writes (one load generator, 100 connections, 1 KiB request/response
 * messages, each server in turn) as a table of every server, and as ratios against the issue's
 * targets. A ratio here is eventual's time per message over the peer's (the inverse of their
 * throughputs), so that it reads like every other ratio of the report: lower is better, and "≥ 2×
 * uvloop's throughput" is the target "≤ 0.5". Used by {@link Report}.
 */
final class EchoComparison {
  private EchoComparison() {}

  /**
   * One server's result.
   *
   * @param server the name the script gave it, for example "eventual protocol (JDK 17)"
   * @param messagesPerSecond request/response round trips per second, over all connections
   * @param p50Us the median round trip, in microseconds
   * @param p99Us the 99th percentile round trip, in microseconds
   * @param p999Us the 99.9th percentile round trip, in microseconds
   * @param serverCpuShare the server's CPU time over the measured time (1 = its whole core), or NaN
   *     when the run did not read it
   * @param serverSystemShare the part of it spent in the kernel, or NaN
   * @param loadCpuShare the load generator's own CPU time over the measured time, or NaN
   */
  record Server(
      String server,
      double messagesPerSecond,
      long p50Us,
      long p99Us,
      long p999Us,
      double serverCpuShare,
      double serverSystemShare,
      double loadCpuShare) {
    /** Nanoseconds per message at this throughput. */
    double nsPerMessage() {
      return 1e9 / messagesPerSecond;
    }

    /** The server's CPU nanoseconds per message (user and kernel), or NaN. */
    double cpuNsPerMessage() {
      return serverCpuShare * 1e9 / messagesPerSecond;
    }

    /** The server's kernel CPU nanoseconds per message, or NaN. */
    double systemNsPerMessage() {
      return serverSystemShare * 1e9 / messagesPerSecond;
    }
  }

  /**
   * What {@code run-echo.sh} measured.
   *
   * @param connections the concurrent connections of the load generator
   * @param size the message size in bytes
   * @param seconds the measured seconds per server
   * @param servers every server, in the script's order
   */
  record Echo(int connections, int size, double seconds, List<Server> servers) {}

  /**
   * Reads the script's JSON.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is not the script's format or lists no server
   */
  static Echo read(Path file) throws IOException {
    JsonElement root = JsonParser.parseString(Files.readString(file));
    if (!root.isJsonArray() || root.getAsJsonArray().isEmpty()) {
      throw new IllegalArgumentException(file + " is not the JSON of run-echo.sh (no servers)");
    }
    List<Server> servers = new ArrayList<>();
    JsonObject first = null;
    for (JsonElement e : root.getAsJsonArray()) {
      JsonObject o = e.getAsJsonObject();
      if (!o.has("server") || !o.has("result")) {
        throw new IllegalArgumentException(
            file + " is not the JSON of run-echo.sh (an entry without \"server\" or \"result\")");
      }
      JsonObject r = o.getAsJsonObject("result");
      first = first == null ? r : first;
      servers.add(
          new Server(
              o.get("server").getAsString(),
              r.get("messages_per_second").getAsDouble(),
              r.get("p50_us").getAsLong(),
              r.get("p99_us").getAsLong(),
              r.get("p999_us").getAsLong(),
              optional(r, "server_cpu_share"),
              optional(r, "server_system_share"),
              optional(r, "load_cpu_share")));
    }
    return new Echo(
        first.get("connections").getAsInt(),
        first.get("size").getAsInt(),
        first.get("seconds").getAsDouble(),
        servers);
  }

  private static double optional(JsonObject r, String field) {
    return r.has(field) ? r.get(field).getAsDouble() : Double.NaN;
  }

  private static final Pattern EVENTUAL =
      Pattern.compile("eventual (protocol|streams) \\(JDK (\\d+)\\)");

  /**
   * The issue's targets, one row per eventual server and JDK: protocols ≥ 2× uvloop's throughput
   * and ≥ 0.8× Netty's on the same JDK; streams ≥ uvloop's streams.
   */
  static List<Report.Ratio> ratios(Echo echo) {
    List<Report.Ratio> rows = new ArrayList<>();
    for (Server s : echo.servers()) {
      Matcher m = EVENTUAL.matcher(s.server());
      if (!m.matches()) {
        continue;
      }
      String kind = m.group(1);
      String jdk = m.group(2);
      if (kind.equals("protocol")) {
        find(echo, "uvloop .* protocol")
            .ifPresent(p -> rows.add(row(s, p, jdk, 1 / 2.0, "≥ 2× uvloop's messages/s")));
        find(echo, "uvloop .* protocol")
            .filter(p -> !Double.isNaN(p.cpuNsPerMessage() + s.cpuNsPerMessage()))
            .ifPresent(p -> rows.add(cpuRow(s, p, jdk, 1 / 2.0, "≥ 2× uvloop's")));
        find(echo, "Netty NIO \\(JDK " + jdk + "\\)")
            .ifPresent(p -> rows.add(row(s, p, jdk, 1 / 0.8, "≥ 0.8× Netty's messages/s")));
      } else {
        find(echo, "uvloop .* streams")
            .ifPresent(p -> rows.add(row(s, p, jdk, 1.0, "≥ uvloop streams' messages/s")));
      }
    }
    return rows;
  }

  private static Optional<Server> find(Echo echo, String regex) {
    return echo.servers().stream().filter(s -> s.server().matches(regex)).findFirst();
  }

  private static Report.Ratio row(Server ev, Server peer, String jdk, double target, String goal) {
    return ratio("time per message: " + goal, ev, peer, jdk, target, Server::nsPerMessage);
  }

  private static Report.Ratio cpuRow(
      Server ev, Server peer, String jdk, double target, String goal) {
    return ratio(
        "server CPU per message (capacity of one core): " + goal,
        ev,
        peer,
        jdk,
        target,
        Server::cpuNsPerMessage);
  }

  private static Report.Ratio ratio(
      String what,
      Server ev,
      Server peer,
      String jdk,
      double target,
      java.util.function.ToDoubleFunction<Server> ns) {
    return new Report.Ratio(
        "echo over loopback, " + what,
        jdk,
        ev.server(),
        peer.server(),
        new double[] {ns.applyAsDouble(ev), Double.NaN},
        new double[] {ns.applyAsDouble(peer), Double.NaN},
        target,
        "");
  }

  /** The report's echo section: every server, then the targets. */
  static void appendSection(StringBuilder md, Echo echo) {
    md.append("\n## Echo over loopback (the loop's I/O)\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "From `docs/echo-result.json`, written by `benchmarks/run-echo.sh`: one load"
                    + " generator (`EchoLoad`, %d connections, %d-byte request/response messages,"
                    + " a closed loop per connection, %.0f s per server) against each server in"
                    + " turn, every server in its own process on 127.0.0.1, the server pinned to"
                    + " one core and the load to the other. One run: servers within about 20%% of"
                    + " each other are not ranked by it.\n\n",
                echo.connections(),
                echo.size(),
                echo.seconds()))
        .append(
            "| server | messages/s | p50 µs | p99 µs | p99.9 µs | server CPU share | server CPU"
                + " per message, ns (kernel) | messages per server CPU second | generator CPU"
                + " share |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (Server s : echo.servers()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %d | %d | %d | %s | %s | %s | %s |\n",
              s.server(),
              s.messagesPerSecond(),
              s.p50Us(),
              s.p99Us(),
              s.p999Us(),
              share(s.serverCpuShare()),
              Double.isNaN(s.cpuNsPerMessage())
                  ? "n/a"
                  : String.format(
                      Locale.ROOT, "%,.0f (%,.0f)", s.cpuNsPerMessage(), s.systemNsPerMessage()),
              Double.isNaN(s.cpuNsPerMessage())
                  ? "n/a"
                  : String.format(Locale.ROOT, "%,.0f", 1e9 / s.cpuNsPerMessage()),
              share(s.loadCpuShare())));
    }
    md.append(
        "\nThe CPU columns come from `/proc/<pid>/stat` over the measured interval. A generator"
            + " CPU share near 1 means the one generator on its one core was the limit, and the"
            + " server's messages per CPU second is then what it would carry with its core to"
            + " itself. The kernel's part of a message (the loopback TCP stack, the same for"
            + " every server) bounds how far apart servers can be: no server can carry more"
            + " messages per CPU second than one over its kernel time per message.\n");
    md.append(
        "\nThe targets, as ratios of time per message (eventual's over the peer's, the inverse"
            + " of their throughputs; lower is better):\n\n");
    Report.targetTable(md, ratios(echo));
  }

  private static String share(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }
}
