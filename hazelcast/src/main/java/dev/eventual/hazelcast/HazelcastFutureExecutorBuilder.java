package dev.eventual.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Configures a {@link HazelcastFutureExecutor}. Three ways to reach a cluster:
 *
 * <ul>
 *   <li>the default, an <b>embedded member</b> started in this process: bound to 127.0.0.1 only,
 *       with multicast, phone-home and metrics off, a unique cluster name unless {@link
 *       #clusterName} gives one, alone unless {@link #joining} lists members to join over TCP/IP;
 *   <li>{@link #member(Config)}: a member started with your configuration;
 *   <li>{@link #client(ClientConfig)}: a client of an existing cluster; it can ship the
 *       application's classes to members whose class path lacks them ({@link #shipClasses}, {@link
 *       #shipJars}).
 * </ul>
 *
 * <p>The executor owns the instance it starts and shuts it down when it is shut down; {@link
 * #instance(HazelcastInstance)} borrows one instead. Security applies in every mode: the Java
 * deserialization allow-list ({@code JavaSerializationFilterConfig}) is switched on with the
 * library's own classes plus those you list, and the zero-configuration Compact serializer is
 * filtered by the same list. A task whose class is not on the list is refused at {@code submit};
 * results and exceptions are deserialized through the same list. Hazelcast's own defaults stay
 * allowed ({@code java*}, {@code com.hazelcast.*}, arrays). Hazelcast's logging is off ({@code
 * hazelcast.logging.type=none}) unless {@link #loggingType} asks for it.
 */
public final class HazelcastFutureExecutorBuilder {
  final Set<String> allowedClasses = new LinkedHashSet<>();
  final Set<String> allowedPackages = new LinkedHashSet<>();
  final Set<String> allowedPrefixes = new LinkedHashSet<>();
  final List<String> joinAddresses = new ArrayList<>();
  final List<Class<?>> shippedClasses = new ArrayList<>();
  final List<Path> shippedJars = new ArrayList<>();
  String clusterName;
  String executorName = ClusterConfigs.EXECUTOR_NAME;
  String durableExecutorName = ClusterConfigs.EXECUTOR_NAME;
  MemberLossPolicy policy = MemberLossPolicy.FAIL_FAST;
  Duration heartbeatTimeout;
  Duration connectTimeout = Duration.ofSeconds(30);
  int maxInFlight = 64;
  int maxQueued = 10_000;
  QueueFullAction whenFull = QueueFullAction.WAIT;
  RetryPolicy retry = RetryPolicy.defaults();
  Duration unresponsiveAfter = Duration.ofSeconds(1);
  int poolSize = 16;
  boolean liteMember;
  String loggingType = "none";
  Config memberConfig;
  ClientConfig clientConfig;
  HazelcastInstance instance;
  java.util.concurrent.ThreadFactory completerThreads;

  HazelcastFutureExecutorBuilder() {}

  /**
   * Names the cluster to form or join (embedded mode). Without it, an embedded member gets a unique
   * name, so that it never joins a stranger's cluster.
   *
   * @param name the cluster name
   * @return this builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public HazelcastFutureExecutorBuilder clusterName(String name) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    this.clusterName = name;
    return this;
  }

  /**
   * Names the Hazelcast executor service on the members that runs the tasks (default {@code
   * "eventual"}): several executors with different names share one cluster, each with its own pool
   * and queue ({@link #poolSize} and the member's {@code ExecutorConfig} of that name).
   *
   * @param name the executor service's name
   * @return this builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public HazelcastFutureExecutorBuilder executorName(String name) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    this.executorName = name;
    return this;
  }

  /**
   * Names the Hazelcast durable executor service that stores {@link MemberLossPolicy#DURABLE} tasks
   * and their results (default {@code "eventual"}; durable executors are a namespace of their own).
   * Only an executor with the same name can {@link HazelcastFutureExecutor#reattach(DurableTaskId)
   * re-attach} to their ids; the member's {@code DurableExecutorConfig} of that name sets its pool
   * size, {@code durability} (backups, 1 by default) and {@code capacity} (tasks per partition, 100
   * by default).
   *
   * @param name the durable executor service's name
   * @return this builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public HazelcastFutureExecutorBuilder durableExecutorName(String name) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    this.durableExecutorName = name;
    return this;
  }

  /**
   * Returns the cluster name this builder uses, choosing a unique one on the first call if none was
   * given.
   *
   * @return the cluster name
   */
  public String clusterName() {
    if (clusterName == null) {
      clusterName = "eventual-" + UUID.randomUUID();
    }
    return clusterName;
  }

  /**
   * Lets members deserialize these classes (fully qualified names): task, result and exception
   * classes.
   *
   * @param names class names
   * @return this builder
   * @throws NullPointerException if {@code names} or one of them is null
   */
  public HazelcastFutureExecutorBuilder allowClasses(String... names) {
    addAll(allowedClasses, names, "names");
    return this;
  }

  /**
   * Lets members deserialize every class of these packages (not their subpackages).
   *
   * @param packages package names, such as {@code "com.example.tasks"}
   * @return this builder
   * @throws NullPointerException if {@code packages} or one of them is null
   */
  public HazelcastFutureExecutorBuilder allowPackages(String... packages) {
    addAll(allowedPackages, packages, "packages");
    return this;
  }

  /**
   * Lets members deserialize every class whose name starts with one of these prefixes.
   *
   * @param prefixes name prefixes, such as {@code "com.example."}
   * @return this builder
   * @throws NullPointerException if {@code prefixes} or one of them is null
   */
  public HazelcastFutureExecutorBuilder allowPrefixes(String... prefixes) {
    addAll(allowedPrefixes, prefixes, "prefixes");
    return this;
  }

  private static void addAll(Set<String> to, String[] values, String name) {
    Objects.requireNonNull(values, name + " must not be null");
    for (int i = 0; i < values.length; i++) {
      Objects.requireNonNull(values[i], name + "[" + i + "] must not be null");
    }
    to.addAll(List.of(values));
  }

  /**
   * Sets the member-loss policy of tasks submitted without one. Default {@link
   * MemberLossPolicy#FAIL_FAST}: a task never runs twice unless you ask for it.
   *
   * @param policy the policy
   * @return this builder
   * @throws NullPointerException if {@code policy} is null
   */
  public HazelcastFutureExecutorBuilder memberLossPolicy(MemberLossPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy must not be null");
    return this;
  }

  /**
   * Sets how long a silent member (frozen, or its network cut) stays in the cluster before it is
   * declared lost: Hazelcast's {@code hazelcast.max.no.heartbeat.seconds} for members this executor
   * starts, {@code hazelcast.client.heartbeat.timeout} for a client. A member that exits or is
   * killed is noticed at once through its closed connections. Hazelcast's default is 60 s.
   *
   * @param timeout at least one second
   * @return this builder
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is shorter than one second
   */
  public HazelcastFutureExecutorBuilder heartbeatTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("timeout must be at least 1 s: " + timeout);
    }
    this.heartbeatTimeout = timeout;
    return this;
  }

  /**
   * Sets how long a client tries to reach its cluster before {@code build()} fails. Default 30 s.
   * It bounds the first connection only: a client that loses its cluster later keeps trying to
   * reconnect for as long as the executor runs (tasks in flight then follow their member-loss
   * policy; new ones wait for a member under their retry policy).
   *
   * @param timeout zero or positive
   * @return this builder
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public HazelcastFutureExecutorBuilder connectTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    this.connectTimeout = timeout;
    return this;
  }

  /**
   * Sets the most tasks handed to each data member at once, its largest in-flight window (default
   * 64); the others wait in this process, where {@code cancel()} still succeeds and {@code
   * shutdown(cancelFutures)} cancels them. A window starts at 64 (or {@code maxInFlight} if
   * smaller), grows by one for each task the member finishes while tasks wait for room, and falls
   * back to the start when the member goes silent, is seen lost or has little left to do. A member
   * that freezes holds at most its window: the start if it froze between bursts.
   *
   * @param maxInFlight at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code maxInFlight} is less than 1
   */
  public HazelcastFutureExecutorBuilder maxInFlight(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    return this;
  }

  /**
   * Bounds the local queue: the tasks accepted and not handed to a member (default 10,000). When it
   * is full, {@code submit} waits or fails, as {@code whenFull} says.
   *
   * @param maxQueued at least 1
   * @param whenFull what {@code submit} does when the queue is full
   * @return this builder
   * @throws NullPointerException if {@code whenFull} is null
   * @throws IllegalArgumentException if {@code maxQueued} is less than 1
   */
  public HazelcastFutureExecutorBuilder maxQueued(int maxQueued, QueueFullAction whenFull) {
    Objects.requireNonNull(whenFull, "whenFull must not be null");
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be at least 1: " + maxQueued);
    }
    this.maxQueued = maxQueued;
    this.whenFull = whenFull;
    return this;
  }

  /**
   * Sets the retry policy of tasks submitted without one (default {@link RetryPolicy#defaults()}).
   *
   * @param retry the policy
   * @return this builder
   * @throws NullPointerException if {@code retry} is null
   */
  public HazelcastFutureExecutorBuilder retryPolicy(RetryPolicy retry) {
    this.retry = Objects.requireNonNull(retry, "retry must not be null");
    return this;
  }

  /**
   * Sets how long a member that holds tasks may stay silent (no task of this executor ends there)
   * before new tasks go to the other members first (default 1 s). A frozen member is declared lost
   * only after the {@link #heartbeatTimeout}; until then this keeps new tasks away from it, and its
   * window bounds what it holds. A member busy with long tasks looks silent too: it gets new tasks
   * when the others have no room.
   *
   * @param silence positive
   * @return this builder
   * @throws NullPointerException if {@code silence} is null
   * @throws IllegalArgumentException if {@code silence} is zero or negative
   */
  public HazelcastFutureExecutorBuilder unresponsiveAfter(Duration silence) {
    Objects.requireNonNull(silence, "silence must not be null");
    if (silence.isZero() || silence.isNegative()) {
      throw new IllegalArgumentException("silence must be positive: " + silence);
    }
    this.unresponsiveAfter = silence;
    return this;
  }

  /**
   * Sets how many tasks each member that this builder configures runs at once (default 16).
   *
   * @param poolSize at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code poolSize} is less than 1
   */
  public HazelcastFutureExecutorBuilder poolSize(int poolSize) {
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
    }
    this.poolSize = poolSize;
    return this;
  }

  /**
   * Makes the embedded member join the members at these addresses ({@code "127.0.0.1:5701"}) over
   * TCP/IP instead of staying alone.
   *
   * @param addresses member addresses
   * @return this builder
   * @throws NullPointerException if {@code addresses} or one of them is null
   */
  public HazelcastFutureExecutorBuilder joining(String... addresses) {
    Objects.requireNonNull(addresses, "addresses must not be null");
    for (int i = 0; i < addresses.length; i++) {
      Objects.requireNonNull(addresses[i], "addresses[" + i + "] must not be null");
    }
    joinAddresses.addAll(List.of(addresses));
    return this;
  }

  /**
   * Makes the embedded member a lite member: it belongs to the cluster but owns no data and runs no
   * tasks, so every task runs on another member.
   *
   * @param lite whether the embedded member is a lite member
   * @return this builder
   */
  public HazelcastFutureExecutorBuilder liteMember(boolean lite) {
    this.liteMember = lite;
    return this;
  }

  /**
   * Sets Hazelcast's logging type ({@code "jdk"}, {@code "slf4j"}, {@code "log4j2"}, {@code
   * "none"}); default {@code "none"}.
   *
   * @param type the logging type
   * @return this builder
   * @throws NullPointerException if {@code type} is null
   */
  public HazelcastFutureExecutorBuilder loggingType(String type) {
    this.loggingType = Objects.requireNonNull(type, "type must not be null");
    return this;
  }

  /**
   * Starts a member with this configuration instead of the embedded default. The configuration is
   * used as given (cluster name, network, join), with the allow-list added to its serialization
   * configuration and the executor's pool size set; logging and phone-home are turned off unless it
   * sets them.
   *
   * @param config the member configuration; the executor modifies it
   * @return this builder
   * @throws NullPointerException if {@code config} is null
   */
  public HazelcastFutureExecutorBuilder member(Config config) {
    this.memberConfig = Objects.requireNonNull(config, "config must not be null");
    this.clientConfig = null;
    this.instance = null;
    return this;
  }

  /**
   * Runs tasks through a member or client you started and keep: the executor never shuts it down.
   * Its configuration is used as it is; the executor checks tasks at {@code submit} against the
   * member's allow-list or, if it has none (or is a client), against this builder's list. The
   * members must have the library on their class path and an allow-list (see {@link
   * #memberConfig()}).
   *
   * @param instance a running member or client
   * @return this builder
   * @throws NullPointerException if {@code instance} is null
   */
  public HazelcastFutureExecutorBuilder instance(HazelcastInstance instance) {
    this.instance = Objects.requireNonNull(instance, "instance must not be null");
    this.memberConfig = null;
    this.clientConfig = null;
    return this;
  }

  /**
   * Connects as a client with this configuration instead of starting a member; {@code build()}
   * fails after the {@link #connectTimeout} if no cluster answers. The allow-list is added to the
   * client's serialization configuration (results and exceptions are deserialized there).
   *
   * @param config the client configuration; the executor uses a copy
   * @return this builder
   * @throws NullPointerException if {@code config} is null
   */
  public HazelcastFutureExecutorBuilder client(ClientConfig config) {
    this.clientConfig = new ClientConfig(Objects.requireNonNull(config, "config must not be null"));
    this.memberConfig = null;
    this.instance = null;
    return this;
  }

  /**
   * Ships these classes to the members when the client connects, so that members whose class path
   * lacks them can run them (client mode only): task, result and exception classes. Each class's
   * nested and anonymous classes go with it; classes it uses that are not shipped must be on the
   * members' class path. This uses Hazelcast's user code deployment (deprecated since Hazelcast
   * 5.4, still in the open-source 5.7): every member needs {@code user-code-deployment: enabled:
   * true} in its configuration, or {@code build()} fails. A member keeps a shipped class until it
   * restarts: shipping another version of a class the members already have fails {@code build()}.
   * The members' allow-list must still list the classes. See docs/cluster.md.
   *
   * @param classes named classes of the application (not lambdas, not classes of the JDK, Hazelcast
   *     or eventual), readable through the client's class loader
   * @return this builder
   * @throws NullPointerException if {@code classes} or one of them is null
   * @throws IllegalArgumentException if a class cannot be shipped, naming it ({@code classes[i]})
   */
  public HazelcastFutureExecutorBuilder shipClasses(Class<?>... classes) {
    CodeShipping.checkClasses(classes);
    shippedClasses.addAll(List.of(classes));
    return this;
  }

  /**
   * Ships every class of these jars to the members when the client connects (client mode only), as
   * {@link #shipClasses} does for single classes, with the same limits.
   *
   * @param jars jar files
   * @return this builder
   * @throws NullPointerException if {@code jars} or one of them is null
   * @throws IllegalArgumentException if a path is not a readable jar, naming it ({@code jars[i]})
   */
  public HazelcastFutureExecutorBuilder shipJars(Path... jars) {
    CodeShipping.checkJars(jars);
    shippedJars.addAll(List.of(jars));
    return this;
  }

  /**
   * Returns the configuration of the embedded member this builder would start: to start more
   * members of the same cluster ({@code Hazelcast.newHazelcastInstance(builder.memberConfig())}),
   * for example in another process.
   *
   * @return a new member configuration
   */
  public Config memberConfig() {
    return ClusterConfigs.embedded(this);
  }

  /**
   * Test seam (package-private, for the model-checking tests): makes the executor's completer
   * threads with {@code factory} instead of its own daemon threads. A factory that returns null
   * makes every completion run on the thread that reported it (the executor's fallback), so that a
   * model checker, whose threads cannot be started by the code under test, runs them itself.
   *
   * @param factory makes the thread for the runnable it gets (already marked as working for the
   *     executor), or returns null
   * @return this builder
   */
  HazelcastFutureExecutorBuilder completerThreads(java.util.concurrent.ThreadFactory factory) {
    this.completerThreads = Objects.requireNonNull(factory, "factory must not be null");
    return this;
  }

  /**
   * Starts or connects, and returns the executor.
   *
   * @return the executor
   * @throws IllegalStateException if a client finds no cluster within the connect timeout; if the
   *     cluster refuses the classes to ship (user code deployment off on a member, or another
   *     version of a class already there); if classes or jars to ship were given outside client
   *     mode
   * @throws IllegalArgumentException if the client's class loader cannot read a class to ship
   */
  public HazelcastFutureExecutor build() {
    if ((!shippedClasses.isEmpty() || !shippedJars.isEmpty()) && clientConfig == null) {
      throw new IllegalStateException(
          "shipClasses/shipJars work in client mode only (builder().client(config)): a client"
              + " ships them when it connects. An embedded or borrowed member runs tasks from its"
              + " own class path; members fetch a class they lack from other members only with"
              + " user code deployment enabled on all of them (see docs/cluster.md)");
    }
    return new HazelcastFutureExecutor(this);
  }
}
