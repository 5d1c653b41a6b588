package dev.eventual.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The immutable callback list: order, removal, running bit and markers, sharing. */
class CallbackStackTest {
  private static Consumer<Object> cb(String name) {
    return new Consumer<>() {
      @Override
      public void accept(Object o) {}

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** Walks the nodes newest first, markers included ("|" for a marker). */
  private static List<String> nodes(CallbackStack head) {
    List<String> out = new ArrayList<>();
    for (CallbackStack p = head; p != null; p = p.next) {
      out.add((p.callback == null ? "|" : p.callback.toString()) + (p.running ? "*" : ""));
    }
    return out;
  }

  private final Consumer<Object> a = cb("a");
  private final Consumer<Object> b = cb("b");
  private final Consumer<Object> c = cb("c");
  private final Consumer<Object> d = cb("d");

  @Test
  void inOrderListsOldestFirstWithoutMarkers() {
    CallbackStack s = new CallbackStack(a, null, false);
    s = new CallbackStack(b, s, false);
    s = new CallbackStack(null, s, true);
    s = new CallbackStack(c, s, true);
    assertThat(CallbackStack.inOrder(s)).containsExactly(a, b, c);
    assertThat(CallbackStack.inOrder(CallbackStack.RUNNING)).isEmpty();
  }

  @Test
  void withoutRemovesEveryMatchAndCountsThem() {
    CallbackStack s = push(null, a, b, a, c, a);
    int[] removed = new int[1];
    CallbackStack t = CallbackStack.without(s, a, true, removed);
    assertThat(removed[0]).isEqualTo(3);
    assertThat(CallbackStack.inOrder(t)).containsExactly(b, c);
    assertThat(CallbackStack.inOrder(s)).containsExactly(a, b, a, c, a); // unchanged
  }

  @Test
  void withoutReturnsTheSameListWhenNothingMatches() {
    CallbackStack s = push(null, a, b);
    int[] removed = {42};
    assertThat(CallbackStack.without(s, c, false, removed)).isSameAs(s);
    assertThat(removed[0]).isZero();
    assertThat(CallbackStack.without(null, c, false, removed)).isNull();
  }

  @Test
  void withoutMatchesByEqualsOrByIdentity() {
    Consumer<Object> x1 = new Eq("x");
    Consumer<Object> x2 = new Eq("x");
    CallbackStack s = push(null, x1, b, x2);
    int[] removed = new int[1];
    assertThat(CallbackStack.inOrder(CallbackStack.without(s, new Eq("x"), false, removed)))
        .containsExactly(b);
    assertThat(removed[0]).isEqualTo(2);
    assertThat(CallbackStack.inOrder(CallbackStack.without(s, x2, true, removed)))
        .containsExactly(x1, b);
    assertThat(removed[0]).isEqualTo(1);
  }

  @Test
  void withoutNeverRemovesMarkers() {
    CallbackStack s = new CallbackStack(null, push(null, a), true);
    int[] removed = new int[1];
    assertThat(CallbackStack.without(s, null, true, removed)).isSameAs(s);
    assertThat(removed[0]).isZero();
  }

  @Test
  void removalKeepsTheRunningBitAndTheMarker() {
    // a, b before RUNNING; c, d after
    CallbackStack s = push(new CallbackStack(null, push(null, a, b), true), c, d);
    assertThat(nodes(s)).containsExactly("d*", "c*", "|*", "b", "a");
    int[] removed = new int[1];
    assertThat(nodes(CallbackStack.without(s, a, true, removed)))
        .containsExactly("d*", "c*", "|*", "b");
    assertThat(nodes(CallbackStack.without(s, d, true, removed)))
        .containsExactly("c*", "|*", "b", "a");
    CallbackStack none = CallbackStack.without(s, b, true, removed);
    none = CallbackStack.without(none, a, true, removed);
    none = CallbackStack.without(none, c, true, removed);
    none = CallbackStack.without(none, d, true, removed);
    assertThat(nodes(none)).containsExactly("|*");
    assertThat(none.running).isTrue();
  }

  @Test
  void removingTheLastCallbackOfARunningListWithoutAMarkerKeepsItRunning() {
    int[] removed = new int[1];
    CallbackStack bare = new CallbackStack(a, null, true);
    CallbackStack t = CallbackStack.without(bare, a, true, removed);
    assertThat(removed[0]).isEqualTo(1);
    assertThat(t).isSameAs(CallbackStack.RUNNING);
    CallbackStack two = new CallbackStack(b, new CallbackStack(a, null, false), true);
    CallbackStack u = CallbackStack.without(two, b, true, removed);
    assertThat(nodes(u)).containsExactly("|*", "a");
  }

  @Test
  void removalSharesTheUntouchedSuffix() {
    CallbackStack bottom = push(null, a, b);
    CallbackStack s = push(bottom, c, d);
    int[] removed = new int[1];
    CallbackStack t = CallbackStack.without(s, c, true, removed);
    assertThat(t.next).isSameAs(bottom); // below the deepest match: shared, not copied
    assertThat(t).isNotSameAs(s);
    assertThat(CallbackStack.without(s, d, true, removed)).isSameAs(s.next); // top: just skipped
  }

  @Test
  void removalOfADeepCallbackFromALongListDoesNotRecurse() {
    CallbackStack s = null;
    for (int i = 0; i < 200_000; i++) {
      s = new CallbackStack(i == 0 ? a : b, s, false);
    }
    int[] removed = new int[1];
    CallbackStack t = CallbackStack.without(s, a, true, removed);
    assertThat(removed[0]).isEqualTo(1);
    assertThat(CallbackStack.inOrder(t)).hasSize(199_999);
  }

  @Test
  void notifyOnlyKeepsOnlyTheWaitersInOrder() {
    NotifyOnlyCallback w1 = new Waiter();
    NotifyOnlyCallback w2 = new Waiter();
    CallbackStack s = push(null, a, w1, b, w2, c);
    CallbackStack kept = CallbackStack.notifyOnly(s);
    assertThat(CallbackStack.inOrder(kept)).containsExactly(w1, w2);
    assertThat(kept.running).isFalse();
    assertThat(CallbackStack.notifyOnly(push(null, a, b))).isNull();
    assertThat(CallbackStack.notifyOnly(null)).isNull();
  }

  @Test
  void notifyOnlyCallbacksAreEqualOnlyToThemselves() {
    NotifyOnlyCallback w = new Waiter();
    assertThat(w).isEqualTo(w).isNotEqualTo(new Waiter());
    assertThat(w.hashCode()).isEqualTo(System.identityHashCode(w));
  }

  private static CallbackStack push(CallbackStack base, Consumer<?>... callbacks) {
    CallbackStack s = base;
    for (Consumer<?> c : callbacks) {
      s = new CallbackStack(c, s, base != null && base.running);
    }
    return s;
  }

  private static final class Waiter extends NotifyOnlyCallback {
    @Override
    public void accept(Object o) {}
  }

  private static final class Eq implements Consumer<Object> {
    private final String key;

    Eq(String key) {
      this.key = key;
    }

    @Override
    public void accept(Object o) {}

    @Override
    public boolean equals(Object o) {
      return o instanceof Eq && ((Eq) o).key.equals(key);
    }

    @Override
    public int hashCode() {
      return key.hashCode();
    }

    @Override
    public String toString() {
      return key;
    }
  }

  @Test
  void onlyCallbackFindsTheLoneCallbackEvenUnderTheRunningMarker() {
    Consumer<Object> a = cb("a");
    Consumer<Object> b = cb("b");
    CallbackStack lone = new CallbackStack(a, null, false);
    CallbackStack overMarker = new CallbackStack(a, CallbackStack.RUNNING, true);
    CallbackStack underMarker = new CallbackStack(null, new CallbackStack(a, null, false), true);
    CallbackStack two = new CallbackStack(b, new CallbackStack(a, null, false), false);

    assertThat(CallbackStack.onlyCallback(lone)).isSameAs(a);
    assertThat(CallbackStack.onlyCallback(overMarker)).isSameAs(a);
    assertThat(CallbackStack.onlyCallback(underMarker)).isSameAs(a);
    assertThat(CallbackStack.onlyCallback(two)).isNull();
    assertThat(CallbackStack.onlyCallback(CallbackStack.RUNNING)).isNull();
  }
}
