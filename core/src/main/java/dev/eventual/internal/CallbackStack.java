package dev.eventual.internal;

import java.util.function.Consumer;

/**
 * An immutable node of a future's callback list while the future is not done.
 *
 * <p>Nodes are pushed at the head (newest first) and never mutated; removal copies the prefix above
 * the removed node and swaps the head with one CAS, so a drainer always walks a consistent
 * snapshot. A node whose {@code callback} is {@code null} is a marker: it carries the running bit
 * and is never removed. Every node pushed on a RUNNING list carries the bit too, and {@link
 * #without} puts a marker back when it removes every node that had it, so {@code head.running}
 * always tells whether the future is RUNNING.
 */
public final class CallbackStack {
  /** The RUNNING state with no callbacks. */
  public static final CallbackStack RUNNING = new CallbackStack(null, null, true);

  /** The callback, or {@code null} for a marker node. */
  public final Consumer<Object> callback;

  /** The node added before this one, or {@code null}. */
  public final CallbackStack next;

  /** Whether the future was RUNNING when this node was pushed. */
  public final boolean running;

  /**
   * Creates a node.
   *
   * @param callback the callback, or {@code null} for a marker
   * @param next the node added before this one, or {@code null}
   * @param running whether the future is running
   */
  @SuppressWarnings("unchecked")
  public CallbackStack(Consumer<?> callback, CallbackStack next, boolean running) {
    this.callback = (Consumer<Object>) callback;
    this.next = next;
    this.running = running;
  }

  /**
   * Returns the one callback of a list that holds exactly one (markers aside), or null when it
   * holds none or several: lets a completion run a lone callback without building an array.
   *
   * @param head the newest node
   * @return the lone callback, or null
   */
  public static Consumer<Object> onlyCallback(CallbackStack head) {
    Consumer<Object> found = null;
    for (CallbackStack p = head; p != null; p = p.next) {
      if (p.callback != null) {
        if (found != null) {
          return null;
        }
        found = p.callback;
      }
    }
    return found;
  }

  /**
   * Returns the callbacks of a list in registration order (oldest first), markers left out.
   *
   * @param head the newest node
   * @return the callbacks, oldest first
   */
  public static Consumer<Object>[] inOrder(CallbackStack head) {
    int n = 0;
    for (CallbackStack p = head; p != null; p = p.next) {
      if (p.callback != null) {
        n++;
      }
    }
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array
    Consumer<Object>[] out = new Consumer[n];
    for (CallbackStack p = head; p != null; p = p.next) {
      if (p.callback != null) {
        out[--n] = p.callback;
      }
    }
    return out;
  }

  /**
   * Returns a copy of the list without the nodes whose callback matches, or this very list when
   * none matches. Running bits and markers are kept: a RUNNING list stays RUNNING even when its
   * last callback goes (the result is then at least a marker). The nodes below the deepest match
   * are shared, not copied.
   *
   * @param head the newest node, may be {@code null}
   * @param target the callback to remove
   * @param identity match with {@code ==} instead of {@code equals}
   * @param removed receives the number of nodes removed in {@code removed[0]}
   * @return the new head
   */
  public static CallbackStack without(
      CallbackStack head, Object target, boolean identity, int[] removed) {
    int count = 0;
    CallbackStack lastMatch = null;
    for (CallbackStack p = head; p != null; p = p.next) {
      if (matches(p.callback, target, identity)) {
        count++;
        lastMatch = p;
      }
    }
    removed[0] = count;
    if (count == 0) {
      return head;
    }
    CallbackStack rest = copyWithout(head, lastMatch, target, identity);
    if (head.running && (rest == null || !rest.running)) {
      // a RUNNING list whose running bit lived only on removed nodes: keep the bit on a marker
      rest = rest == null ? RUNNING : new CallbackStack(null, rest, true);
    }
    return rest;
  }

  private static CallbackStack copyWithout(
      CallbackStack p, CallbackStack lastMatch, Object target, boolean identity) {
    // Nodes below lastMatch are shared as they are; the prefix is rebuilt iteratively.
    int n = 0;
    for (CallbackStack q = p; q != lastMatch; q = q.next) {
      n++;
    }
    CallbackStack[] prefix = new CallbackStack[n];
    int i = 0;
    for (CallbackStack q = p; q != lastMatch; q = q.next) {
      prefix[i++] = q;
    }
    CallbackStack rebuilt = lastMatch.next;
    for (int k = n - 1; k >= 0; k--) {
      CallbackStack q = prefix[k];
      if (!matches(q.callback, target, identity)) {
        rebuilt = new CallbackStack(q.callback, rebuilt, q.running);
      }
    }
    return rebuilt;
  }

  private static boolean matches(Consumer<Object> callback, Object target, boolean identity) {
    if (callback == null) {
      return false;
    }
    return identity ? callback == target : callback.equals(target);
  }

  /**
   * Returns the nodes whose callbacks are {@link NotifyOnlyCallback}s, in a new list, or {@code
   * null} when there are none.
   *
   * @param head the newest node, may be {@code null}
   * @return the waiters that must outlive a cancellation
   */
  public static CallbackStack notifyOnly(CallbackStack head) {
    CallbackStack kept = null;
    Consumer<Object>[] all = inOrder(head);
    for (Consumer<Object> c : all) {
      if (c instanceof NotifyOnlyCallback) {
        kept = new CallbackStack(c, kept, false);
      }
    }
    return kept;
  }
}
