package dev.eventual.benchmarks;

import com.hazelcast.client.config.ClientConfig;
import dev.eventual.ConcurrentFuture;
import dev.eventual.hazelcast.HazelcastFutureExecutor;
import dev.eventual.hazelcast.HazelcastFutureExecutorBuilder;
import dev.eventual.hazelcast.MemberLauncher;
import dev.eventual.hazelcast.SerializableCallable;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;

/**
 * What shipping a task class with {@code builder().shipClasses(...)} costs against a class on the
 * member's class path (docs/cluster.md, "Shipping classes"), measured side by side on one member so
 * that the machine's load touches both alike. Not JMH: the first task is a one-shot. Each round
 * starts a fresh member process ({@link MemberLauncher}, user code deployment on) whose class path
 * holds {@code costtask.Cube}; {@code costtask.ShippedCube}, the same code under another name, is
 * only in this JVM and shipped by the client. Both are compiled at run time. Measured per round, in
 * alternating order: {@code build()} of a client that ships against one that does not, the first
 * task of each class (the member loads {@code Cube} from its class path, defined {@code
 * ShippedCube} when it was shipped), and, after 10,000 tasks of each as warm-up, bursts of 5,000
 * tasks of each class, four times. The medians and the ratios shipped / class path are printed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.eventual.benchmarks.ShippedClassesCost [rounds]
 * </pre>
 */
public final class ShippedClassesCost {
  private static final String ON_CLASS_PATH = "costtask.Cube";
  private static final String SHIPPED = "costtask.ShippedCube";

  private ShippedClassesCost() {}

  /**
   * Runs the rounds (default 3 per variant) and prints the medians and ratios.
   *
   * @param args optional number of rounds per variant
   * @throws Exception if a member or the compiler fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    System.setProperty("hazelcast.logging.type", "none");
    Path dir = Files.createTempDirectory("shipped-cost");
    Path onClassPath = compile(dir, "Cube");
    Path shipped = compile(dir, "ShippedCube");
    List<double[]> rows = new ArrayList<>();
    try (URLClassLoader app =
        new URLClassLoader(
            new URL[] {onClassPath.toUri().toURL(), shipped.toUri().toURL()},
            ShippedClassesCost.class.getClassLoader())) {
      for (int r = 0; r < rounds; r++) {
        double[] m = round(dir, onClassPath, app, r % 2 == 0);
        rows.add(m);
        System.out.printf(
            Locale.ROOT,
            "build %7.1f / %7.1f ms  first task %6.1f / %6.1f ms  burst %5.1f / %5.1f us"
                + " (class path / shipped)%n",
            m[0],
            m[1],
            m[2],
            m[3],
            m[4],
            m[5]);
      }
    }
    double[] med = medians(rows);
    String[] names = {"build_ms", "first_task_ms", "burst_us_per_task"};
    StringBuilder json = new StringBuilder("{\"rounds\": " + rounds);
    for (int i = 0; i < names.length; i++) {
      json.append(
          String.format(
              Locale.ROOT,
              ", \"%s\": {\"classpath\": %.2f, \"shipped\": %.2f, \"ratio\": %.2f}",
              names[i],
              med[2 * i],
              med[2 * i + 1],
              med[2 * i + 1] / med[2 * i]));
    }
    System.out.println(json.append("}"));
  }

  private static double[] medians(List<double[]> rows) {
    double[] m = new double[rows.get(0).length];
    for (int i = 0; i < m.length; i++) {
      final int col = i;
      double[] values = rows.stream().mapToDouble(row -> row[col]).sorted().toArray();
      m[i] = values[values.length / 2];
    }
    return m;
  }

  /**
   * One round: a fresh member, a plain client and a shipping client, both classes measured in the
   * order {@code classPathFirst} says: build, first task, burst (class path, then shipped).
   */
  private static double[] round(Path dir, Path onClassPath, ClassLoader app, boolean classPathFirst)
      throws Exception {
    String cluster = "cost-" + UUID.randomUUID();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path yaml = dir.resolve(cluster + ".yaml");
    Files.writeString(yaml, yaml(cluster, port));
    Process member =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dhazelcast.logging.type=none",
                "-cp",
                System.getProperty("java.class.path") + File.pathSeparator + onClassPath,
                MemberLauncher.class.getName(),
                yaml.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    HazelcastFutureExecutor plain = null;
    HazelcastFutureExecutor shipping = null;
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(member.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.contains(" ready")) {
        // wait for the member
      }
      if (line == null) {
        throw new IllegalStateException("the member process ended before it was ready");
      }
      double[] m = new double[6];
      for (int k = 0; k < 2; k++) {
        boolean ship = (k == 0) != classPathFirst;
        HazelcastFutureExecutorBuilder b = client(cluster, port, app);
        if (ship) {
          b.shipClasses(app.loadClass(SHIPPED));
        }
        long t0 = System.nanoTime();
        HazelcastFutureExecutor e = b.build();
        m[ship ? 1 : 0] = (System.nanoTime() - t0) / 1e6;
        if (ship) {
          shipping = e;
        } else {
          plain = e;
        }
      }
      for (int k = 0; k < 2; k++) {
        boolean ship = (k == 0) != classPathFirst;
        String task = ship ? SHIPPED : ON_CLASS_PATH;
        long t0 = System.nanoTime();
        check(shipping.submit(task(app, task, 3)).result(Duration.ofSeconds(60)), 3);
        m[ship ? 3 : 2] = (System.nanoTime() - t0) / 1e6;
      }
      burst(shipping, app, ON_CLASS_PATH, 10_000);
      burst(shipping, app, SHIPPED, 10_000);
      double[][] bursts = new double[2][4];
      for (int i = 0; i < 4; i++) {
        for (int k = 0; k < 2; k++) {
          boolean ship = (k == 0) != classPathFirst;
          long t0 = System.nanoTime();
          burst(shipping, app, ship ? SHIPPED : ON_CLASS_PATH, 5_000);
          bursts[ship ? 1 : 0][i] = (System.nanoTime() - t0) / 1e3 / 5_000;
        }
      }
      Arrays.sort(bursts[0]);
      Arrays.sort(bursts[1]);
      m[4] = (bursts[0][1] + bursts[0][2]) / 2;
      m[5] = (bursts[1][1] + bursts[1][2]) / 2;
      return m;
    } finally {
      if (plain != null) {
        plain.close();
      }
      if (shipping != null) {
        shipping.close();
      }
      member.destroyForcibly();
      member.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static HazelcastFutureExecutorBuilder client(String cluster, int port, ClassLoader app) {
    ClientConfig cc = new ClientConfig().setClusterName(cluster).setClassLoader(app);
    cc.getNetworkConfig().addAddress("127.0.0.1:" + port);
    return HazelcastFutureExecutor.builder()
        .client(cc)
        .allowPrefixes("costtask.")
        .connectTimeout(Duration.ofSeconds(60));
  }

  private static void burst(HazelcastFutureExecutor executor, ClassLoader app, String task, int n)
      throws Exception {
    List<ConcurrentFuture<Object>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      futures.add(executor.submit(task(app, task, i)));
    }
    for (int i = 0; i < n; i++) {
      check(futures.get(i).result(Duration.ofSeconds(60)), i);
    }
  }

