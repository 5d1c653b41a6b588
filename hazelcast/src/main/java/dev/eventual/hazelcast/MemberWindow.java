package dev.eventual.hazelcast;

import com.hazelcast.cluster.Member;
import java.util.ArrayDeque;

/**
 * One data member as the executor sees it: its in-flight window, its health, and the tasks bound to
 * it (by key or by {@code submitToAll}) that wait for a slot in its window. Guarded by the
 * executor's lock.
 *
 * <pre>
 * field       written by                                   meaning
 * inFlight    take (+1), settle/release (-1)               tasks handed to this member now
 * lastAnswer  take (0 -> 1 in flight), settle (any answer) when it last showed it works
 * downSince   settle (a loss or failure seen), revive      when it was seen lost; NOT_DOWN if not
 * left        the membership listener                      removed from the cluster: never again
 * bound       enqueue/route (add), pump (poll), left       its own tasks waiting for a slot
 * </pre>
 */
final class MemberWindow {
  static final long NOT_DOWN = Long.MIN_VALUE;

  final Member member;
  final ArrayDeque<ClusterTaskFuture<?>> bound = new ArrayDeque<>();
  int inFlight;
  long lastAnswer;
  long downSince = NOT_DOWN;
  boolean left;

  MemberWindow(Member member, long now) {
    this.member = member;
    this.lastAnswer = now;
  }

  /**
   * Whether tasks may be sent here now: in the cluster, and not seen lost within {@code suspect} (a
   * member that stays in the cluster that long after a loss was seen is trusted again).
   */
  boolean usable(long now, long suspectNanos) {
    if (left) {
      return false;
    }
    if (downSince != NOT_DOWN) {
      if (now - downSince < suspectNanos) {
        return false;
      }
      downSince = NOT_DOWN;
    }
    return true;
  }

  /** Whether it holds tasks and has not answered for {@code silence}: frozen, or very busy. */
  boolean silent(long now, long silenceNanos) {
    return inFlight > 0 && now - lastAnswer > silenceNanos;
  }

  /** Records that a loss or failure was seen at {@code at} (the earliest one counts). */
  void markDown(long at) {
    if (downSince == NOT_DOWN || at - downSince < 0) {
      downSince = at;
    }
  }

  /** Whether a task sent at {@code sentAt} went after a loss was already seen: it never arrived. */
  boolean knownDownBefore(long sentAt) {
    return downSince != NOT_DOWN && sentAt - downSince > 0;
  }

  @Override
  public String toString() {
    return String.valueOf(member.getAddress());
  }
}
