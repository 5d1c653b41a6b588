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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;

/**
 * What shipping a task class with {@code builder().shipClasses(...)} costs against the same class
 * on the member's class path (docs/cluster.md, "Shipping classes"). Not JMH: the first task is a
 * one-shot. Each round starts a fresh member process ({@link MemberLauncher}, user code deployment
 * on in both variants) and a client in this JVM; the task class is compiled at run time into a
 * directory that is on the member's class path in the {@code classpath} variant and shipped by the
 * client in the {@code shipped} variant. Measured per round: {@code build()} (connect, plus the
 * deployment when shipping), the first task's round trip (the member loads or defines the class),
 * then, after 20,000 tasks of warm-up, 2,000 tasks one by one and a burst of 10,000. The variants
 * alternate; the medians and the ratios shipped / classpath are printed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.eventual.benchmarks.ShippedClassesCost [rounds]
 * </pre>
 */
public final class ShippedClassesCost {
  private static final String TASK = "costtask.Cube";

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
    Path classes = compile(dir);
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    results.put("classpath", new ArrayList<>());
    results.put("shipped", new ArrayList<>());
    try (URLClassLoader app =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, ShippedClassesCost.class.getClassLoader())) {
      for (int r = 0; r < rounds; r++) {
        for (String variant : results.keySet()) {
          double[] m = round(dir, classes, app, variant.equals("shipped"));
          results.get(variant).add(m);
          System.out.printf(
              Locale.ROOT,
              "%-9s build %7.1f ms  first task %6.1f ms  one by one %6.1f us  burst %5.1f us%n",
              variant,
              m[0],
              m[1],
              m[2],
              m[3]);
        }
      }
    }
    double[] cp = medians(results.get("classpath"));
    double[] sh = medians(results.get("shipped"));
    String[] names = {"build_ms", "first_task_ms", "one_by_one_us", "burst_us_per_task"};
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      json.append(i > 0 ? ", " : "")
          .append(
              String.format(
                  Locale.ROOT,
                  "\"%s\": {\"classpath\": %.2f, \"shipped\": %.2f, \"ratio\": %.2f}",
                  names[i],
                  cp[i],
                  sh[i],
                  sh[i] / cp[i]));
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

  /** One round: a fresh member, a client, the four measurements. */
  private static double[] round(Path dir, Path classes, ClassLoader app, boolean ship)
      throws Exception {
    String cluster = "cost-" + UUID.randomUUID();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path yaml = dir.resolve(cluster + ".yaml");
    Files.writeString(yaml, yaml(cluster, port));
    String classPath = System.getProperty("java.class.path");
    if (!ship) {
      classPath = classPath + File.pathSeparator + classes;
    }
    Process member =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dhazelcast.logging.type=none",
                "-cp",
                classPath,
                MemberLauncher.class.getName(),
                yaml.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
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
      ClientConfig cc = new ClientConfig().setClusterName(cluster).setClassLoader(app);
      cc.getNetworkConfig().addAddress("127.0.0.1:" + port);
      HazelcastFutureExecutorBuilder b =
          HazelcastFutureExecutor.builder()
              .client(cc)
              .allowPrefixes("costtask.")
              .connectTimeout(Duration.ofSeconds(60));
      if (ship) {
        b.shipClasses(app.loadClass(TASK));
      }
      long t0 = System.nanoTime();
      try (HazelcastFutureExecutor executor = b.build()) {
        long t1 = System.nanoTime();
        check(executor.submit(task(app, 3)).result(Duration.ofSeconds(60)), 3);
        long t2 = System.nanoTime();
        for (int i = 0; i < 2; i++) {
          burst(executor, app, 10_000);
        }
        int n = 2_000;
        long t3 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          check(executor.submit(task(app, i)).result(Duration.ofSeconds(60)), i);
        }
        long t4 = System.nanoTime();
        burst(executor, app, 10_000);
        long t5 = System.nanoTime();
        return new double[] {
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t4 - t3) / 1e3 / n, (t5 - t4) / 1e3 / 10_000
        };
      }
    } finally {
      member.destroyForcibly();
      member.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void burst(HazelcastFutureExecutor executor, ClassLoader app, int n)
      throws Exception {
    List<ConcurrentFuture<Object>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      futures.add(executor.submit(task(app, i)));
    }
    for (int i = 0; i < n; i++) {
      check(futures.get(i).result(Duration.ofSeconds(60)), i);
    }
  }

  @SuppressWarnings("unchecked")
  private static SerializableCallable<Object> task(ClassLoader app, int x) throws Exception {
    return (SerializableCallable<Object>)
        app.loadClass(TASK).getDeclaredConstructor(int.class).newInstance(x);
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

  /** Compiles the task into {@code dir/classes}: a record that cubes its number. */
  private static Path compile(Path dir) throws IOException {
    Path src = dir.resolve("src/costtask/Cube.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "package costtask;\n"
            + "public record Cube(int x) implements dev.eventual.hazelcast.SerializableCallable<Long>"
            + " {\n"
            + "  @Override public Long call() { return (long) x * x * x; }\n"
            + "}\n");
    Path classes = dir.resolve("classes");
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
