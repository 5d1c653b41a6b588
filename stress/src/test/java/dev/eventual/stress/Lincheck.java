package dev.eventual.stress;

import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;

/**
 * The Lincheck budgets of this module, in one place. The defaults keep the whole module at a minute
 * or two on two cores; {@code -Dlincheck.scale=N} multiplies the iterations for a deeper run.
 */
public final class Lincheck {
  private Lincheck() {}

  public static final int SCALE = Integer.getInteger("lincheck.scale", 1);

  /**
   * How long one invocation may run before Lincheck reports "the execution has hung": 90 s instead
   * of Lincheck's 20 s. In model checking Lincheck transforms each class lazily, inside the first
   * invocation that reaches it, and that time counts against the invocation: the CI run of
   * 2026-12-07 reported a hang of {@code HazelcastLifecycleLincheckTest} whose only running thread
   * was retransforming the JDK's exception classes (for {@code new
   * HazelcastInstanceNotActiveException()}) on a loaded machine. A real hang still fails the test,
   * later; each test's JUnit timeout stays the outer bound. Lincheck 2.39 exposes this setting only
   * as a Kotlin {@code internal} method, hence the mangled name.
   */
  static final long INVOCATION_TIMEOUT_MS = Long.getLong("lincheck.invocationTimeoutMs", 90_000);

  /**
   * Runs, outside any Lincheck thread, the library code that starts threads or initializes shared
   * statics on first use: the unretrieved-exception {@link java.lang.ref.Cleaner} starts its thread
   * with the first failed future, and a thread the model checker sees starting inside a scenario
   * (and then blocking for ever) makes it report a hang; the JDK's locale data, which the timeout
   * messages need, fails to initialize inside a Lincheck thread.
   */
  public static void warmUp() {
    dev.eventual.ConcurrentFuture<Object> f = dev.eventual.Futures.failed(new RuntimeException());
    f.exception();
    dev.eventual.ConcurrentFuture<Object> c = new dev.eventual.ConcurrentFuture<>();
    c.cancel("warm-up");
    c.cancel(false);
    c.setRunningOrNotifyCancel();
    // the timeout messages format numbers: the locale data must load outside Lincheck's threads
    dev.eventual.ConcurrentFuture<Object> pending = new dev.eventual.ConcurrentFuture<>();
    try {
      pending.result(java.time.Duration.ZERO);
    } catch (dev.eventual.WaitTimeoutException expected) {
      // warmed up
    }
    try (dev.eventual.FutureIterator<dev.eventual.ConcurrentFuture<Object>> it =
        dev.eventual.Futures.asCompleted(java.util.List.of(pending), java.time.Duration.ZERO)) {
      it.next();
    } catch (dev.eventual.WaitTimeoutException expected) {
      // warmed up
    }
    dev.eventual.Futures.wait(java.util.List.of(pending), java.time.Duration.ZERO);
  }

  public static ModelCheckingOptions modelChecking(Class<?> model) {
    return new ModelCheckingOptions()
        .invocationTimeout$lincheck(INVOCATION_TIMEOUT_MS)
        .iterations(Integer.getInteger("mc.it", 6) * SCALE)
        .invocationsPerIteration(Integer.getInteger("mc.inv", 60))
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1)
        .sequentialSpecification(model);
  }

  public static StressOptions stress(Class<?> model) {
    return new StressOptions()
        .invocationTimeout$lincheck(INVOCATION_TIMEOUT_MS)
        .iterations(Integer.getInteger("st.it", 6) * SCALE)
        .invocationsPerIteration(Integer.getInteger("st.inv", 500))
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1)
        .sequentialSpecification(model);
  }
}
