package dev.eventual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** {@link FutureExecutor#newVirtualThreadExecutor()}: the contract on JDK 21+, an error before. */
@Timeout(60)
class VirtualThreadExecutorTest {

  /** The contract, where virtual threads exist. */
  @Nested
  @EnabledForJreRange(min = JRE.JAVA_21)
  class Contract extends FutureExecutorContract {
    @Override
    protected FutureExecutor newExecutor(int maxWorkers) {
      return FutureExecutor.newVirtualThreadExecutor(); // one thread per task: no limit
    }

    @Override
    protected boolean limitsWorkers() {
      return false;
    }

    @Test
    void tasksRunOnVirtualThreads() throws Exception {
      FutureExecutor ex = executor(1);
      Thread t = ex.submit(Thread::currentThread).result();
      Method isVirtual = Thread.class.getMethod("isVirtual");
      assertThat((Boolean) isVirtual.invoke(t)).isTrue();
    }
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_17, max = JRE.JAVA_20)
  void beforeJdk21NewVirtualThreadExecutorSaysItNeedsJdk21() {
    assertThatThrownBy(FutureExecutor::newVirtualThreadExecutor)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("JDK 21 or later");
  }
}
