package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ContextTest {

  /** Runs the body in a fresh empty context, as CPython's {@code @isolated_context}. */
  private static void isolated(Runnable body) {
    new Context().run(body);
  }

  @Test // CPython test_context.py: ContextTest.test_context_var_new_1
  void contextVarKeepsItsNameAndRejectsNull() {
    assertThatThrownBy(() -> new ContextVar<>(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThat(new ContextVar<>("aaa").name()).isEqualTo("aaa");
  }

  @Test // CPython test_context.py: ContextTest.test_context_var_repr_1
  void contextVarAndTokenDescribeThemselves() {
    isolated(
        () -> {
          assertThat(new ContextVar<>("a").toString()).contains("'a'");
          ContextVar<Integer> c = new ContextVar<>("a", 123);
          assertThat(c.toString()).contains("123");
          ContextVar.Token<Integer> t = c.set(1);
          assertThat(t.toString()).contains(c.toString()).doesNotContain(" used");
          c.reset(t);
          assertThat(t.toString()).contains(" used");
          assertThat(t.isUsed()).isTrue();
        });
  }

  @Test // CPython test_context.py: ContextTest.test_context_get_context_1
  void copyContextReturnsANewContextEachTime() {
    Context a = Context.copyContext();
    assertThat(a).isNotNull().isNotSameAs(Context.copyContext());
  }

  @Test // CPython test_context.py: ContextTest.test_context_run_1 and test_context_typerrors_1
  void nullArgumentsAreRejectedByName() {
    Context ctx = new Context();
    assertThatThrownBy(() -> ctx.run((Runnable) null)).hasMessage("fn must not be null");
    assertThatThrownBy(() -> ctx.get(null)).hasMessage("var must not be null");
    assertThatThrownBy(() -> ctx.contains(null)).hasMessage("var must not be null");
  }

  @Test // CPython test_context.py: ContextTest.test_context_run_2
  void runReturnsWhatTheFunctionReturns() {
    assertThat(new Context().run(() -> List.of(1, "bar"))).containsExactly(1, "bar");
  }

  @Test // CPython test_context.py: ContextTest.test_context_run_3
  void runPropagatesTheSameException() {
    ArithmeticException boom = new ArithmeticException("/ by zero");
    assertThatThrownBy(
            () ->
                new Context()
                    .run(
                        (Runnable)
                            () -> {
                              throw boom;
                            }))
        .isSameAs(boom);
  }

  @Test // CPython test_context.py: ContextTest.test_context_run_4
  void nestedRunsSeeOnlyTheirOwnContext() {
    isolated(
        () -> {
          Context ctx1 = new Context();
          Context ctx2 = new Context();
          ContextVar<String> var = new ContextVar<>("var");
          Context returned =
              ctx1.run(
                  () -> {
                    assertThat(var.get(null)).isNull();
                    var.set("spam");
                    ctx2.run(() -> assertThat(var.get(null)).isNull());
                    assertThat(var.get(null)).isEqualTo("spam");
                    Context cur = Context.copyContext();
                    assertThat(cur.size()).isEqualTo(1);
                    assertThat(cur.get(var)).isEqualTo("spam");
                    return cur;
                  });
          assertThat(returned.get(var)).isEqualTo("spam");
          assertThat(returned.contains(var)).isTrue();
          assertThat(ctx1.get(var)).isEqualTo("spam");
          assertThat(ctx2.size()).isZero();
        });
  }

  @Test // CPython test_context.py: ContextTest.test_context_run_5
  void runRestoresTheCallersContextWhenTheFunctionThrows() {
    ContextVar<String> var = new ContextVar<>("var");
    Context ctx = new Context();
    assertThatThrownBy(
            () ->
                ctx.run(
                    (Runnable)
                        () -> {
                          var.set("spam");
                          throw new ArithmeticException();
                        }))
        .isInstanceOf(ArithmeticException.class);
    assertThat(var.get(null)).isNull();
    assertThat(ctx.get(var)).isEqualTo("spam");
  }

  @Test // CPython test_context.py: ContextTest.test_context_run_6
  void contextGetDoesNotUseTheVariablesDefault() {
    Context ctx = new Context();
    ContextVar<Integer> c = new ContextVar<>("a", 0);
    ctx.run(
        () -> {
          assertThat(c.get()).isZero();
          assertThat(ctx.get(c)).isNull();
          c.set(42);
          assertThat(c.get()).isEqualTo(42);
          assertThat(ctx.get(c)).isEqualTo(42);
        });
  }

  @Test // CPython test_context.py: ContextTest.test_context_run_7
  void aContextCannotBeEnteredTwice() {
    Context ctx = new Context();
    ctx.run(
        () ->
            assertThatThrownBy(() -> ctx.run(() -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is already entered"));
    ctx.run(() -> {}); // usable again afterwards
  }

  @Test // CPython test_context.py: ContextTest.test_context_run_2 (ctx.run(fn, arg))
  void runWithAnArgumentPassesItInsideTheContextAndRefusesReentry() throws Exception {
    ContextVar<String> var = new ContextVar<>("var", "outside");
    Context ctx = new Context();
    Thread t = new Thread(() -> ctx.run(var::set, "set by another thread"));
    t.start();
    join(t);
    List<String> seen = new ArrayList<>();
    ctx.run(
        (String arg) -> {
          seen.add(arg + ":" + var.get());
          assertThatThrownBy(() -> ctx.run(x -> {}, "again")).hasMessageContaining("is already");
        },
        "arg");
    assertThat(seen).containsExactly("arg:set by another thread");
    assertThat(var.get()).isEqualTo("outside");
    assertThatThrownBy(() -> ctx.run((java.util.function.Consumer<String>) null, "x"))
        .hasMessage("fn must not be null");
  }

  @Test
  void aContextEnteredByAnotherThreadCannotBeEntered() throws Exception {
    Context ctx = new Context();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread t =
        new Thread(
            () ->
                ctx.run(
                    () -> {
                      inside.countDown();
                      await(release);
                    }));
    t.start();
    inside.await();
    assertThatThrownBy(() -> ctx.run(() -> {})).hasMessageContaining("is already entered");
    release.countDown();
    t.join();
  }

  @Test // CPython test_context.py: ContextTest.test_context_getset_1
  void setGetResetAndTokens() {
    isolated(
        () -> {
          ContextVar<Object> c = new ContextVar<>("c");
          assertThatThrownBy(c::get)
              .isInstanceOf(NoSuchElementException.class)
              .hasMessageContaining("'c'")
              .hasMessageContaining("no default");
          assertThat(c.get(null)).isNull();

          ContextVar.Token<Object> t0 = c.set(42);
          assertThat(c.get()).isEqualTo(42);
          assertThat(t0.oldValue()).isSameAs(ContextVar.Token.MISSING);
          assertThat(t0.var()).isSameAs(c);

          ContextVar.Token<Object> t = c.set("spam");
          assertThat(c.get()).isEqualTo("spam");
          assertThat(t.oldValue()).isEqualTo(42);
          c.reset(t);
          assertThat(c.get()).isEqualTo(42);

          c.set("spam2");
          assertThatThrownBy(() -> c.reset(t))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("has already been used");
          assertThat(c.get()).isEqualTo("spam2");

          Context ctx1 = Context.copyContext();
          assertThat(ctx1.contains(c)).isTrue();

          c.reset(t0);
          assertThatThrownBy(() -> c.reset(t0)).hasMessageContaining("has already been used");
          assertThat(c.get(null)).isNull();

          assertThat(ctx1.get(c)).isEqualTo("spam2");
          assertThat(ctx1.get(c, "aa")).isEqualTo("spam2");
          assertThat(ctx1.size()).isEqualTo(1);
          assertThat(ctx1.items()).containsExactly(Map.entry(c, "spam2"));
          assertThat(ctx1.values()).containsExactly("spam2");
          assertThat(ctx1.keys()).containsExactly(c);
          assertThat(ctx1).containsExactly(c);

          Context ctx2 = Context.copyContext();
          assertThat(ctx2.contains(c)).isFalse();
          assertThat(ctx2.get(c, "aa")).isEqualTo("aa");
          assertThat(ctx2.size()).isZero();
          assertThat(ctx2).isEmpty();
        });
  }

  @Test // CPython test_context.py: ContextTest.test_context_getset_2
  void resetRejectsATokenOfAnotherVariable() {
    isolated(
        () -> {
          ContextVar<Integer> v1 = new ContextVar<>("v1");
          ContextVar<Integer> v2 = new ContextVar<>("v2");
          ContextVar.Token<Integer> t1 = v1.set(42);
          assertThatThrownBy(() -> v2.reset(t1))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("by a different ContextVar");
          assertThat(v1.get()).isEqualTo(42);
          assertThat(t1.isUsed()).isFalse();
        });
  }

  @Test // CPython test_context.py: ContextTest.test_context_getset_3
  void resetUnsetsAVariableThatHadNoValue() {
    ContextVar<Integer> c = new ContextVar<>("c", 42);
    Context ctx = new Context();
    ctx.run(
        () -> {
          assertThat(c.get()).isEqualTo(42);
          assertThat(ctx.get(c)).isNull();
          assertThat(ctx.get(c, -1)).isEqualTo(-1);
          assertThat(ctx.contains(c)).isFalse();
          ContextVar.Token<Integer> t = c.set(1);
          assertThat(ctx.keys()).containsExactly(c);
          assertThat(ctx.get(c)).isEqualTo(1);
          c.reset(t);
          assertThat(ctx.keys()).isEmpty();
          assertThat(ctx.contains(c)).isFalse();
        });
  }

  @Test // CPython test_context.py: ContextTest.test_context_getset_4
  void resetRejectsATokenOfAnotherContext() {
    isolated(
        () -> {
          ContextVar<Integer> c = new ContextVar<>("c", 42);
          Context ctx = new Context();
          ContextVar.Token<Integer> tok = ctx.run(() -> c.set(1));
          assertThatThrownBy(() -> c.reset(tok))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("different Context");
          assertThat(ctx.get(c)).isEqualTo(1);
        });
  }

  @Test // CPython test_context.py: ContextTest.test_context_getset_5
  void aCopyDoesNotLeakChangesBack() {
    isolated(
        () -> {
          ContextVar<List<Integer>> c = new ContextVar<>("c", List.of());
          c.set(new ArrayList<>());
          Context.copyContext()
              .run(
                  () -> {
                    c.set(new ArrayList<>());
                    c.get().add(42);
                    assertThat(c.get()).containsExactly(42);
                  });
          assertThat(c.get()).isEmpty();
        });
  }

  @Test // CPython test_context.py: ContextTest.test_context_copy_1
  void copiesAreIndependent() {
    Context ctx1 = new Context();
    ContextVar<Integer> c = new ContextVar<>("c", 42);
    ctx1.run(
        () -> {
          c.set(10);
          Context ctx2 = ctx1.copy();
          assertThat(ctx2.get(c)).isEqualTo(10);
          c.set(20);
          assertThat(ctx1.get(c)).isEqualTo(20);
          assertThat(ctx2.get(c)).isEqualTo(10);
          ctx2.run(
              () -> {
                assertThat(c.get()).isEqualTo(10);
                c.set(30);
                assertThat(c.get()).isEqualTo(30);
              });
          assertThat(ctx1.get(c)).isEqualTo(20);
          assertThat(ctx2.get(c)).isEqualTo(30);
        });
  }

  @Test // CPython test_context.py: ContextTest.test_context_threads_1
  void everyThreadHasItsOwnContext() throws Exception {
    ContextVar<Integer> cvar = new ContextVar<>("cvar");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int n = 0; n < 10; n++) {
        int num = n;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 10; i++) {
                    cvar.set(num + i);
                    Thread.yield();
                    assertThat(cvar.get()).isEqualTo(num + i);
                  }
                  return num;
                }));
      }
      for (int n = 0; n < 10; n++) {
        assertThat(results.get(n).get(5, TimeUnit.SECONDS)).isEqualTo(n);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aNewThreadStartsWithAnEmptyContext() throws Exception {
    ContextVar<String> v = new ContextVar<>("v");
    AtomicReference<Integer> size = new AtomicReference<>();
    AtomicReference<String> seen = new AtomicReference<>("unset");
    Context.copyContext()
        .run(
            () -> {
              v.set("outer");
              Thread t =
                  new Thread(
                      () -> {
                        size.set(Context.copyContext().size());
                        seen.set(v.get(null));
                      });
              t.start();
              join(t);
            });
    assertThat(size.get()).isZero();
    assertThat(seen.get()).isNull();
  }

  @Test
  void nullIsAValueLikeAnyOther() {
    isolated(
        () -> {
          ContextVar<String> v = new ContextVar<>("v", "default");
          ContextVar.Token<String> t = v.set(null);
          assertThat(v.get()).isNull();
          assertThat(Context.copyContext().contains(v)).isTrue();
          ContextVar.Token<String> t2 = v.set("x");
          assertThat(t2.oldValue()).isNull();
          v.reset(t2);
          v.reset(t);
          assertThat(v.get()).isEqualTo("default");
        });
  }

  @Test
  void wrapCarriesTheSubmittersContextIntoAnExecutor() throws Exception {
    ContextVar<String> v = new ContextVar<>("request");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Context ctx = new Context();
      Future<?>[] futures = new Future<?>[3];
      ctx.run(
          () -> {
            v.set("r-17");
            futures[0] = pool.submit(Context.wrap((Callable<String>) v::get));
            futures[1] = pool.submit(Context.wrap(() -> v.set("changed in the worker")));
            futures[2] = pool.submit(() -> v.get(null)); // not wrapped: the worker's own
          });
      assertThat(futures[0].get(5, TimeUnit.SECONDS)).isEqualTo("r-17");
      futures[1].get(5, TimeUnit.SECONDS);
      assertThat(futures[2].get(5, TimeUnit.SECONDS)).isNull();
      assertThat(ctx.get(v)).isEqualTo("r-17"); // the worker's change stayed in its copy
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWrappedTaskCanRunTwiceAtOnce() throws Exception {
    ContextVar<String> v = new ContextVar<>("v");
    CountDownLatch both = new CountDownLatch(2);
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Runnable[] task = new Runnable[1];
    Context.copyContext()
        .run(
            () -> {
              v.set("captured");
              task[0] =
                  Context.wrap(
                      () -> {
                        both.countDown();
                        await(both); // both runs are inside a copy of the same snapshot
                        seen.add(v.get());
                      });
            });
    Thread a = new Thread(task[0]);
    Thread b = new Thread(task[0]);
    a.start();
    b.start();
    a.join();
    b.join();
    assertThat(seen).containsExactly("captured", "captured");
  }

  @Test
  void wrapExecutorCapturesAtExecuteTime() throws Exception {
    ContextVar<Integer> v = new ContextVar<>("v");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Executor wrapped = Context.wrapExecutor(pool);
      assertThat(wrapped.toString()).startsWith("Context.wrapExecutor(");
      List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      CountDownLatch done = new CountDownLatch(2);
      Context.copyContext()
          .run(
              () -> {
                v.set(1);
                wrapped.execute(
                    () -> {
                      seen.add(v.get());
                      done.countDown();
                    });
                v.set(2);
                wrapped.execute(
                    () -> {
                      seen.add(v.get());
                      done.countDown();
                    });
              });
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(seen).containsExactly(1, 2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void wrapRejectsNull() {
    assertThatThrownBy(() -> Context.wrap((Runnable) null)).hasMessage("task must not be null");
    assertThatThrownBy(() -> Context.wrap((Callable<?>) null)).hasMessage("task must not be null");
    assertThatThrownBy(() -> Context.wrapExecutor(null)).hasMessage("executor must not be null");
  }

  @Test
  void aCopyIsCheapAndSharesNothingMutable() {
    isolated(
        () -> {
          List<ContextVar<Integer>> vars = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            ContextVar<Integer> v = new ContextVar<>("v" + i);
            vars.add(v);
            v.set(i);
          }
          Context snapshot = Context.copyContext();
          vars.get(7).set(-7);
          assertThat(snapshot.get(vars.get(7))).isEqualTo(7);
          assertThat(snapshot.keys()).containsExactlyElementsOf(vars);
          assertThat(snapshot.toString()).contains("50 vars");
        });
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
