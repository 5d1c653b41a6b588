package dev.eventual.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * The member or client a {@link HazelcastFutureExecutor} runs on: the one its builder was given, or
 * one it started from its builder's configuration and owns (and shuts down with itself), with the
 * allow-list its tasks are checked against.
 */
final class ClusterInstance {
  private static final String LOGGING_TYPE = "hazelcast.logging.type";

  /** The member or client. */
  final HazelcastInstance instance;

  /** Whether it is a client (else a member). */
  final boolean client;

  /** Whether the executor started it, and so shuts it down. */
  final boolean owned;

  /** The deserialization allow-list in force there, which {@code submit} checks tasks against. */
  final JavaSerializationFilterConfig filterConfig;

  /** Holds what {@link #open} found or started. */
  private ClusterInstance(
      HazelcastInstance instance,
      boolean client,
      boolean owned,
      JavaSerializationFilterConfig filterConfig) {
    this.instance = instance;
    this.client = client;
    this.owned = owned;
    this.filterConfig = filterConfig;
  }

  /**
   * Takes the builder's instance, or connects a client, or starts a member (embedded by default),
   * as the builder says.
   *
   * @param b the builder
   * @return the instance and what the executor needs to know about it
   * @throws com.hazelcast.core.HazelcastException if the member or client cannot start
   */
  static ClusterInstance open(HazelcastFutureExecutorBuilder b) {
    if ("none".equals(b.loggingType) && System.getProperty(LOGGING_TYPE) == null) {
      // Hazelcast warns about missing --add-opens through the system property's logger before it
      // reads any configuration; without this, the default would not be quiet
      System.setProperty(LOGGING_TYPE, "none");
    }
    if (b.instance != null) {
      HazelcastInstance given = b.instance;
      boolean client = !(given.getLocalEndpoint() instanceof Member);
      JavaSerializationFilterConfig filterConfig =
          client
              ? null
              : given.getConfig().getSerializationConfig().getJavaSerializationFilterConfig();
      if (filterConfig == null) {
        filterConfig = ClusterConfigs.secure(new SerializationConfig(), b);
      }
      return new ClusterInstance(given, client, false, filterConfig);
    }
    if (b.clientConfig != null) {
      ClientConfig cc = ClusterConfigs.client(new ClientConfig(b.clientConfig), b);
      JavaSerializationFilterConfig filterConfig =
          cc.getSerializationConfig().getJavaSerializationFilterConfig();
      return new ClusterInstance(ClusterConfigs.connect(cc, b), true, true, filterConfig);
    }
    Config c =
        b.memberConfig != null
            ? ClusterConfigs.member(b.memberConfig, b)
            : ClusterConfigs.embedded(b);
    JavaSerializationFilterConfig filterConfig =
        c.getSerializationConfig().getJavaSerializationFilterConfig();
    return new ClusterInstance(Hazelcast.newHazelcastInstance(c), false, true, filterConfig);
  }

  /**
   * Names the kind of instance in messages.
   *
   * @return "client" or "member"
   */
  String kind() {
    return client ? "client" : "member";
  }

  /**
   * Whether the member or client still runs.
   *
   * @return false once it stopped, for whatever reason
   */
  boolean isRunning() {
    return instance.getLifecycleService().isRunning();
  }

  /** Shuts the instance down if the executor owns it; one stopped under it is left as it is. */
  void shutdownIfOwned() {
    if (!owned) {
      return;
    }
    try {
      instance.shutdown();
    } catch (RuntimeException alreadyDown) {
      // terminated under us: nothing left to close
    }
  }
}
