package dev.eventual.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventual.loop.EventLoop;
import dev.eventual.loop.LoopFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A million loop callbacks, each scheduled by the one before, complete without {@link
 * StackOverflowError} (at {@code -Xss1m}, as the rest of this module): a {@code callSoon} chain,
 * and a chain of loop futures each completed by a done-callback of the one before.
 */
class LoopDepthTest {
  private static final int DEPTH = 1_000_000;

  @Test
  @Timeout(120)
  void millionCallbackCallSoonChainCompletesWithoutStackOverflow() {
    try (EventLoop loop = new EventLoop()) {
      LoopFuture<Integer> done = loop.createFuture();
      int[] count = {0};
      Runnable[] step = new Runnable[1];
      step[0] =
          () -> {
            if (++count[0] == DEPTH) {
              done.setResult(count[0]);
            } else {
              loop.callSoon(step[0]);
            }
          };
      loop.callSoon(step[0]);
      assertThat(loop.runUntilComplete(done)).isEqualTo(DEPTH);
    }
  }

  @Test
  @Timeout(120)
  void millionStageLoopFutureDoneCallbackChainCompletesWithoutStackOverflow() {
    try (EventLoop loop = new EventLoop()) {
      LoopFuture<Integer> first = loop.createFuture();
      LoopFuture<Integer> last = first;
      for (int i = 0; i < DEPTH; i++) {
        LoopFuture<Integer> next = loop.createFuture();
        last.addDoneCallback(f -> next.setResult(f.result() + 1));
        last = next;
      }
      first.setResult(0);
      assertThat(loop.runUntilComplete(last)).isEqualTo(DEPTH);
    }
  }
}
