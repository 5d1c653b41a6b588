package dev.eventual.loop;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * What the tests of the loop's primitives share: a loop per test, closed after it, a way to run a
 * body as a task until it ends, and asyncio's bare {@code await asyncio.sleep(0)}.
 */
abstract class LoopTaskFixture {
  final EventLoop loop = new EventLoop();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  /** Runs {@code body} as a task of {@link #loop} until it ends; returns what it returned. */
  <T> T run(TaskBody<T> body) {
    return loop.runUntilComplete(loop.createTask(body));
  }

  /** Lets the loop run the other ready callbacks once (inside a task). */
  static void yieldOnce() {
    Asyncio.sleep(Duration.ZERO);
  }
}
