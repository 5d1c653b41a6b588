package dev.eventual.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Builds the member and client configurations of {@link HazelcastFutureExecutorBuilder}, and
 * connects its client.
 */
final class ClusterConfigs {
  /** The name of the Hazelcast executor service that runs the tasks. */
  static final String EXECUTOR_NAME = "eventual";

  /** The library's classes that travel between members. */
  static final String LIBRARY_PACKAGE = "dev.eventual.hazelcast.internal";

  /** core's map() sends this class (fn and one item). */
  static final String MAP_CALL_CLASS = "dev.eventual.MapIterator$Call";

  private ClusterConfigs() {}

  /** The embedded member: loopback only, no multicast, phone-home or metrics; alone or joining. */
  static Config embedded(HazelcastFutureExecutorBuilder b) {
    Config c = new Config();
    c.setClusterName(b.clusterName());
    c.setLiteMember(b.liteMember);
    c.setProperty("hazelcast.logging.type", b.loggingType);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.graceful.shutdown.max.wait", "30");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.getMetricsConfig().setEnabled(false);
    c.getJetConfig().setEnabled(false);
    NetworkConfig n = c.getNetworkConfig();
    n.setPort(0);
    n.setPortAutoIncrement(false);
    n.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig j = n.getJoin();
    j.getMulticastConfig().setEnabled(false);
    j.getAutoDetectionConfig().setEnabled(false);
    // tcp-ip even when alone: members of one cluster must agree on the joiner
    j.getTcpIpConfig().setEnabled(true).setMembers(b.joinAddresses);
    heartbeat(c, b.heartbeatTimeout == null ? Duration.ofSeconds(15) : b.heartbeatTimeout);
    c.getExecutorConfig(b.executorName).setPoolSize(b.poolSize);
    c.getDurableExecutorConfig(b.durableExecutorName).setPoolSize(b.poolSize);
    secure(c.getSerializationConfig(), b);
    return c;
  }

  /** A member configuration the user gave: kept, with the allow-list and quiet defaults added. */
  static Config member(Config c, HazelcastFutureExecutorBuilder b) {
    setIfAbsent(c, "hazelcast.logging.type", b.loggingType);
    setIfAbsent(c, "hazelcast.phone.home.enabled", "false");
    if (b.heartbeatTimeout != null) {
      heartbeat(c, b.heartbeatTimeout);
    }
    c.getExecutorConfig(b.executorName).setPoolSize(b.poolSize);
    secure(c.getSerializationConfig(), b);
    return c;
  }

  /**
   * A client configuration: finite connect timeout, allow-list, quiet defaults, and the classes and
   * jars to ship ({@link CodeShipping}).
   */
  static ClientConfig client(ClientConfig c, HazelcastFutureExecutorBuilder b) {
    if (c.getProperty("hazelcast.logging.type") == null) {
      c.setProperty("hazelcast.logging.type", b.loggingType);
    }
    if (c.getProperty("hazelcast.phone.home.enabled") == null) {
      c.setProperty("hazelcast.phone.home.enabled", "false");
    }
    c.getMetricsConfig().setEnabled(false);
    // build() bounds the first connection itself (asynchronous start); reconnection never ends
    c.getConnectionStrategyConfig().setAsyncStart(true);
    c.getConnectionStrategyConfig()
        .getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(-1)
        .setInitialBackoffMillis(100)
        .setMaxBackoffMillis(1000);
    if (b.heartbeatTimeout != null) {
      long ms = b.heartbeatTimeout.toMillis();
      c.setProperty("hazelcast.client.heartbeat.timeout", String.valueOf(ms));
      c.setProperty("hazelcast.client.heartbeat.interval", String.valueOf(Math.max(500, ms / 4)));
    }
    secure(c.getSerializationConfig(), b);
    CodeShipping.configure(c, b);
    return c;
  }

  private static void setIfAbsent(Config c, String name, String value) {
    if (c.getProperty(name) == null) {
      c.setProperty(name, value);
    }
  }

  private static void heartbeat(Config c, Duration timeout) {
    long seconds = Math.max(1, timeout.toSeconds());
    c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(seconds));
    c.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(Math.max(1, seconds / 5)));
  }

  /**
   * Switches the Java deserialization allow-list on (keeping a list already configured and adding
   * to it) and filters zero-configuration Compact with the same list.
   */
  static JavaSerializationFilterConfig secure(
      SerializationConfig sc, HazelcastFutureExecutorBuilder b) {
    JavaSerializationFilterConfig filter = sc.getJavaSerializationFilterConfig();
    if (filter == null) {
      filter = new JavaSerializationFilterConfig();
      sc.setJavaSerializationFilterConfig(filter);
    }
    ClassFilter allowed = filter.getWhitelist();
    allowed.addPackages(LIBRARY_PACKAGE).addClasses(MAP_CALL_CLASS);
    allowed.addClasses(b.allowedClasses.toArray(String[]::new));
    allowed.addPackages(b.allowedPackages.toArray(String[]::new));
    allowed.addPrefixes(b.allowedPrefixes.toArray(String[]::new));
    sc.getCompactSerializationConfig().setZeroConfigFilter(filter);
    return filter;
  }

  /**
   * Connects a client, bounding only this first connection by {@code connectTimeout}: the client
   * starts asynchronously and is shut down if it is not connected in time; once connected, it keeps
   * trying to reconnect for as long as it lives, as a plain Hazelcast client does. A client that
   * ships code fails at once if the cluster refuses it ({@link CodeShipping#awaitConnected}).
   */
  @SuppressWarnings("removal") // user code deployment is deprecated for removal since 5.4
  static HazelcastInstance connect(ClientConfig cc, HazelcastFutureExecutorBuilder b) {
    CountDownLatch connected = new CountDownLatch(1);
    cc.addListenerConfig(
        new ListenerConfig(
            (LifecycleListener)
                event -> {
                  if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
                    connected.countDown();
                  }
                }));
    HazelcastInstance client = HazelcastClient.newHazelcastClient(cc);
    long deadline = System.nanoTime() + b.connectTimeout.toNanos();
    boolean ok = false;
    try {
      ok =
          cc.getUserCodeDeploymentConfig().isEnabled()
              ? CodeShipping.awaitConnected(client, connected, deadline)
              : connected.await(b.connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
      while (ok && client.getCluster().getMembers().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5); // the member list follows the connection
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (!ok) {
        client.shutdown();
      }
    }
    if (!ok) {
      throw new IllegalStateException(
          "no Hazelcast cluster answered within "
              + b.connectTimeout.toMillis()
              + " ms (cluster name '"
              + cc.getClusterName()
              + "', addresses "
              + cc.getNetworkConfig().getAddresses()
              + ")"
              + (Thread.currentThread().isInterrupted() ? "; interrupted while waiting" : ""));
    }
    return client;
  }
}
