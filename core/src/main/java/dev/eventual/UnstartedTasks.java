package dev.eventual;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The tasks of a {@link FutureExecutor#wrap} adapter that may not have started yet: what {@code
 * shutdown(cancelFutures=true)} cancels, and what is swept after the service has terminated.
 *
 * <p>The submitting threads pay for it and the workers do not: a worker that starts a task touches
 * nothing here, and adding a task claims a slot in the newest segment with one atomic increment and
 * writes the task there. It does not look at other tasks, whose states the workers are changing.
 * Once every {@link #SEGMENT} adds, the adder that links a new segment may sweep: the sweep clears
 * the slots of tasks that have started or settled (so that their results can be collected) and
 * unlinks every full segment left without a task. A sweep runs only when the segments have doubled
 * since the last one, so each add costs amortized constant work, and a task that never starts keeps
 * only its own segment.
 */
final class UnstartedTasks {
  /*
   * Segments form a singly linked list from head (oldest) to the last one (newest). A slot goes
   *
   *   null (not claimed yet, or claimed and not written yet) --add--> the task --sweep--> GONE
   *
   * Adders only ever write the slots they claimed and the next link of the last segment (by CAS,
   * as in Michael and Scott's queue; tail may lag behind by a segment). The sweep, one at a time,
   * writes GONE and unlinks full segments holding only GONE, but never the last segment, whose
   * next link the adders CAS. An unlinked segment keeps its next link, so a thread walking the
   * list (an adder behind a lagging tail, cancelAll) still reaches every later segment.
   *
   * cancelAll() and add() see each other through the claim counter: add claims its slot (an
   * atomic increment, ordered with every other access of that counter), writes the slot with a
   * plain release store, and then reads cancelling; cancelAll writes cancelling and then reads
   * each segment's claim count. If cancelAll's read missed an add's claim, the claim came later
   * in that order than cancelling was set, so the add sees cancelling and cancels its own task.
   * If it counted the claim, the slot is claimed and cancelAll waits for its write, which is a
   * few instructions away (there is no allocation and no call between claim and write). So add
   * needs no full fence for its slot.
   */

  /** Tasks per segment. */
  static final int SEGMENT = 64;

  /** The fewest segments at which a sweep happens. */
  static final int MIN_SWEEP_SEGMENTS = 4;

  private static final Object GONE = new Object();
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle CLAIMED;
  private static final VarHandle NEXT;
  private static final VarHandle TAIL;
  private static final VarHandle SEGMENTS;
  private static final VarHandle SWEEPING;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      CLAIMED = l.findVarHandle(Segment.class, "claimed", int.class);
      NEXT = l.findVarHandle(Segment.class, "next", Segment.class);
      TAIL = l.findVarHandle(UnstartedTasks.class, "tail", Segment.class);
      SEGMENTS = l.findVarHandle(UnstartedTasks.class, "segments", int.class);
      SWEEPING = l.findVarHandle(UnstartedTasks.class, "sweeping", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** {@value #SEGMENT} slots, claimed in order. */
  private static final class Segment {
    final Object[] slots = new Object[SEGMENT];

    /** Slots handed out; may run past SEGMENT when adders race for a full segment. */
    @SuppressWarnings("unused") // accessed through CLAIMED
    volatile int claimed;

    volatile Segment next;

    Segment() {}

    /** A segment whose first slot already holds {@code first}; published by the link CAS. */
    Segment(TaskFuture<?> first) {
      slots[0] = first;
      claimed = 1;
    }
  }

  private volatile Segment head = new Segment();

  @SuppressWarnings("unused") // accessed through TAIL
  private volatile Segment tail = head;

  /** Segments linked and not unlinked, about (a sweep and an adder may blur it). */
  @SuppressWarnings("unused") // accessed through SEGMENTS
  private volatile int segments = 1;

  /** The segment count at which the adder that links a segment sweeps. */
  private volatile int sweepAt = MIN_SWEEP_SEGMENTS;

  @SuppressWarnings("unused") // accessed through SWEEPING
  private volatile boolean sweeping;

  /** Set once by {@link #cancelAll()}: from then on every task added is cancelled too. */
  private volatile boolean cancelling;

  /**
   * Adds a task that has not started. After {@link #cancelAll()}, the task is cancelled and
   * notified.
   *
   * @param task the task
   */
  void add(TaskFuture<?> task) {
    for (; ; ) {
      Segment last = tail;
      int i = (int) CLAIMED.getAndAdd(last, 1);
      if (i < SEGMENT) {
        SLOTS.setRelease(last.slots, i, task);
        break;
      }
      Segment next = last.next;
      if (next != null) {
        TAIL.compareAndSet(this, last, next);
      } else if (linkSegment(last, task)) {
        break;
      }
    }
    if (cancelling) {
      task.cancelAndNotify(); // cancelAll() may have read the slot before the task was there
    }
  }

  /** Links a new segment holding {@code task} after {@code last}; sweeps when it is time. */
  private boolean linkSegment(Segment last, TaskFuture<?> task) {
    Segment fresh = new Segment(task);
    if (!NEXT.compareAndSet(last, null, fresh)) {
      return false;
    }
    TAIL.compareAndSet(this, last, fresh);
    int count = (int) SEGMENTS.getAndAdd(this, 1) + 1;
    if (count >= sweepAt && SWEEPING.compareAndSet(this, false, true)) {
      try {
        sweep();
      } finally {
        sweeping = false;
      }
    }
    return true;
  }

  /**
   * Clears the slots of started tasks, unlinks the full segments left empty, and sets the next
   * sweep at twice the segments that are left.
   */
  private void sweep() {
    Segment prev = null;
    int live = 0;
    for (Segment s = head; s != null; ) {
      Segment next = s.next;
      if (clearStarted(s) && next != null) {
        if (prev == null) {
          head = next;
        } else {
          prev.next = next;
        }
      } else {
        prev = s;
        live++;
      }
      s = next;
    }
    SEGMENTS.setVolatile(this, live);
    sweepAt = Math.max(MIN_SWEEP_SEGMENTS, 2 * live);
  }

  /**
   * Clears the slots of the segment's tasks that have started or settled.
   *
   * @return true if the segment is full and every slot is cleared
   */
  private static boolean clearStarted(Segment s) {
    boolean empty = (int) CLAIMED.getVolatile(s) >= SEGMENT;
    for (int i = 0; i < SEGMENT; i++) {
      Object o = SLOTS.getVolatile(s.slots, i);
      if (o == GONE) {
        continue;
      }
      if (o != null && ((TaskFuture<?>) o).hasStartedOrSettled()) {
        SLOTS.setRelease(s.slots, i, GONE);
      } else {
        empty = false; // unstarted, or claimed and not written yet, or not claimed
      }
    }
    return empty;
  }

  /**
   * Cancels and notifies every task that has not started, now and (through {@link #add}) from now
   * on.
   */
  void cancelAll() {
    cancelling = true;
    cancelRemaining();
  }

  /** Cancels and notifies every task that is still here and unsettled: the service dropped them. */
  void cancelRemaining() {
    for (Segment s = head; s != null; s = s.next) {
      int claimed = Math.min((int) CLAIMED.getVolatile(s), SEGMENT);
      for (int i = 0; i < claimed; i++) {
        Object o = awaitWritten(s, i);
        if (o instanceof TaskFuture) {
          ((TaskFuture<?>) o).cancelAndNotify();
        }
      }
    }
  }

  /**
   * Reads a claimed slot, waiting for its adder to write it: the adder is between its claim and its
   * store, unless its thread was descheduled right there.
   */
  private static Object awaitWritten(Segment s, int i) {
    Object o;
    for (int round = 0; (o = SLOTS.getAcquire(s.slots, i)) == null; round++) {
      SpinWait.pause(round);
    }
    return o;
  }

  /**
   * The tasks that have not started or settled, oldest first, for tests.
   *
   * @return a snapshot
   */
  List<TaskFuture<?>> unstarted() {
    List<TaskFuture<?>> out = new ArrayList<>();
    for (Segment s = head; s != null; s = s.next) {
      for (int i = 0; i < SEGMENT; i++) {
        Object o = SLOTS.getVolatile(s.slots, i);
        if (o instanceof TaskFuture && !((TaskFuture<?>) o).hasStartedOrSettled()) {
          out.add((TaskFuture<?>) o);
        }
      }
    }
    return out;
  }

  /**
   * How many tasks the segments still hold, started ones not yet cleared included, for tests.
   *
   * @return the tasks held
   */
  int retained() {
    int n = 0;
    for (Segment s = head; s != null; s = s.next) {
      for (int i = 0; i < SEGMENT; i++) {
        if (SLOTS.getVolatile(s.slots, i) instanceof TaskFuture) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * How many segments are linked, for tests.
   *
   * @return the segments from head to the last
   */
  int segmentCount() {
    int n = 0;
    for (Segment s = head; s != null; s = s.next) {
      n++;
    }
    return n;
  }
}
