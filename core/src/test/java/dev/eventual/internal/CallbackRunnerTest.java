package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The trampoline: inline up to MAX_DEPTH, then deferred in order, on the same thread. */
@Timeout(30)
class CallbackRunnerTest {

  /** A drain that records its nesting and may complete further "futures" from inside. */
  private static final class Recorder {
    final List<String> log = new ArrayList<>();
    int nesting;
    int maxNesting;
  }

  @Test
  void aDrainRunsAtOnceOnTheCallingThread() {
    List<Object> seen = new ArrayList<>();
    Thread caller = Thread.currentThread();
    CallbackRunner.run(
        (target, callbacks, outcome) -> {
          assertThat(Thread.currentThread()).isSameAs(caller);
          seen.add(target);
          seen.add(callbacks);
          seen.add(outcome);
        },
        "t",
        "c",
        "o");
    assertThat(seen).containsExactly("t", "c", "o");
  }

  private static void nest(Recorder r, int level, int levels) {
    CallbackRunner.run(
        (target, callbacks, outcome) -> {
          r.nesting++;
          r.maxNesting = Math.max(r.maxNesting, r.nesting);
          r.log.add("start " + target);
          if ((int) target < levels) {
            nest(r, (int) target + 1, levels);
          }
          r.log.add("end " + target);
          r.nesting--;
        },
        level,
        "callbacks",
        "outcome");
  }

  @Test
  void drainsNestUpToTheDepthLimitThenDefer() {
    Recorder r = new Recorder();
    nest(r, 1, 100);
    assertThat(r.maxNesting).isEqualTo(CallbackRunner.MAX_DEPTH);
    // the first MAX_DEPTH levels run nested; level MAX_DEPTH + 1 waits until they all returned
    int limit = CallbackRunner.MAX_DEPTH;
    assertThat(r.log.indexOf("end 1")).isLessThan(r.log.indexOf("start " + (limit + 1)));
    assertThat(r.log.indexOf("start " + limit)).isLessThan(r.log.indexOf("end " + limit));
    for (int i = 1; i <= 100; i++) {
      assertThat(r.log).contains("start " + i, "end " + i);
    }
    assertThat(r.log).hasSize(200);
  }

  @Test
  void deepChainsRunInConstantStack() {
    Recorder r = new Recorder();
    nest(r, 1, 1_000_000);
    assertThat(r.log).hasSize(2_000_000);
    assertThat(r.maxNesting).isLessThanOrEqualTo(CallbackRunner.MAX_DEPTH + 1);
  }

  @Test
  void deferredDrainsRunInTheOrderTheyWereDeferred() {
    List<String> order = new ArrayList<>();
    CallbackRunner.Drainer leaf = (t, c, o) -> order.add((String) t);
    // descend to the limit, then complete three targets from the deepest level
    CallbackRunner.Drainer[] descend = new CallbackRunner.Drainer[1];
    descend[0] =
        (t, c, o) -> {
          int level = (int) t;
          if (level < CallbackRunner.MAX_DEPTH) {
            CallbackRunner.run(descend[0], level + 1, "c", "o");
          } else {
            CallbackRunner.run(leaf, "first", "c", "o");
            CallbackRunner.run(leaf, "second", "c", "o");
            CallbackRunner.run(leaf, "third", "c", "o");
            order.add("deepest returns");
          }
        };
    CallbackRunner.run(descend[0], 1, "c", "o");
    assertThat(order).containsExactly("deepest returns", "first", "second", "third");
  }

  @Test
  void nullArgumentsAreRejectedBeforeAnythingIsQueued() {
    List<String> ran = new ArrayList<>();
    CallbackRunner.Drainer[] descend = new CallbackRunner.Drainer[1];
    descend[0] =
        (t, c, o) -> {
          int level = (int) t;
          if (level < CallbackRunner.MAX_DEPTH) {
            CallbackRunner.run(descend[0], level + 1, "c", "o");
          } else {
            assertThatThrownBy(
                    () -> CallbackRunner.run((x, y, z) -> ran.add("bad"), "t", null, "o"))
                .isInstanceOf(NullPointerException.class);
          }
        };
    CallbackRunner.run(descend[0], 1, "c", "o");
    assertThat(ran).isEmpty();
    assertThatThrownBy(() -> CallbackRunner.run(null, "t", "c", "o"))
        .isInstanceOf(NullPointerException.class);
    Recorder r = new Recorder();
    nest(r, 1, 2);
    assertThat(r.log).containsExactly("start 1", "start 2", "end 2", "end 1");
  }

  @Test
  void aThrowingDrainDoesNotStrandTheDeferredOnes() {
    List<String> ran = new ArrayList<>();
    CallbackRunner.Drainer[] descend = new CallbackRunner.Drainer[1];
    descend[0] =
        (t, c, o) -> {
          int level = (int) t;
          if (level < CallbackRunner.MAX_DEPTH) {
            CallbackRunner.run(descend[0], level + 1, "c", "o");
          } else {
            CallbackRunner.run(
                (x, y, z) -> {
                  ran.add("throws");
                  throw new IllegalStateException("drain broke its contract");
                },
                "t",
                "c",
                "o");
            CallbackRunner.run((x, y, z) -> ran.add("after"), "t", "c", "o");
          }
        };
    assertThatThrownBy(() -> CallbackRunner.run(descend[0], 1, "c", "o"))
        .hasMessage("drain broke its contract");
    assertThat(ran).containsExactly("throws", "after");
    Recorder r = new Recorder();
    nest(r, 1, 2); // the queue is empty and the depth back to 0
    assertThat(r.log).containsExactly("start 1", "start 2", "end 2", "end 1");
  }

  @Test
  void theQueueIsEmptyAndTheDepthZeroAfterwards() {
    nest(new Recorder(), 1, 500);
    // a fresh drain runs inline again: nothing left queued, depth back at 0
    Recorder r = new Recorder();
    nest(r, 1, 3);
    assertThat(r.log).containsExactly("start 1", "start 2", "start 3", "end 3", "end 2", "end 1");
  }
}