  @SuppressWarnings("unchecked")
  private static SerializableCallable<Object> task(ClassLoader app, String name, int x)
      throws Exception {
    return (SerializableCallable<Object>)
        app.loadClass(name).getDeclaredConstructor(int.class).newInstance(x);
  }

  private static void check(Object result, int x) {
    if (!(result instanceof Long) || (Long) result != (long) x * x * x) {
      throw new AssertionError("wrong result for " + x + ": " + result);
    }
  }

  private static String yaml(String cluster, int port) {
    return String.join(
        "\n",
        "hazelcast:",
        "  cluster-name: " + cluster,
        "  network:",
        "    port:",
        "      port: " + port,
        "      auto-increment: false",
        "    interfaces:",
        "      enabled: true",
        "      interfaces:",
        "        - 127.0.0.1",
        "    join:",
        "      auto-detection:",
        "        enabled: false",
        "      multicast:",
        "        enabled: false",
        "      tcp-ip:",
        "        enabled: true",
        "        member-list:",
        "          - 127.0.0.1:" + port,
        "  properties:",
        "    hazelcast.socket.bind.any: false",
        "  executor-service:",
        "    eventual:",
        "      pool-size: 16",
        "      queue-capacity: 100000",
        "  serialization:",
        "    java-serialization-filter:",
        "      defaults-disabled: false",
        "      whitelist:",
        "        prefix:",
        "          - costtask.",
        "  user-code-deployment:",
        "    enabled: true",
        "  jet:",
        "    enabled: false",
        "");
  }

  /**
   * Compiles {@code costtask.<name>}, a record that cubes its number, into a directory of its own.
   */
  private static Path compile(Path dir, String name) throws IOException {
    Path src = dir.resolve(name + "-src/costtask/" + name + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "package costtask;\n"
            + "public record "
            + name
            + "(int x) implements dev.eventual.hazelcast.SerializableCallable<Long> {\n"
            + "  @Override public Long call() { return (long) x * x * x; }\n"
            + "}\n");
    Path classes = dir.resolve(name + "-classes");
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                errors,
                "--release",
                "17",
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                src.toString());
    if (rc != 0) {
      throw new IllegalStateException("javac failed: " + errors.toString(StandardCharsets.UTF_8));
    }
    return classes;
  }
}
