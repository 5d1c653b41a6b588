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

  @Test
  void aFullWindowHandsOutNoSlotUntilHalfOfItIsFreeThenEveryFreeSlot() {
    MemberWindow w = new MemberWindow(null, 0, 8);
    for (int i = 0; i < 8; i++) {
      assertThat(w.room()).isPositive();
      w.took(0);
    }
    assertThat(w.room()).isZero();
    for (int ended = 1; ended < 4; ended++) {
      w.inFlight--;
      assertThat(w.room()).as("%d slots free of 8: wait for a batch", ended).isZero();
    }
    w.inFlight--;
    assertThat(w.room()).as("half the window free: all of it handed out").isEqualTo(4);
    w.took(0);
    assertThat(w.room()).as("not full again: every free slot").isEqualTo(3);
  }

  @Test
  void aWindowThatIsNotFullHandsOutEverySlotSoALoneTaskNeverWaits() {
    MemberWindow w = new MemberWindow(null, 0, 8);
    w.took(0);
    w.inFlight--;
    assertThat(w.room()).isEqualTo(8);
    for (int i = 0; i < 7; i++) {
      w.took(0);
    }
    assertThat(w.room()).isEqualTo(1);
  }

  @Test
  void aWindowOfOneIsRefilledTaskByTask() {
    MemberWindow w = new MemberWindow(null, 0, 1);
    w.took(0);
    assertThat(w.room()).isZero();
    w.inFlight--;
    assertThat(w.room()).isEqualTo(1);
  }

  @Test
  void aFullWindowThatShrankWhileItWaitedForABatchIsRefilledOnceHalfOfTheNewLimitIsFree() {
    MemberWindow w = new MemberWindow(null, 0, START);
    w.limit = MAX;
    for (int i = 0; i < MAX; i++) {
      w.took(0);
    }
    w.quiet(START); // the member went silent: back to the starting window
    w.inFlight = START / 2 + 1;
    assertThat(w.room()).isZero();
    w.inFlight--;
    assertThat(w.room()).isEqualTo(START / 2);
  }
}
