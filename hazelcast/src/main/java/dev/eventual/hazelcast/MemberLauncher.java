package dev.eventual.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemYamlConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a standalone Hazelcast member that runs the tasks of {@link HazelcastFutureExecutor}s,
 * from a YAML configuration ({@code hazelcast/member/hazelcast.yaml} is an example):
 *
 * <pre>
 * java -cp hazelcast-5.7.0.jar:eventual-core.jar:eventual-hazelcast.jar:my-tasks.jar \
 *      dev.eventual.hazelcast.MemberLauncher hazelcast.yaml
 * </pre>
 *
 * <p>The configuration is used as written (cluster name, network, join, executors, properties),
 * with what eventual needs added: the Java deserialization allow-list switched on (if the file has
 * none) with the library's own classes on it ({@code dev.eventual.hazelcast.internal} and {@code
 * map}'s call), the zero-configuration Compact serializer filtered by the same list, and phone-home
 * off unless the file sets it. The application's task, result and exception classes must be on the
 * member's class path and on the file's allow-list, unless clients ship them: with {@code
 * user-code-deployment: enabled: true} in the file, a client built with {@link
 * HazelcastFutureExecutorBuilder#shipClasses} ships them when it connects. Once the member runs,
 * one line goes to standard output: {@code eventual member <host:port> of cluster <name> ready},
 * with {@code (user code deployment on)} after it when it is on. The member stops on SIGTERM
 * (Hazelcast's shutdown hook) or when killed.
 */
public final class MemberLauncher {
  private MemberLauncher() {}

  /**
   * Starts the member.
   *
   * @param args one argument: the path of the YAML configuration
   * @throws FileNotFoundException if the file does not exist
   * @throws IllegalArgumentException if there is not exactly one argument
   */
  public static void main(String[] args) throws FileNotFoundException {
    if (args.length != 1) {
      throw new IllegalArgumentException(
          "usage: java -cp <class path> dev.eventual.hazelcast.MemberLauncher <hazelcast.yaml>;"
              + " got "
              + args.length
              + " arguments");
    }
    HazelcastInstance member = start(Path.of(args[0]));
    announce(member, System.out);
  }

  /**
   * Starts a member from a YAML file, configured for eventual.
   *
   * @param yaml the configuration file
   * @return the running member
   * @throws FileNotFoundException if the file does not exist
   */
  public static HazelcastInstance start(Path yaml) throws FileNotFoundException {
    if (!Files.isRegularFile(yaml)) {
      throw new FileNotFoundException(
          "no Hazelcast YAML configuration at " + yaml.toAbsolutePath());
    }
    return Hazelcast.newHazelcastInstance(configure(new FileSystemYamlConfig(yaml.toFile())));
  }

  /**
   * Adds what eventual needs to a member configuration: the allow-list with the library's classes
   * (the file's own entries are kept), Compact filtered by it, phone-home off unless set.
   *
   * @param config the member configuration, modified
   * @return {@code config}
   */
  public static Config configure(Config config) {
    if (config.getProperty("hazelcast.phone.home.enabled") == null) {
      config.setProperty("hazelcast.phone.home.enabled", "false");
    }
    ClusterConfigs.secure(config.getSerializationConfig(), new HazelcastFutureExecutorBuilder());
    return config;
  }

  @SuppressWarnings("removal") // user code deployment is deprecated for removal since 5.4
  private static void announce(HazelcastInstance member, PrintStream out) {
    out.println(
        "eventual member "
            + MemberLauncher.address(member)
            + " of cluster "
            + member.getConfig().getClusterName()
            + " ready"
            + (member.getConfig().getUserCodeDeploymentConfig().isEnabled()
                ? " (user code deployment on)"
                : ""));
    out.flush();
  }

  static String address(HazelcastInstance member) {
    com.hazelcast.cluster.Address a = member.getCluster().getLocalMember().getAddress();
    return a.getHost() + ":" + a.getPort();
  }
}
