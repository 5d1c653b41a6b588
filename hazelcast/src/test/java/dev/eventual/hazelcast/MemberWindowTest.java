package dev.eventual.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A member's window: it grows while tasks wait for room and falls back to the starting one. */
class MemberWindowTest {
  private static final int START = 64;
  private static final int MAX = 100;

  @Test
  void aWindowGrowsByOneForEachAnswerWhileTasksWaitUpToItsMaximum() {
    MemberWindow w = new MemberWindow(null, 0, START);
    w.inFlight = START;
    assertThat(w.room()).isZero();
    for (int i = 0; i < 2 * MAX; i++) {
      w.inFlight--; // a task ended there
      w.answered(true, START, MAX);
      w.inFlight = w.limit; // the dispatcher fills the window again
    }
    assertThat(w.limit).isEqualTo(MAX);
  }

  @Test
  void aWindowFallsBackToTheStartOnceNoTaskWaitsAndFewerThanTheStartAreThere() {
    MemberWindow w = new MemberWindow(null, 0, START);
    w.limit = MAX;
    w.inFlight = START + 10;
    w.answered(false, START, MAX);
    assertThat(w.limit).as("still more than the start there: kept").isEqualTo(MAX);
    w.inFlight = START - 1;
    w.answered(false, START, MAX);
    assertThat(w.limit).isEqualTo(START);
  }

  @Test
  void aSilentOrLostMemberFallsBackToTheStartingWindowAndGetsNothingWhileAboveIt() {
    MemberWindow w = new MemberWindow(null, 0, START);
    w.limit = MAX;
    w.inFlight = MAX;
    w.quiet(START);
    assertThat(w.limit).isEqualTo(START);
    assertThat(w.room()).isNegative();
    w.quiet(START);
    assertThat(w.limit).isEqualTo(START);
  }

  @Test
  void aMaximumBelowTheStartIsAFixedWindow() {
    MemberWindow w = new MemberWindow(null, 0, 8);
    w.inFlight = 7;
    w.answered(true, 8, 8);
    assertThat(w.limit).isEqualTo(8);
  }
}
