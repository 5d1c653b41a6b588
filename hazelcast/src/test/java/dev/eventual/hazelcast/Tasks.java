package dev.eventual.hazelcast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Serializable tasks for the tests; they reach the test through static state or files. */
final class Tasks {
  private Tasks() {}

  static final Map<String, CountDownLatch> STARTED = new ConcurrentHashMap<>();
  static final Map<String, CountDownLatch> RELEASE = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
  static final Map<String, String> THREAD = new ConcurrentHashMap<>();

  /** Returns its argument squared. */
  static final class Square implements SerializableCallable<Integer> {
    private static final long serialVersionUID = 1L;
    private final int n;

    Square(int n) {
      this.n = n;
    }

    @Override
    public Integer call() {
      return n * n;
    }
  }

  /** Throws the exception it carries. */
  static final class Throwing implements SerializableCallable<Object> {
    private static final long serialVersionUID = 1L;
    private final Exception exception;

    Throwing(Exception exception) {
      this.exception = exception;
    }

    @Override
    public Object call() throws Exception {
      throw exception;
    }
  }

  /** Not serializable at all. */
  static final class NotSerializable implements SerializableCallable<Integer> {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings({"unused", "serial"})
    private final Object lock = new Object(); // java.lang.Object is not serializable

    @Override
    public Integer call() {
      return 1;
    }
  }

  /**
   * Says it started (latch in this JVM, or a file naming its process for other JVMs, and a line
   * naming it appended to {@code <file>.runs} for every run), then waits until released (or the
   * time runs out) and returns where it ran.
   */
  static final class Blocking implements SerializableCallable<String> {
    private static final long serialVersionUID = 1L;
    private final String id;
    private final String startedFile;
    private final long waitMillis;

    Blocking(String id, Path startedFile) {
      this(id, startedFile, 3_000);
    }

    Blocking(String id, Path startedFile, long waitMillis) {
      this.id = id;
      this.startedFile = startedFile == null ? null : startedFile.toString();
      this.waitMillis = waitMillis;
    }

    @Override
    public String call() throws InterruptedException {
      RUNS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      THREAD.put(id, Thread.currentThread().getName());
      String where = String.valueOf(ProcessHandle.current().pid());
      if (startedFile != null) {
        try {
          Files.writeString(Path.of(startedFile + ".tmp"), where);
          Files.move(
              Path.of(startedFile + ".tmp"),
              Path.of(startedFile),
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
          Files.writeString(
              Path.of(startedFile + ".runs"),
              where + "\n",
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      STARTED.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
      RELEASE
          .computeIfAbsent(id, k -> new CountDownLatch(1))
          .await(waitMillis, TimeUnit.MILLISECONDS);
      return "done in " + where;
    }
  }

  /** Sleeps until interrupted; records the interrupt. */
  static final class Sleeper implements SerializableCallable<String> {
    private static final long serialVersionUID = 1L;
    private final String id;

    Sleeper(String id) {
      this.id = id;
    }

    @Override
    public String call() {
      STARTED.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
      try {
        Thread.sleep(30_000);
        return "slept";
      } catch (InterruptedException e) {
        RUNS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        return "interrupted";
      }
    }
  }

  /** A result whose deserialization throws an {@link Error} (as a failing static initializer). */
  static final class BadOnRead implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(java.io.ObjectInputStream in) {
      throw new ExceptionInInitializerError("BadOnRead cannot be read here");
    }
  }

  /** Returns a {@link BadOnRead}: it travels out fine and cannot be read back. */
  static final class ReturnsBadOnRead implements SerializableCallable<Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public Object call() {
      return new BadOnRead();
    }
  }

  /** Throws the error it carries (an OutOfMemoryError stands for a member out of memory). */
  static final class ThrowingError implements SerializableCallable<Object> {
    private static final long serialVersionUID = 1L;
    private final Error error;

    ThrowingError(Error error) {
      this.error = error;
    }

    @Override
    public Object call() {
      throw error;
    }
  }

  /** Records that it started and where (thread name), sleeps a little, returns its id. */
  static final class Tracked implements SerializableCallable<String> {
    private static final long serialVersionUID = 1L;
    private final String id;
    private final long sleepMillis;

    Tracked(String id, long sleepMillis) {
      this.id = id;
      this.sleepMillis = sleepMillis;
    }

    @Override
    public String call() throws InterruptedException {
      RUNS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      THREAD.put(id, Thread.currentThread().getName());
      Thread.sleep(sleepMillis);
      return id;
    }
  }

  /**
   * Returns the UUID of the member it runs on, which Hazelcast injects (HazelcastInstanceAware).
   */
  static class WhereAmI
      implements SerializableCallable<String>, com.hazelcast.core.HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;
    private transient com.hazelcast.core.HazelcastInstance instance;

    @Override
    public void setHazelcastInstance(com.hazelcast.core.HazelcastInstance instance) {
      this.instance = instance;
    }

    @Override
    public String call() {
      return instance == null
          ? "no instance injected"
          : instance.getCluster().getLocalMember().getUuid().toString();
    }
  }

  /** {@link WhereAmI} with a partition key: Hazelcast's executor runs it on the key's owner. */
  static final class WhereIsMyKey extends WhereAmI
      implements com.hazelcast.partition.PartitionAware<String> {
    private static final long serialVersionUID = 1L;
    private final String key;

    WhereIsMyKey(String key) {
      this.key = key;
    }

    @Override
    public String getPartitionKey() {
      return key;
    }
  }
}
