package dev.eventual.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientUserCodeDeploymentConfig;
import com.hazelcast.client.impl.clientside.HazelcastClientInstanceImpl;
import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.client.impl.protocol.ClientMessage;
import com.hazelcast.client.impl.protocol.codec.ClientDeployClassesCodec;
import com.hazelcast.client.impl.spi.impl.ClientInvocation;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;

/**
 * Ships task code from a client to the members with Hazelcast's (deprecated) user code deployment:
 * the client sends the bytecode of the classes and jars it was given each time it connects to a
 * cluster, and every member that has user code deployment enabled defines them in its own class
 * loader. Checks the classes and jars given to {@link HazelcastFutureExecutorBuilder#shipClasses}
 * and {@link HazelcastFutureExecutorBuilder#shipJars}, puts them into the client configuration, and
 * makes a refusal by the cluster (user code deployment off on a member, or a class already there
 * with other bytecode) fail {@code build()} at once instead of letting the client retry silently.
 */
@SuppressWarnings(
    "removal") // user code deployment is deprecated for removal, and still the only way
final class CodeShipping {
  /** Classes of the JDK and Hazelcast: the members have them. */
  private static final String[] PLATFORM_PREFIXES = {
    "java.", "javax.", "jdk.", "sun.", "com.sun.", "com.hazelcast."
  };

  private CodeShipping() {}

  /**
   * Checks classes given to {@code shipClasses}: a named class whose bytecode its class loader can
   * read, not one of the JDK, Hazelcast or eventual.
   *
   * @throws NullPointerException if {@code classes} or one of them is null
   * @throws IllegalArgumentException naming {@code classes[i]} if a class cannot be shipped
   */
  static void checkClasses(Class<?>[] classes) {
    Objects.requireNonNull(classes, "classes must not be null");
    for (int i = 0; i < classes.length; i++) {
      Class<?> c = Objects.requireNonNull(classes[i], "classes[" + i + "] must not be null");
      String which = "classes[" + i + "] (" + c.getName() + ")";
      if (c.isPrimitive() || c.isArray()) {
        throw new IllegalArgumentException(
            which + " cannot be shipped: only classes and interfaces have bytecode of their own");
      }
      if (c.isHidden() || Proxy.isProxyClass(c)) {
        throw new IllegalArgumentException(
            which
                + " cannot be shipped: it is generated at run time (a lambda or a proxy); write the"
                + " task as a named class, or put its enclosing class on the members' class path");
      }
      if (isPlatformOrLibrary(c)) {
        throw new IllegalArgumentException(
            which
                + " cannot be shipped: classes of the JDK, Hazelcast and eventual are not shipped;"
                + " eventual-core and eventual-hazelcast go on the members' class path");
      }
      if (bytecode(c.getClassLoader(), c.getName()) == null) {
        throw new IllegalArgumentException(
            which
                + " cannot be shipped: its class loader has no bytecode for it ("
                + file(c)
                + ")");
      }
    }
  }

