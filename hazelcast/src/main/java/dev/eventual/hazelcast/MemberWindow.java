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
 * limit       answered (grow), quiet/markDown (back)       its window: how many may be handed to it
 * lastAnswer  take (0 -> 1 in flight), settle (any answer) when it last showed it works
 * downSince   settle (a loss or failure seen), revive      when it was seen lost; NOT_DOWN if not
 * left        the membership listener                      removed from the cluster: never again
 * bound       enqueue/route (add), pump (poll), left       its own tasks waiting for a slot
 * refilling   took (full), room (a refill batch free)      full: no slot is handed out until a
 *                                                            batch of them is free again
 * </pre>
 *
 * <p>A full window is refilled in batches of half its limit ({@link #refillBatch}): during a burst,
 * the slots freed one by one as the member answers are handed out together, so that the tasks go
 * out in a row, are written to the connection together and are read by the member together, instead
 * of one wake-up of every thread on the way for each task. A window that is not full hands out
 * every free slot at once, so a lone task never waits for a batch.
 */
final class MemberWindow {
  static final long NOT_DOWN = Long.MIN_VALUE;

  /** The starting window (or {@code maxInFlight} if that is smaller). */
  static final int START = 64;

  final Member member;
  final ArrayDeque<ClusterTaskFuture<?>> bound = new ArrayDeque<>();
  int inFlight;
  int limit;
  long lastAnswer;
  long downSince = NOT_DOWN;
  boolean left;
  boolean refilling;

  MemberWindow(Member member, long now, int start) {
    this.member = member;
    this.lastAnswer = now;
    this.limit = start;
  }

  /**
   * How many more tasks may be handed to it now: none while a full window waits for a refill batch
   * (see the class comment), else every free slot; negative when its limit fell below what it
   * holds. Ends the wait for a refill once a batch is free.
   */
  int room() {
    int free = limit - inFlight;
    if (refilling) {
      if (free < refillBatch()) {
        return Math.min(free, 0);
      }
      refilling = false;
    }
    return free;
  }

  /** How many slots of a full window must be free before any is handed out again. */
  int refillBatch() {
    return Math.max(1, limit / 2);
  }

  /**
   * Counts a task handed to this member; silence counts from the first task it holds, and a window
   * that is now full waits for a refill batch.
   *
   * @param now {@link System#nanoTime()}
   */
  void took(long now) {
    if (inFlight++ == 0) {
      lastAnswer = now;
    }
    if (inFlight >= limit) {
      refilling = true;
    }
  }

  /**
   * Adapts the window to an answer (a task ended there). While tasks wait for room (every window
   * was full when they were last handed out), one slot more, up to {@code max}: a member that keeps
   * answering gets more of a burst at once, as TCP's slow start grows its window by one for each
   * acknowledgement. Once no task waits and fewer than {@code start} are here, back to {@code
   * start}, so that a member that freezes between bursts holds no more than that.
   *
   * @param waiting whether tasks wait for room in a window (the shared queue or this member's own)
   * @param start the starting window
   * @param max the largest window
   */
  void answered(boolean waiting, int start, int max) {
    if (waiting) {
      if (limit < max) {
        limit++;
      }
    } else if (inFlight < start) {
      limit = start;
    }
  }

  /** Shrinks a grown window back to {@code start}: the member went silent or was seen lost. */
  void quiet(int start) {
    if (limit > start) {
      limit = start;
    }
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
