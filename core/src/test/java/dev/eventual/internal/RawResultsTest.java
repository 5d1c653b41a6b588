package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RawResultsTest {
  /** A result class nobody special-cases. */
  record Point(int x, int y) {}

  /** A result that is also a callback: must be boxed, never stored raw. */
  static final class CallbackResult implements Consumer<Object> {
    @Override
    public void accept(Object o) {}
  }

  @Test
  void theCommonestClassesAreRawWithoutAnyLookup() {
    assertThat(RawResults.isCommon(Integer.class)).isTrue();
    assertThat(RawResults.isCommon(String.class)).isTrue();
    assertThat(RawResults.isCommon(Point.class)).isFalse();
  }

  @Test
  void aRecordIsRawAndIsThenKnownByOneProbe() {
    // Another raw class with the same slot, kept by a concurrent test in between, may displace it
    // once; a class that is never kept fails every round.
    boolean known = false;
    for (int round = 0; round < 5 && !known; round++) {
      assertThat(RawResults.isRaw(Point.class)).isTrue();
      known = RawResults.isKnownRaw(Point.class);
    }
    assertThat(known).isTrue();
  }

  @Test
  void statesAndCallbacksAreNeverRawNorKnownRaw() {
    for (Class<?> c : new Class<?>[] {CallbackResult.class, CallbackStack.class, Failure.class}) {
      assertThat(RawResults.isRaw(c)).as(c.getName()).isFalse();
      assertThat(RawResults.isKnownRaw(c)).as(c.getName()).isFalse();
    }
  }

  @Test
  void aClassOfAChildLoaderIsRawButNotKeptSoItsLoaderCanBeCollected() throws Exception {
    Class<?> foreign = new IsolatingLoader(getClass().getClassLoader()).load(Point.class);
    assertThat(foreign).isNotSameAs(Point.class);
    assertThat(foreign.getClassLoader()).isInstanceOf(IsolatingLoader.class);

    assertThat(RawResults.isRaw(foreign)).isTrue();
    assertThat(RawResults.isKnownRaw(foreign)).isFalse();
  }

  /** Defines its own copy of a class, as a web application's loader would. */
  private static final class IsolatingLoader extends ClassLoader {
    IsolatingLoader(ClassLoader parent) {
      super(parent);
    }

    Class<?> load(Class<?> original) throws Exception {
      String resource = original.getName().replace('.', '/') + ".class";
      try (InputStream in = getParent().getResourceAsStream(resource)) {
        byte[] bytes = in.readAllBytes();
        return defineClass(original.getName(), bytes, 0, bytes.length);
      }
    }
  }
}
