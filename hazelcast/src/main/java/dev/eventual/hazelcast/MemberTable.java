package dev.eventual.hazelcast;

import com.hazelcast.cluster.Member;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The data members a {@link ClusterDispatcher} routes to, and the routing rule. Guarded by the
 * dispatcher's lock (every method is called under it).
 *
 * <pre>
 * field      written by              meaning
 * windows    add, remove             every data member seen, by UUID (a member that left stays)
 * order      add, remove             the windows of members still in the cluster
 * rotor      choose                  where the next search starts, so that ties take turns
 * sawUsable  choose                  whether the last search met a usable member at all
 * </pre>
 */
final class MemberTable {
  /** How long a member seen lost gets no task while it stays in the cluster. */
  static final long SUSPECT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

  private final int startWindow;
  private final long silenceNanos;
  private final Map<UUID, MemberWindow> windows = new LinkedHashMap<>();
  private MemberWindow[] order = new MemberWindow[0];
  private int rotor;
  private boolean sawUsable;

  MemberTable(int startWindow, long silenceNanos) {
    this.startWindow = startWindow;
    this.silenceNanos = silenceNanos;
  }

  /** Adds the data members not seen before; returns whether any was added. */
  boolean add(Iterable<Member> members, long now) {
    boolean changed = false;
    for (Member m : members) {
      if (!m.isLiteMember() && !windows.containsKey(m.getUuid())) {
        windows.put(m.getUuid(), new MemberWindow(m, now, startWindow));
        changed = true;
      }
    }
    if (changed) {
      rebuildOrder();
    }
    return changed;
  }

  /** Marks a member gone for good; returns the tasks bound to it, or null if it was not here. */
  List<ClusterTaskFuture<?>> remove(Member m, long now) {
    MemberWindow w = windows.get(m.getUuid());
    if (w == null || w.left) {
      return null;
    }
    w.left = true;
    w.markDown(now);
    rebuildOrder();
    List<ClusterTaskFuture<?>> orphans = new ArrayList<>(w.bound);
    w.bound.clear();
    return orphans;
  }

  private void rebuildOrder() {
    order = windows.values().stream().filter(w -> !w.left).toArray(MemberWindow[]::new);
  }

  /** The window of a member that can take tasks now, or null. */
  MemberWindow usable(Member m, long now) {
    MemberWindow w = m == null ? null : windows.get(m.getUuid());
    return w != null && w.usable(now, SUSPECT_NANOS) ? w : null;
  }

  /** The windows of the members in the cluster, in member order. */
  MemberWindow[] inOrder() {
    return order;
  }

  /** Every window, members that left included. */
  Collection<MemberWindow> all() {
    return windows.values();
  }

  /** The members that can take tasks now, in member order. */
  List<Member> usableMembers(long now) {
    List<Member> members = new ArrayList<>();
    for (MemberWindow w : order) {
      if (w.usable(now, SUSPECT_NANOS)) {
        members.add(w.member);
      }
    }
    return members;
  }

  /**
   * The member for the next unkeyed task: among the usable members with room, one that answers
   * rather than one that holds tasks and has been silent (frozen, or very busy; its window falls
   * back to the starting one); then the one with the most room in its window; ties in turn. Null if
   * none has room ({@link #sawUsable} tells whether any member was usable at all).
   */
  MemberWindow choose(long now) {
    MemberWindow[] ws = order;
    int n = ws.length;
    MemberWindow best = null;
    int bestFree = 0;
    boolean bestSilent = true;
    sawUsable = false;
    int start = rotor++;
    for (int i = 0; i < n; i++) {
      MemberWindow w = ws[Math.floorMod(start + i, n)];
      if (!w.usable(now, SUSPECT_NANOS)) {
        continue;
      }
      sawUsable = true;
      boolean silent = w.silent(now, silenceNanos);
      if (silent) {
        w.quiet(startWindow); // frozen or very busy: no more than the starting window there
      }
      int free = w.room();
      if (free <= 0) {
        continue;
      }
      if (best == null || bestSilent && !silent || bestSilent == silent && free > bestFree) {
        best = w;
        bestFree = free;
        bestSilent = silent;
      }
    }
    return best;
  }

  /** Whether the last {@link #choose} met a usable member, with room or not. */
  boolean sawUsable() {
    return sawUsable;
  }
}
