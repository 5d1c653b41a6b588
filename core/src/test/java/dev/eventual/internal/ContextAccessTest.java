package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventual.Context;
import dev.eventual.ContextVar;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event loop's way into {@link Context}: above all {@link ContextAccess#runInCopy}, which must
 * behave exactly as {@code contextOf(snapshot).run(fn, arg)} (a copy of the context current when
 * the snapshot was taken) whether it lends the current context or makes the copy.
 */
@Timeout(10)
class ContextAccessTest {
  private static final ContextAccess ACCESS = ContextAccess.get();
  private final ContextVar<String> var = new ContextVar<>("var", "default");

  /** Runs the body in a fresh empty context of its own. */
  private static void isolated(Runnable body) {
    new Context().run(body);
  }

  private static <T> void runInCopy(CowMap snapshot, Consumer<T> fn, T arg) {
    ACCESS.runInCopy(snapshot, ACCESS.slot(), fn, arg);
  }

  @Test
  void theSlotIsTheSameObjectForEveryCallOnAThread() {
    assertThat(ACCESS.slot()).isSameAs(ACCESS.slot());
  }

  @Test
  void aSnapshotKeepsTheValuesOfItsMomentAndContextOfMakesACopyHoldingThem() {
    isolated(
        () -> {
          var.set("before");
          CowMap snapshot = ACCESS.snapshot(ACCESS.slot());
          var.set("after");
          Context copy = ACCESS.contextOf(snapshot);
          assertThat(copy.get(var)).isEqualTo("before");
          assertThat(ACCESS.contextOf(snapshot)).isNotSameAs(copy);
        });
  }

  @Test
  void codeRunInACopyOfTheCurrentContextReadsItsValuesAndItsWritesStayInTheCopy() {
    isolated(
        () -> {
          var.set("outer");
          Context outer = ACCESS.copyCurrent(ACCESS.slot());
          List<String> seen = new ArrayList<>();
          runInCopy(
              ACCESS.snapshot(ACCESS.slot()),
              (String label) -> {
                seen.add(label + var.get());
                var.set("inner");
                seen.add(label + var.get());
                var.set("inner2");
                seen.add(label + var.get());
              },
              "a:");
          assertThat(seen).containsExactly("a:outer", "a:inner", "a:inner2");
          assertThat(var.get()).isEqualTo("outer");
          assertThat(outer.get(var)).isEqualTo("outer");
        });
  }

  @Test
  void eachRunInTheSameSnapshotStartsFromItAfresh() {
    isolated(
        () -> {
          CowMap snapshot = ACCESS.snapshot(ACCESS.slot());
          List<String> seen = new ArrayList<>();
          Consumer<String> setter =
              label -> {
                seen.add(label + var.get());
                var.set(label);
              };
          runInCopy(snapshot, setter, "a");
          runInCopy(snapshot, setter, "b");
          assertThat(seen).containsExactly("adefault", "bdefault");
          assertThat(var.get()).isEqualTo("default");
        });
  }

  @Test
  void aSnapshotOfAnotherMomentRunsInACopyHoldingItsValues() {
    isolated(
        () -> {
          var.set("then");
          CowMap then = ACCESS.snapshot(ACCESS.slot());
          var.set("now");
          AtomicReference<String> seen = new AtomicReference<>();
          runInCopy(
              then,
              (String ignored) -> {
                seen.set(var.get());
                var.set("changed");
              },
              "");
          assertThat(seen).hasValue("then");
          assertThat(var.get()).isEqualTo("now");
        });
  }

  @Test
  void aTokenMadeInOneCopyCannotResetInAnotherNorOutside() {
    isolated(
        () -> {
          CowMap snapshot = ACCESS.snapshot(ACCESS.slot());
          AtomicReference<ContextVar.Token<String>> token = new AtomicReference<>();
          runInCopy(snapshot, (String v) -> token.set(var.set(v)), "first");
          runInCopy(
              snapshot,
              (String ignored) ->
                  assertThatThrownBy(() -> var.reset(token.get()))
                      .isInstanceOf(IllegalArgumentException.class)
                      .hasMessageContaining("different Context"),
              "");
          assertThatThrownBy(() -> var.reset(token.get()))
              .isInstanceOf(IllegalArgumentException.class);
          assertThat(token.get().isUsed()).isFalse();
        });
  }

  @Test
  void aTokenMadeInTheCopyResetsInsideIt() {
    isolated(
        () ->
            runInCopy(
                ACCESS.snapshot(ACCESS.slot()),
                (String v) -> {
                  ContextVar.Token<String> t = var.set(v);
                  assertThat(var.get()).isEqualTo(v);
                  var.reset(t);
                  assertThat(var.get()).isEqualTo("default");
                },
                "x"));
  }

  @Test
  void aContextEnteredInsideACopyTakesTheWritesAndTheCopyIsCurrentAgainAfter() {
    isolated(
        () -> {
          Context other = new Context();
          List<String> seen = new ArrayList<>();
          runInCopy(
              ACCESS.snapshot(ACCESS.slot()),
              (String ignored) -> {
                other.run(() -> var.set("in other"));
                seen.add(var.get());
                var.set("in copy");
                other.run(() -> seen.add(var.get()));
                seen.add(var.get());
              },
              "");
          assertThat(seen).containsExactly("default", "in other", "in copy");
          assertThat(other.get(var)).isEqualTo("in other");
          assertThat(var.get()).isEqualTo("default");
        });
  }

  @Test
  void copyContextInsideACopyTakesItsCurrentValues() {
    isolated(
        () -> {
          AtomicReference<Context> before = new AtomicReference<>();
          AtomicReference<Context> after = new AtomicReference<>();
          runInCopy(
              ACCESS.snapshot(ACCESS.slot()),
              (String v) -> {
                before.set(Context.copyContext());
                var.set(v);
                after.set(Context.copyContext());
              },
              "set");
          assertThat(before.get().contains(var)).isFalse();
          assertThat(after.get().get(var)).isEqualTo("set");
        });
  }

  @Test
  void runsNestInsideEachOther() {
    isolated(
        () -> {
          CowMap outer = ACCESS.snapshot(ACCESS.slot());
          List<String> seen = new ArrayList<>();
          runInCopy(
              outer,
              (String a) -> {
                runInCopy(
                    ACCESS.snapshot(ACCESS.slot()),
                    (String b) -> {
                      var.set(b);
                      seen.add(var.get());
                    },
                    "inner");
                seen.add(var.get());
                var.set(a);
                runInCopy(ACCESS.snapshot(ACCESS.slot()), (String b) -> seen.add(var.get()), "");
                seen.add(var.get());
              },
              "outer");
          assertThat(seen).containsExactly("inner", "default", "outer", "outer");
          assertThat(var.get()).isEqualTo("default");
        });
  }

  @Test
  void theCallersContextIsCurrentAgainWhenTheCodeThrows() {
    isolated(
        () -> {
          var.set("caller");
          IllegalStateException boom = new IllegalStateException("boom");
          for (CowMap snapshot :
              List.of(ACCESS.snapshot(ACCESS.slot()), CowMap.EMPTY.with(var, "elsewhere"))) {
            assertThatThrownBy(
                    () ->
                        runInCopy(
                            snapshot,
                            (String v) -> {
                              var.set(v);
                              throw boom;
                            },
                            "thrower"))
                .isSameAs(boom);
            assertThat(var.get()).isEqualTo("caller");
            var.set("caller again");
            assertThat(Context.copyContext().get(var)).isEqualTo("caller again");
            var.set("caller");
          }
        });
  }
}
