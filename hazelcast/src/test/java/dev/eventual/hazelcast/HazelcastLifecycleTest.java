package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import dev.eventual.ConcurrentFuture;
import dev.eventual.FutureExecutor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared executor lifecycle on {@link HazelcastFutureExecutor}, and its dispatch's failure
 * paths: executors over one lone member, which they do not own (started once for the class).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HazelcastLifecycleTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static HazelcastFutureExecutor owner;

  /** The executor a task on the member closes: tasks reach it through this field (same JVM). */
  static volatile HazelcastFutureExecutor closedByItsTask;

  static final CountDownLatch RELEASE = new CountDownLatch(1);

  @BeforeAll
  static void start() {
    owner = HazelcastFutureExecutor.builder().allowPackages("dev.eventual.hazelcast").build();
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    owner.shutdown(false, true);
    owner.instance().getLifecycleService().terminate();
  }

  private static HazelcastFutureExecutorBuilder overTheMember(HazelcastInstance instance) {
    return HazelcastFutureExecutor.builder()
        .instance(instance)
        .allowPackages("dev.eventual.hazelcast");
  }

  static Object outcomeOfClose(FutureExecutor e) {
    try {
      e.close();
      return "returned";
    } catch (RuntimeException thrown) {
      return thrown;
    }
  }

  @Test // issue 19, defect 2: both hung forever
  void closeFromATaskOnItsMemberOrFromACallbackOfItsFutureThrowsInsteadOfWaitingForItself()
      throws Exception {
    HazelcastFutureExecutor e = overTheMember(owner.instance()).build();
    closedByItsTask = e;
    ConcurrentFuture<Object> fromTask =
        e.submit(
            () -> {
              RELEASE.await(30, TimeUnit.SECONDS);
              return outcomeOfClose(HazelcastLifecycleTest.closedByItsTask);
            });
    ConcurrentFuture<Integer> plain = e.submit(() -> 1);
    CompletableFuture<Object> fromCallback = new CompletableFuture<>();
    plain.addDoneCallback(done -> fromCallback.complete(outcomeOfClose(e)));
    assertThat(
            fromCallback.completeOnTimeout("close() never returned", 10, TimeUnit.SECONDS).join())
        .isInstanceOfSatisfying(
            IllegalStateException.class,
            t -> assertThat(t).hasMessageContaining("it would wait for itself"));
    RELEASE.countDown();
    assertThat(fromTask.result(PATIENCE))
        .isInstanceOfSatisfying(
            IllegalStateException.class,
            t -> assertThat(t).hasMessageContaining("it would wait for itself"));
    e.close(); // from outside: returns once the tasks are done
    assertThat(e.isShutdown()).isTrue();
    assertThat(owner.instance().getLifecycleService().isRunning()).isTrue(); // not e's to close
  }

  @Test // issue 19, defect 10: send threw after attaching the future, which stayed RUNNING
  void aFutureHazelcastHandsBackWithoutCallbacksFailsTheTaskInsteadOfLeavingItRunning() {
    HazelcastInstance real = owner.instance();
    IExecutorService realService = real.getExecutorService("eventual");
    IExecutorService odd =
        proxy(
            IExecutorService.class,
            realService,
            (m, args) ->
                m.getName().startsWith("submitTo") ? new FutureTask<Object>(() -> null) : NEXT);
    HazelcastInstance instance =
        proxy(
            HazelcastInstance.class,
            real,
            (m, args) -> m.getName().equals("getExecutorService") ? odd : NEXT,
            SerializationServiceSupport.class);
    HazelcastFutureExecutor e = overTheMember(instance).build();
    try {
      ConcurrentFuture<Integer> f = e.submit(() -> 1);
      assertThatThrownBy(() -> f.result(PATIENCE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("unexpected Hazelcast future");
    } finally {
      e.shutdown(false, true);
    }
  }

  private static final Object NEXT = new Object();

  /** What a proxied call does: a value, or {@link #NEXT} to call the real object. */
  interface Override {
    Object call(Method m, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, Object real, Override override, Class<?>... more) {
    Class<?>[] types = new Class<?>[more.length + 1];
    types[0] = type;
    System.arraycopy(more, 0, types, 1, more.length);
    InvocationHandler h =
        (p, m, args) -> {
          Object v = override.call(m, args);
          if (v != NEXT) {
            return v;
          }
          try {
            return m.invoke(real, args);
          } catch (InvocationTargetException ex) {
            throw ex.getCause();
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), types, h));
  }
}
