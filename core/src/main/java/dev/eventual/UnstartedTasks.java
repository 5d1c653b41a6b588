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
 * nothing here, and adding a task claims a slot in the newest segment of its thread's lane with one
 * atomic increment and writes the task there. It does not look at other tasks, whose states the
 * workers are changing. Submitting threads are spread over {@link #LANES} lanes by thread id, so
 * that concurrent submitters rarely share a claim counter or a cache line of slots: with one list,
 * four submitters made {@code FutureExecutor.wrap(ForkJoinPool(2))} take 5.0–5.7 ms per 10,000
 * tasks each in {@code TinyTasksBenchmark}, and 3.4–3.7 ms without the list (a raw {@code
 * ForkJoinPool.submit}: 2.5–2.7; JDK 17, 2026-12-07).
 *
 * <p>Once every {@link #SEGMENT} adds to a lane, the adder that links a new segment may sweep every
 * lane: the sweep clears the slots of tasks that have started or settled (so that their results can
 * be collected) and unlinks every full segment left without a task. A sweep runs only when the
 * segments of all lanes have doubled since the last one, so each add costs amortized constant work,
 * a task that never starts keeps only its own segment, and an idle lane holds at most one segment
 * of settled tasks until the next sweep.
 */
final class UnstartedTasks {
  /*
   * Each lane's segments form a singly linked list from head (oldest) to the last one (newest).
   * Lanes are made on first use and never unlinked. A slot goes
   *
   *   null (not claimed yet, or claimed and not written yet) --add--> the task --sweep--> GONE
   *
   * Adders only ever write the slots they claimed and the next link of their lane's last segment
   * (by CAS, as in Michael and Scott's queue; tail may lag behind by a segment). The sweep, one at
   * a time for all lanes, writes GONE and unlinks full segments holding only GONE, but never a
   * lane's last segment, whose next link the adders CAS. An unlinked segment keeps its next link,
   * so a thread walking the list (an adder behind a lagging tail, cancelAll) still reaches every
   * later segment.
   *
   * cancelAll() and add() see each other through the claim counter: add claims its slot (an
   * atomic increment, ordered with every other access of that counter), writes the slot with a
   * plain release store, and then reads cancelling; cancelAll writes cancelling and then reads
   * each lane's segments' claim counts (a lane made after that read belongs to an add that will
   * read cancelling as set). If cancelAll's read missed an add's claim, the claim came later
   * in that order than cancelling was set, so the add sees cancelling and cancels its own task.
   * If it counted the claim, the slot is claimed and cancelAll waits for its write, which is a
   * few instructions away (there is no allocation and no call between claim and write). So add
   * needs no full fence for its slot.
   */

  /** Tasks per segment. */
  static final int SEGMENT = 64;

  /** The fewest segments at which a sweep happens. */
  static final int MIN_SWEEP_SEGMENTS = 4;

  /**
   * Lanes: a power of two, twice the processors (so that the submitters running at one time rarely
   * share one), at most 32.
   */
  static final int LANES =
      Math.min(32, Integer.highestOneBit(2 * Runtime.getRuntime().availableProcessors() - 1) << 1);

  /** Shifts a 64-bit hash down to a lane index. */
  private static final int LANE_SHIFT = 64 - Integer.numberOfTrailingZeros(LANES);

  private static final Object GONE = new Object();
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle LANE_SLOTS = MethodHandles.arrayElementVarHandle(Lane[].class);
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
      TAIL = l.findVarHandle(Lane.class, "tail", Segment.class);
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

  /** One list of segments, for the submitting threads whose ids fall on it. */
  private static final class Lane {
    volatile Segment head = new Segment();

    @SuppressWarnings("unused") // accessed through TAIL
    volatile Segment tail = head;
  }

  /** The lanes by thread id, each made on first use. */
  private final Lane[] lanes = new Lane[LANES];

  /** Segments linked and not unlinked in every lane, about (a sweep and an adder may blur it). */
  @SuppressWarnings("unused") // accessed through SEGMENTS
  private volatile int segments;

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
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
  void add(TaskFuture<?> task) {
    // Fibonacci hashing: thread ids often come in strides (a pool's threads, every other id)
    long id = Thread.currentThread().getId();
    Lane lane = lane((int) ((id * 0x9E3779B97F4A7C15L) >>> LANE_SHIFT));
    for (; ; ) {
      Segment last = lane.tail;
      int i = (int) CLAIMED.getAndAdd(last, 1);
      if (i < SEGMENT) {
        SLOTS.setRelease(last.slots, i, task);
        break;
      }
      Segment next = last.next;
      if (next != null) {
        TAIL.compareAndSet(lane, last, next);
      } else if (linkSegment(lane, last, task)) {
        break;
      }
    }
    if (cancelling) {
      task.cancelAndNotify(); // cancelAll() may have read the slot before the task was there
    }
  }

  /** The lane at {@code index}, made on first use. */
  private Lane lane(int index) {
    Lane lane = (Lane) LANE_SLOTS.getAcquire(lanes, index);
    if (lane != null) {
      return lane;
    }
    Lane fresh = new Lane();
    Lane won = (Lane) LANE_SLOTS.compareAndExchange(lanes, index, null, fresh);
    if (won != null) {
      return won;
    }
    SEGMENTS.getAndAdd(this, 1);
    return fresh;
  }

  /**
   * Links a new segment holding {@code task} after {@code last} in {@code lane}; sweeps when it is
   * time.
   */
  private boolean linkSegment(Lane lane, Segment last, TaskFuture<?> task) {
    Segment fresh = new Segment(task);
    if (!NEXT.compareAndSet(last, null, fresh)) {
      return false;
    }
    TAIL.compareAndSet(lane, last, fresh);
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
   * Clears the slots of started tasks in every lane, unlinks the full segments left empty, and sets
   * the next sweep at twice the segments that are left.
   */
  private void sweep() {
    int live = 0;
    for (int l = 0; l < LANES; l++) {
      Lane lane = (Lane) LANE_SLOTS.getAcquire(lanes, l);
      if (lane != null) {
        live += sweep(lane);
      }
    }
    SEGMENTS.setVolatile(this, live);
    sweepAt = Math.max(MIN_SWEEP_SEGMENTS, 2 * live);
  }

  /** Sweeps one lane; returns the segments left in it. */
  private static int sweep(Lane lane) {
    Segment prev = null;
    int live = 0;
    for (Segment s = lane.head; s != null; ) {
      Segment next = s.next;
      if (clearStarted(s) && next != null) {
        if (prev == null) {
          lane.head = next;
        } else {
          prev.next = next;
        }
      } else {
        prev = s;
        live++;
      }
      s = next;
    }
    return live;
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
    for (Segment s : segments()) {
      int claimed = Math.min((int) CLAIMED.getVolatile(s), SEGMENT);
      for (int i = 0; i < claimed; i++) {
        Object o = awaitWritten(s, i);
        if (o instanceof TaskFuture) {
          ((TaskFuture<?>) o).cancelAndNotify();
        }
      }
    }
  }

  /** The segments of every lane made so far, lane by lane, each lane oldest first. */
  private List<Segment> segments() {
    List<Segment> out = new ArrayList<>();
    for (int l = 0; l < LANES; l++) {
      // volatile, as the claim counts: for cancelRemaining, ordered after cancelling's write
      Lane lane = (Lane) LANE_SLOTS.getVolatile(lanes, l);
      for (Segment s = lane == null ? null : lane.head; s != null; s = s.next) {
        out.add(s);
      }
    }
    return out;
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
   * The tasks that have not started or settled, for tests: lane by lane, each lane's oldest first
   * (the tasks of one submitting thread in their order).
   *
   * @return a snapshot
   */
  List<TaskFuture<?>> unstarted() {
    List<TaskFuture<?>> out = new ArrayList<>();
    for (Segment s : segments()) {
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
    for (Segment s : segments()) {
      for (int i = 0; i < SEGMENT; i++) {
        if (SLOTS.getVolatile(s.slots, i) instanceof TaskFuture) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Whether a slot still holds this task (started or not), for tests.
   *
   * @param task the task
   * @return true until a sweep or a cancellation let it go
   */
  boolean retains(TaskFuture<?> task) {
    for (Segment s : segments()) {
      for (int i = 0; i < SEGMENT; i++) {
        if (SLOTS.getVolatile(s.slots, i) == task) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * How many segments are linked, for tests.
   *
   * @return the segments of every lane, from head to the last
   */
  int segmentCount() {
    return segments().size();
  }
}
