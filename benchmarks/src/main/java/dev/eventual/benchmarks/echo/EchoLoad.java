package dev.eventual.benchmarks.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Locale;

/**
 * The load generator of the echo benchmark: {@code connections} sockets on one selector thread,
 * each sending a message of {@code size} bytes, waiting for all of it to come back, and sending the
 * next (a closed loop per connection). Counts the round trips after a warm-up and records each
 * one's latency in a histogram of microseconds. Prints one JSON line.
 *
 * <p>Given the server's process id, it also reads the server's CPU time ({@code /proc/<pid>/stat},
 * user + system, every thread) at the start and the end of the measured interval, and its own:
 * {@code messages_per_server_cpu_second} is what the server would carry with its core to itself, a
 * figure that does not depend on whether this one generator on one core could drive it faster
 * ({@code load_cpu_share} near 1 says the generator was the limit).
 *
 * <p>Usage: {@code EchoLoad host port connections size warmupSeconds seconds [serverPid
 * [clockTicksPerSecond]]} (clock ticks: {@code getconf CLK_TCK}, 100 by default).
 */
public final class EchoLoad {
  private EchoLoad() {}

  private static final int MAX_MICROS = 1_000_000;

  /** One connection's state. */
  private static final class Conn {
    final SocketChannel ch;
    final ByteBuffer out;
    final ByteBuffer in;
    long sentAt;

    Conn(SocketChannel ch, int size) {
      this.ch = ch;
      byte[] msg = new byte[size];
      for (int i = 0; i < size; i++) {
        msg[i] = (byte) ('a' + i % 26);
      }
      this.out = ByteBuffer.allocateDirect(size).put(msg).flip();
      this.in = ByteBuffer.allocateDirect(size);
    }
  }

  /**
   * Runs the load.
   *
   * @param args host port connections size warmupSeconds seconds
   * @throws IOException if a connection fails
   */
  public static void main(String[] args) throws IOException {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int connections = Integer.parseInt(args[2]);
    int size = Integer.parseInt(args[3]);
    long warmupNanos = (long) (Double.parseDouble(args[4]) * 1e9);
    long measureNanos = (long) (Double.parseDouble(args[5]) * 1e9);
    long serverPid = args.length > 6 ? Long.parseLong(args[6]) : -1;
    double ticksPerSecond = args.length > 7 ? Double.parseDouble(args[7]) : 100;
    long[] histogram = new long[MAX_MICROS + 1];
    long[] serverTicksAtStart = null;
    long ownCpuAtStart = -1;
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < connections; i++) {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.configureBlocking(false);
        Conn c = new Conn(ch, size);
        ch.register(selector, SelectionKey.OP_READ, c);
        send(c);
      }
      long start = System.nanoTime();
      long measureFrom = start + warmupNanos;
      long end = measureFrom + measureNanos;
      long count = 0;
      long now;
      while ((now = System.nanoTime()) < end) {
        if (ownCpuAtStart < 0 && now >= measureFrom) {
          serverTicksAtStart = cpuTicks(serverPid);
          ownCpuAtStart = ownCpuNanos();
        }
        selector.select(100);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          Conn c = (Conn) key.attachment();
          if (key.isWritable()) {
            c.ch.write(c.out);
            if (!c.out.hasRemaining()) {
              key.interestOps(SelectionKey.OP_READ);
            }
          }
          if (key.isReadable()) {
            if (c.ch.read(c.in) < 0) {
              throw new IOException("the server closed a connection");
            }
            if (!c.in.hasRemaining()) {
              long t = System.nanoTime();
              if (c.sentAt >= measureFrom) {
                count++;
                histogram[(int) Math.min(MAX_MICROS, (t - c.sentAt) / 1000)]++;
              }
              c.in.clear();
              if (!send(c)) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
              }
            }
          }
        }
      }
      long[] serverTicksAtEnd = cpuTicks(serverPid);
      long userTicks = serverTicksAtEnd[0] - serverTicksAtStart[0];
      long systemTicks = serverTicksAtEnd[1] - serverTicksAtStart[1];
      long ownCpu = ownCpuNanos() - ownCpuAtStart;
      for (SelectionKey key : selector.keys()) {
        key.channel().close();
      }
      double seconds = measureNanos / 1e9;
      String cpu = "";
      if (serverPid > 0) {
        double serverCpu = (userTicks + systemTicks) / ticksPerSecond;
        cpu =
            String.format(
                Locale.ROOT,
                ", \"server_cpu_share\": %.3f, \"server_system_share\": %.3f,"
                    + " \"messages_per_server_cpu_second\": %.0f, \"load_cpu_share\": %.3f",
                serverCpu / seconds,
                systemTicks / ticksPerSecond / seconds,
                serverCpu > 0 ? count / serverCpu : 0,
                ownCpu / 1e9 / seconds);
      }
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"connections\": %d, \"size\": %d, \"seconds\": %.1f, \"messages\": %d,"
                  + " \"messages_per_second\": %.0f, \"p50_us\": %d, \"p99_us\": %d,"
                  + " \"p999_us\": %d%s}",
              connections,
              size,
              seconds,
              count,
              count / seconds,
              percentile(histogram, count, 0.50),
              percentile(histogram, count, 0.99),
              percentile(histogram, count, 0.999),
              cpu));
    }
  }

  /** User and system CPU of a process, all threads, in clock ticks; zeros without a pid. */
  private static long[] cpuTicks(long pid) throws IOException {
    if (pid <= 0) {
      return new long[2];
    }
    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
    // fields after the command name (which may hold spaces) in parentheses; utime, stime: 14, 15
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Starts sending the connection's message; true if it all went at once. */
  private static boolean send(Conn c) throws IOException {
    c.out.rewind();
    c.sentAt = System.nanoTime();
    c.ch.write(c.out);
    return !c.out.hasRemaining();
  }

  private static int percentile(long[] histogram, long count, double p) {
    long target = (long) Math.ceil(count * p);
    long seen = 0;
    for (int us = 0; us < histogram.length; us++) {
      seen += histogram[us];
      if (seen >= target && target > 0) {
        return us;
      }
    }
    return -1;
  }
}