  /**
   * Checks jars given to {@code shipJars}: readable files that open as jars.
   *
   * @throws NullPointerException if {@code jars} or one of them is null
   * @throws IllegalArgumentException naming {@code jars[i]} if it is missing or not a jar
   */
  static void checkJars(Path[] jars) {
    Objects.requireNonNull(jars, "jars must not be null");
    for (int i = 0; i < jars.length; i++) {
      Path jar = Objects.requireNonNull(jars[i], "jars[" + i + "] must not be null");
      if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
        throw new IllegalArgumentException(
            "jars[" + i + "] is not a readable file: " + jar.toAbsolutePath());
      }
      try {
        new JarFile(jar.toFile()).close(); // it opens: a jar (or a zip) Hazelcast can read
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "jars[" + i + "] is not a jar: " + jar.toAbsolutePath() + " (" + e.getMessage() + ")",
            e);
      }
    }
  }

  /**
   * The names to ship for these classes: each class, its nested classes (recursively) and its
   * anonymous classes ({@code Name$1}, {@code Name$2}, ... as long as their bytecode exists).
   */
  static Set<String> namesWithNested(List<Class<?>> classes) {
    Set<String> names = new LinkedHashSet<>();
    List<Class<?>> todo = new ArrayList<>(classes);
    while (!todo.isEmpty()) {
      Class<?> c = todo.remove(todo.size() - 1);
      if (!names.add(c.getName())) {
        continue;
      }
      for (int n = 1; bytecode(c.getClassLoader(), c.getName() + "$" + n) != null; n++) {
        names.add(c.getName() + "$" + n);
      }
      todo.addAll(List.of(c.getDeclaredClasses()));
    }
    return names;
  }

  /**
   * Turns on the client's user code deployment with the builder's classes and jars (keeping any the
   * configuration already lists). Hazelcast reads the classes' bytecode through the client's class
   * loader ({@code ClientConfig.setClassLoader}, else this thread's context class loader): a class
   * it cannot read there is refused here, naming it.
   *
   * @throws IllegalArgumentException if that class loader has no bytecode for a shipped class
   */
  static void configure(ClientConfig cc, HazelcastFutureExecutorBuilder b) {
    if (b.shippedClasses.isEmpty() && b.shippedJars.isEmpty()) {
      return;
    }
    ClassLoader loader =
        cc.getClassLoader() != null
            ? cc.getClassLoader()
            : Thread.currentThread().getContextClassLoader();
    ClientUserCodeDeploymentConfig ucd = cc.getUserCodeDeploymentConfig();
    ucd.setEnabled(true);
    for (String name : namesWithNested(b.shippedClasses)) {
      if (bytecode(loader, name) == null) {
        throw new IllegalArgumentException(
            "shipClasses: "
                + name
                + " cannot be read through the client's class loader ("
                + loader
                + "), which Hazelcast reads shipped classes with; set"
                + " ClientConfig.setClassLoader(...) to the class's loader");
      }
      if (!ucd.getClassNames().contains(name)) {
        ucd.addClass(name);
      }
    }
    for (Path jar : b.shippedJars) {
      String path = jar.toAbsolutePath().toString();
      if (!ucd.getJarPaths().contains(path)) {
        ucd.addJar(path);
      }
    }
  }

  /**
   * Waits until a client that ships code is connected, or {@code deadline} passes. As soon as it
   * has a connection, the classes are deployed once from here, so that a cluster refusing them
   * fails {@code build()} at once: Hazelcast's own deployment on connect would retry for ever, and
   * the client would never count as connected.
   *
   * @return whether the client is connected
   * @throws IllegalStateException if the cluster refused the shipped classes
   * @throws InterruptedException if interrupted while waiting
   */
  static boolean awaitConnected(HazelcastInstance client, CountDownLatch connected, long deadline)
      throws InterruptedException {
    HazelcastClientInstanceImpl impl = ((HazelcastClientProxy) client).client;
    boolean deployed = false;
    while (true) {
      long left = deadline - System.nanoTime();
      if (connected.await(
          Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10))), TimeUnit.NANOSECONDS)) {
        return true;
      }
      if (left <= 0) {
        return false;
      }
      if (!deployed && !impl.getConnectionManager().getActiveConnections().isEmpty()) {
        deployed = deployOnce(impl, deadline);
      }
    }
  }

  /** Deploys the classes through any connection; true once the cluster accepted them. */
  private static boolean deployOnce(HazelcastClientInstanceImpl impl, long deadline)
      throws InterruptedException {
    List<Map.Entry<String, byte[]>> classes =
        impl.getUserCodeDeploymentService().getClassDefinitionList();
    ClientMessage request = ClientDeployClassesCodec.encodeRequest(classes);
    try {
      new ClientInvocation(impl, request, null)
          .invokeUrgent()
          .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalStateException refused) {
        throw new IllegalStateException(
            "the cluster refused the classes this client ships (Hazelcast's user code"
                + " deployment): "
                + refused.getMessage()
                + ". Every member needs 'user-code-deployment: enabled: true' in its"
                + " hazelcast.yaml, and a class a member already has cannot be replaced while it"
                + " runs: restart the members to ship a changed class (docs/cluster.md)",
            refused);
      }
      return false; // the connection went away meanwhile: try again on the next one
    } catch (TimeoutException e) {
      return false; // the deadline decides
    }
  }

  private static boolean isPlatformOrLibrary(Class<?> c) {
    for (String prefix : PLATFORM_PREFIXES) {
      if (c.getName().startsWith(prefix)) {
        return true;
      }
    }
    String where = location(c);
    return where != null
        && (where.equals(location(CodeShipping.class))
            || where.equals(location(dev.eventual.ConcurrentFuture.class)));
  }

  /** Where a class was loaded from, as text (URL.equals would resolve host names). */
  private static String location(Class<?> c) {
    java.security.CodeSource source = c.getProtectionDomain().getCodeSource();
    return source == null || source.getLocation() == null ? null : source.getLocation().toString();
  }

  private static byte[] bytecode(ClassLoader loader, String name) {
    ClassLoader l = loader != null ? loader : ClassLoader.getSystemClassLoader();
    try (InputStream in = l.getResourceAsStream(name.replace('.', '/') + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  private static String file(Class<?> c) {
    return c.getName().replace('.', '/') + ".class";
  }
}
