package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ports the {@code BoundedSemaphore} cases of CPython's {@code test_locks.py}. */
@Timeout(10)
class BoundedSemaphoreTest {
  private final EventLoop loop = new EventLoop();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  @Test // test_locks.py: SemaphoreTests.test_release_not_acquired
  void aReleaseBeyondTheInitialValueRaisesAndChangesNothing() {
    BoundedSemaphore sem = new BoundedSemaphore();
    assertThatThrownBy(sem::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("BoundedSemaphore released too many times");
    assertThat(sem.value()).isEqualTo(1);
    assertThat(sem.isLocked()).isFalse();
  }

  @Test // test_locks.py: LockTests.test_lock_by_with_statement (BoundedSemaphore)
  void acquiredPermitsCanBeGivenBackUpToTheBound() {
    BoundedSemaphore sem = new BoundedSemaphore(2);
    loop.runUntilComplete(
        loop.createTask(
            () -> {
              try (Held a = sem.hold();
                  Held b = sem.hold()) {
                assertThat(sem.isLocked()).isTrue();
              }
              return null;
            }));
    assertThat(sem.value()).isEqualTo(2);
    assertThatThrownBy(sem::release).isInstanceOf(IllegalStateException.class);
    assertThat(sem.value()).isEqualTo(2);
  }

  @Test // test_locks.py: SemaphoreTests.test_semaphore_value (BoundedSemaphore)
  void aNegativeBoundIsRefused() {
    assertThatThrownBy(() -> new BoundedSemaphore(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
