package dev.eventual.loop;

import dev.eventual.BlockingGuard;
import dev.eventual.Context;
import dev.eventual.WaitInterruptedException;
import dev.eventual.internal.ContextAccess;
import dev.eventual.internal.CowMap;
import java.time.Duration;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The queues of an {@link EventLoop} and its turn ({@link #runOnce}): asyncio's {@code _ready},
 * {@code _scheduled} and {@code _run_once}. Everything but {@link #scheduleThreadsafe}, {@link
 * #stop()} and the reads of {@link #owner} belongs to the loop's thread.
 */
final class Scheduler {
  private static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");
  private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();

  /** Delays are clamped to this (about 73 years), so that times compare by subtraction. */
  static final long MAX_DELAY = 1L << 61;

  /** Compact the timer queue when it holds more than this and over half of it is cancelled. */
  private static final int MIN_SCHEDULED_TIMERS_TO_COMPACT = 100;

  private final EventLoop loop;
  final LongSupplier clock;
  private final ReadyQueue ready = new ReadyQueue();

  /** The cursor over a turn's entries, reused by every turn of {@link #runOnce}. */
  private final ReadyQueue.Cursor batch = new ReadyQueue.Cursor(null, 0);

  private final PriorityQueue<TimerHandle> timers =
      new PriorityQueue<>(
          (a, b) -> {
            long d = a.whenNanos - b.whenNanos;
            return d != 0 ? (d < 0 ? -1 : 1) : Long.compare(a.seq, b.seq);
          });
  private final ConcurrentLinkedQueue<Handle> incoming = new ConcurrentLinkedQueue<>();

  /**
   * Set by other threads after they add to {@link #incoming}, cleared by the loop's thread before
   * it drains: a cheaper test than {@code incoming.isEmpty()} on every {@link #schedule}. It may be
   * set with nothing left to drain, never clear with a handle that a completed send added.
   */
  private volatile boolean incomingSent;

  /** True while {@link #runOneReady} runs its entry: posts then wait for the next step. */
  private boolean singleStepping;

  final AtomicReference<Thread> owner = new AtomicReference<>();
  private volatile boolean waiting;
  private volatile boolean stopping;
  private long timerSeq;
  private int cancelledTimers;

  private static final ContextAccess CONTEXTS = ContextAccess.get();

  /** A thread's context slot (see {@link ContextAccess}), with the thread it belongs to. */
  private record ContextSlot(Thread thread, Object slot) {}

  /**
   * The context slot of the thread that ran the last turn: callbacks enter their contexts through
   * it, and code on that thread copies its context through it, without a thread-local lookup each.
   * Written by that thread; read by any (a thread uses it only if it is its own).
   */
  private ContextSlot turnSlot;

  /** How the loop waits: parked, or in a selector once it has a reader or writer. */
  final IoSelector io;

  /** Whether this turn's wait already polled the selector (so the turn need not poll again). */
  private boolean polled;

  Scheduler(EventLoop loop, LongSupplier clock) {
    this.loop = loop;
    this.clock = clock;
    this.io = new IoSelector(loop);
  }

  /**
   * {@link Context#copyContext()}, cheaper on the thread that runs the turns.
   *
   * @return a copy of the calling thread's current context
   */
  Context copyCurrentContext() {
    ContextSlot c = turnSlot;
    return c != null && c.thread == Thread.currentThread()
        ? CONTEXTS.copyCurrent(c.slot)
        : Context.copyContext();
  }

  /**
   * The variables of the calling thread's current context (see {@link ContextAccess#snapshot}),
   * cheaper on the thread that runs the turns.
   *
   * @return what a copy of the current context would hold
   */
  CowMap snapshotCurrentContext() {
    ContextSlot c = turnSlot;
    return CONTEXTS.snapshot(
        c != null && c.thread == Thread.currentThread() ? c.slot : CONTEXTS.slot());
  }

  /** The calling thread's context slot, kept for the callbacks of the turn it is about to run. */
  private Object slotForTurn() {
    Thread me = Thread.currentThread();
    ContextSlot c = turnSlot;
    if (c == null || c.thread != me) {
      c = new ContextSlot(me, CONTEXTS.slot());
      turnSlot = c;
    }
    return c.slot;
  }

  static EventLoop runningLoop() {
    return RUNNING.get();
  }

  /** Makes {@code loop} the running loop of a task's thread (for getRunningLoop). */
  static void bindRunning(EventLoop loop) {
    RUNNING.set(loop);
  }

  /**
   * How many callbacks are ready now. Read on the loop's thread, or by the task thread that runs a
   * step for it.
   */
  int readyCount() {
    return ready.size();
  }

  /** Appends a handle to the ready queue, after what other threads sent before. */
  void schedule(Handle h) {
    enqueue(h);
  }

  /**
   * Appends a done future to the ready queue: its turn runs the done-callbacks it holds, in order,
   * as if each had been scheduled with its own handle.
   */
  void scheduleCallbacksOf(LoopFuture<?> future) {
    enqueue(future);
  }

  /**
   * Appends a task's step to the ready queue, with no handle (see {@code Task.scheduleStep}): its
   * turn calls {@link Strand#runQueued}.
   */
  void scheduleStep(Strand step) {
    enqueue(step);
  }

  private void enqueue(Object entry) {
    if (incomingSent && !singleStepping) {
      drainIncoming();
    }
    ready.add(entry);
  }

  void scheduleThreadsafe(Handle h) {
    if (owner.get() == Thread.currentThread()) {
      schedule(h);
    } else {
      incoming.add(h);
      incomingSent = true;
      if (waiting) {
        wake();
      }
    }
  }

  /**
   * Runs the oldest ready entry and nothing else, after taking in what other threads sent before;
   * what they send while it runs waits in {@link #incoming} for the next step. No timer fires and
   * no channel is polled. A seam for the stress module's Lincheck model of task cancellation
   * ({@code TestEventLoop.runOneCallback}): a step is one atomic operation there, and a post from
   * another thread lands before or after it, never inside it. In a turn of {@link #runOnce} such a
   * post joins the ready queue between the entries a callback schedules (asyncio's {@code
   * call_soon_threadsafe} does the same), which no order of atomic steps can express.
   *
   * @return false if nothing was ready
   */
  boolean runOneReady() {
    drainIncoming();
    if (ready.isEmpty()) {
      return false;
    }
    Object slot = slotForTurn();
    int n = ready.size();
    ReadyQueue.Cursor batch = new ReadyQueue.Cursor(ready.takeAll(), n);
    singleStepping = true;
    try {
      Object entry = batch.peek();
      if (entry instanceof Handle h) {
        batch.advance();
        if (!h.isCancelled()) {
          h.run(slot);
        }
      } else if (entry instanceof Strand step) {
        batch.advance();
        step.runQueued(slot);
      } else {
        ((LoopFuture<?>) entry).runScheduledCallbacks(slot);
        batch.advance();
      }
    } finally {
      singleStepping = false;
      ready.putBack(batch);
    }
    return true;
  }

  private void drainIncoming() {
    incomingSent = false;
    Handle h;
    while ((h = incoming.poll()) != null) {
      ready.add(h);
    }
  }

  TimerHandle addTimer(long whenNanos, Runnable callback, Context context) {
    TimerHandle t = new TimerHandle(loop, whenNanos, timerSeq++, callback, context);
    t.scheduled = true;
    timers.add(t);
    return t;
  }

  /** A timer was cancelled: count it (owner thread only) to compact the queue when worth it. */
  void timerCancelled(TimerHandle t) {
    Thread o = owner.get();
    if (t.scheduled && (o == null || o == Thread.currentThread())) {
      cancelledTimers++;
    }
  }

  static long clampDelay(Duration delay) {
    try {
      return Math.max(-MAX_DELAY, Math.min(MAX_DELAY, delay.toNanos()));
    } catch (ArithmeticException tooLong) {
      return delay.isNegative() ? -MAX_DELAY : MAX_DELAY;
    }
  }

  /** Clamps a time in nanoseconds to within MAX_DELAY of now, without overflow. */
  static long clampNanos(long whenNanos, long now) {
    long delta;
    try {
      delta = Math.subtractExact(whenNanos, now);
    } catch (ArithmeticException farAway) {
      return whenNanos > now ? now + MAX_DELAY : now - MAX_DELAY;
    }
    if (delta > MAX_DELAY) {
      return now + MAX_DELAY;
    }
    return delta < -MAX_DELAY ? now - MAX_DELAY : whenNanos;
  }

  /** Converts seconds on the loop's scale to nanoseconds, within MAX_DELAY of now. */
  static long clampWhen(double when, long now) {
    double target = when * 1e9;
    if (target >= now + (double) MAX_DELAY) {
      return now + MAX_DELAY;
    }
    if (target <= now - (double) MAX_DELAY) {
      return now - MAX_DELAY;
    }
    return (long) Math.rint(target);
  }

  void enter() {
    EventLoop other = RUNNING.get();
    if (other != null && other != loop) {
      throw new IllegalStateException("Cannot run the event loop while another loop is running");
    }
    if (!owner.compareAndSet(null, Thread.currentThread())) {
      throw new IllegalStateException("This event loop is already running");
    }
    RUNNING.set(loop);
    BlockingGuard.forbidBlocking(loop.toString());
  }

  void exit() {
    stopping = false;
    release();
  }

  /** Gives the loop up without running it: as {@link #exit()}, but a stop asked for stays. */
  void release() {
    BlockingGuard.allowBlocking();
    RUNNING.remove();
    owner.set(null);
  }

  void stop() {
    stopping = true;
    if (waiting) {
      wake();
    }
  }

  /**
   * Wakes the loop's thread from {@link #park}: an unpark, and a selector wake-up if it has one.
   */
  private void wake() {
    if (io.isOpen()) {
      io.wakeup();
    }
    LockSupport.unpark(owner.get());
  }

  boolean isStopping() {
    return stopping;
  }

  void clear() {
    ready.clear();
    timers.clear();
    incoming.clear();
    cancelledTimers = 0;
  }

  /**
   * One turn: waits (if allowed and nothing is ready) for the next timer or for work from other
   * threads, moves due timers to the ready queue, then runs the callbacks ready at that point.
   */
  void runOnce(boolean mayBlock, boolean debug, long slowCallbackNanos) {
    runTurns(mayBlock, debug, slowCallbackNanos, true);
  }

  /**
   * Runs turns, each as {@link #runOnce} with {@code mayBlock} true and the loop's debug mode and
   * slow-callback duration read anew, until the loop is asked to stop ({@link
   * BaseEventLoop#runForever()}'s loop). The turns run in one frame: a task switch is a turn, and
   * every frame the loop's thread returns through after a task's body suspended costs a return the
   * processor mispredicts (the continuation's yield left its return stack out of step).
   */
  void runUntilStopped() {
    runTurns(true, false, 0L, false);
  }

  private void runTurns(boolean mayBlock, boolean debug, long slowCallbackNanos, boolean once) {
    ReadyQueue.Cursor batch = this.batch;
    TaskRuntime runtime = loop.runtime;
    do {
      if (!once) {
        debug = loop.debug;
        slowCallbackNanos = loop.slowCallbackNanos();
      }
      prepareTurn(mayBlock);
      Object slot = slotForTurn();
      int n = ready.size();
      // a lone entry (a task switch is one) is taken without a batch: no chunk changes hands
      boolean batched = n != 1;
      Object sole = batched ? null : ready.takeSole();
      if (batched) {
        batch.reset(ready.takeAll(), n);
      }
      LoopFuture<?> unfinished = null; // a future whose callbacks an error left, to put back
      try {
        while (batched ? batch.hasNext() : sole != null) {
          Object entry;
          if (batched) {
            entry = batch.peek();
            batch.advance();
          } else {
            entry = sole;
            sole = null;
          }
          if (entry instanceof Handle h) {
            if (!h.isCancelled()) {
              if (debug) {
                runTimed(h, slot, slowCallbackNanos);
              } else {
                h.run(slot);
              }
            }
            continue;
          }
          // a task's step: queued without a handle (not in debug mode), or the sole callback of
          // the future its body awaited
          Strand step;
          LoopFuture<?> awaited = null;
          if (entry instanceof Strand queued) {
            if (!queued.takeQueuedTurn()) {
              continue; // a stale entry
            }
            step = queued;
          } else {
            awaited = (LoopFuture<?>) entry;
            step = awaited.takeSoleStep();
            if (step == null) {
              unfinished = awaited; // if an error escapes, the future keeps what it has left
              awaited.runScheduledCallbacks(slot);
              unfinished = null;
              continue;
            }
          }
          // run here, in this frame: no frame of the library lies between the turn and the
          // task's continuation (see runUntilStopped)
          try {
            Object continuation =
                runtime.beginTurnStep(step, slot, batched && !debug ? batch : null);
            if (continuation != null) {
              try {
                Continuations.run(continuation);
              } finally {
                runtime.endTurnStep(slot);
              }
            }
          } catch (VirtualMachineError fatal) {
            throw fatal;
          } catch (Throwable t) { // a bug: the body's own failures end its task
            if (awaited != null) {
              awaited.reportStepFailure(step, t);
            } else {
              step.reportStepFailure(t);
            }
          }
        }
      } finally {
        if (batched) {
          ready.putBack(batch);
        }
        if (unfinished != null) {
          ready.putFirst(unfinished);
        }
      }
    } while (!once && !stopping);
  }

  /**
   * The first half of a turn: waits (if allowed and nothing is ready) for the next timer or for
   * work from other threads, polls the selector, and moves due timers to the ready queue.
   */
  private void prepareTurn(boolean mayBlock) {
    dropCancelledTimers();
    if (incomingSent) { // a volatile read; the write that drainIncoming makes is a fence
      drainIncoming();
    }
    polled = false;
    if (mayBlock && ready.isEmpty() && !stopping) {
      long timeout = timers.isEmpty() ? -1L : Math.max(0L, nextTimerNanos() - clock.getAsLong());
      if (timeout != 0L) {
        if (Thread.currentThread().isInterrupted()) {
          throw new WaitInterruptedException(
              "Interrupted while " + loop + " was waiting for work", new InterruptedException());
        }
        loop.idle(timeout);
        drainIncoming();
      }
    }
    if (!polled && io.isOpen()) {
      io.select(0L, this); // asyncio polls its selector every turn, with a zero timeout if busy
    }
    if (!timers.isEmpty()) {
      long end = clock.getAsLong();
      while (!timers.isEmpty() && timers.peek().whenNanos - end <= 0) {
        TimerHandle t = timers.poll();
        t.scheduled = false;
        ready.add(t);
      }
    }
  }

  private static void runTimed(Handle h, Object slot, long slowCallbackNanos) {
    long t0 = System.nanoTime();
    h.run(slot);
    long dt = System.nanoTime() - t0;
    if (dt >= slowCallbackNanos) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Executing " + h + " took " + String.format(Locale.ROOT, "%.3f", dt / 1e9) + " seconds");
    }
  }

  private void dropCancelledTimers() {
    if (timers.size() > MIN_SCHEDULED_TIMERS_TO_COMPACT && cancelledTimers * 2 > timers.size()) {
      timers.removeIf(
          t -> {
            if (t.isCancelled()) {
              t.scheduled = false;
              return true;
            }
            return false;
          });
      cancelledTimers = 0;
    } else {
      while (!timers.isEmpty() && timers.peek().isCancelled()) {
        timers.poll().scheduled = false;
        cancelledTimers = Math.max(0, cancelledTimers - 1);
      }
    }
  }

  /**
   * Waits until work arrives from another thread, a stop, a channel is ready (once the loop has a
   * reader or writer: see {@link IoSelector}), or the timeout ({@code -1}: none).
   */
  void park(long timeoutNanos) {
    waiting = true;
    try {
      boolean workWaiting = !incoming.isEmpty() || stopping;
      if (io.isOpen()) {
        polled = true;
        io.select(workWaiting ? 0L : timeoutNanos, this);
        return;
      }
      if (workWaiting) {
        return;
      }
      if (timeoutNanos < 0) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, timeoutNanos);
      }
    } finally {
      waiting = false;
    }
  }

  boolean hasReadyWork(long now) {
    return !ready.isEmpty()
        || !incoming.isEmpty()
        || (!timers.isEmpty() && timers.peek().whenNanos - now <= 0);
  }

  int timerCount() {
    return timers.size();
  }

  boolean hasTimers() {
    dropCancelledTimers();
    return !timers.isEmpty();
  }

  /** The time of the earliest timer; call only when {@link #hasTimers()}. */
  long nextTimerNanos() {
    return timers.peek().whenNanos;
  }
}
