package dev.eventual.loop;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * A FIFO queue for producer and consumer tasks: Python's {@code asyncio.Queue} (CPython 3.13
 * semantics, with {@link #shutdown(boolean)}). {@link #put} suspends the calling task (never the
 * loop) while the queue is full, {@link #get} while it is empty; waiting getters and putters are
 * served in FIFO order. {@link #taskDone()} and {@link #join()} count the items still being
 * processed.
 *
 * <pre>{@code
 * Queue<String> queue = new Queue<>();
 * loop.createTask(() -> { while (true) { work(queue.get()); queue.taskDone(); } });
 * queue.put("job");
 * queue.join();
 * }</pre>
 *
 * <table>
 *   <caption>State</caption>
 *   <tr><th>field</th><th>meaning</th></tr>
 *   <tr><td>{@code items}</td><td>the stored items; the storage decides the order (FIFO here,
 *       {@link PriorityQueue}, {@link LifoQueue})</td></tr>
 *   <tr><td>{@code getters}, {@code putters}</td><td>one future per task waiting for an item or a
 *       free slot, oldest first; a wake-up takes the future out and completes it</td></tr>
 *   <tr><td>{@code unfinished}, {@code finished}</td><td>items put and not yet {@code
 *       taskDone()}; the event is set when it is zero</td></tr>
 *   <tr><td>{@code shutDown}</td><td>{@link #shutdown(boolean)} was called; puts fail, gets fail
 *       once empty</td></tr>
 * </table>
 *
 * <p>Cancellation: a getter (putter) cancelled after it was woken passes the wake-up to the next
 * one, so an item (a free slot) is never left with a task waiting for it. A getter never loses an
 * item: it takes the item only after its wait ended normally.
 *
 * <p>Like all of asyncio, not thread-safe: use it from tasks and callbacks of one loop; a plain
 * thread uses {@link #putThreadsafe} and {@link #getThreadsafe}. It binds to the running loop at
 * its first wait.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code put_nowait}/{@code get_nowait}/{@code task_done} are {@link #putNowait}, {@link
 *       #getNowait}, {@link #taskDone}; {@code empty()}/{@code full()} are {@link
 *       #isEmpty()}/{@link #isFull()}; the {@code maxsize} property is {@link #maxsize()}.
 *   <li>{@code QueueEmpty}, {@code QueueFull}, {@code QueueShutDown} are {@link
 *       QueueEmptyException}, {@link QueueFullException}, {@link QueueShutDownException}; {@code
 *       ValueError} is {@link IllegalStateException} for {@code taskDone()}.
 *   <li>Items must not be null (the storage is a {@code java.util} queue).
 *   <li>Subclasses choose their order by passing a {@code java.util.Queue} to the protected
 *       constructor instead of overriding {@code _init/_get/_put}.
 *   <li>Beyond asyncio: {@link #putThreadsafe} and {@link #getThreadsafe} let a plain thread put
 *       and take, blocking it (back pressure) instead of the loop.
 *   <li>The name clashes with {@link java.util.Queue}; the loop package keeps Python's names (see
 *       the package documentation): a file that uses both qualifies one.
 * </ul>
 *
 * @param <T> the item type
 */
public class Queue<T> extends LoopBound {
  private final int maxsize;
  private final java.util.Queue<T> items;
  final ArrayDeque<LoopFuture<Void>> getters = new ArrayDeque<>();
  final ArrayDeque<LoopFuture<Void>> putters = new ArrayDeque<>();
  private final Event finished = new Event();
  private int unfinished;
  private boolean shutDown;

  /** Creates an unbounded queue: Python's {@code Queue()}. */
  public Queue() {
    this(0);
  }

  /**
   * Creates a queue holding at most {@code maxsize} items: Python's {@code Queue(maxsize)}.
   *
   * @param maxsize the capacity; zero or less means unbounded
   */
  public Queue(int maxsize) {
    this(maxsize, new ArrayDeque<>());
  }

  /**
   * Creates a queue over {@code storage}, whose {@code offer}/{@code poll} order is the queue's
   * order (Python's overridable {@code _init/_put/_get}).
   *
   * @param maxsize the capacity; zero or less means unbounded
   * @param storage an empty queue, owned by this one from now on
   * @throws NullPointerException if {@code storage} is null
   * @throws IllegalArgumentException if {@code storage} is not empty
   */
  protected Queue(int maxsize, java.util.Queue<T> storage) {
    Objects.requireNonNull(storage, "storage must not be null");
    if (!storage.isEmpty()) {
      throw new IllegalArgumentException("storage must be empty, has " + storage.size() + " items");
    }
    this.maxsize = maxsize;
    this.items = storage;
    finished.set();
  }

  /**
   * The number of items in the queue: Python's {@code qsize()}.
   *
   * @return the size
   */
  public int qsize() {
    return items.size();
  }

  /**
   * The capacity given at creation: Python's {@code maxsize}.
   *
   * @return the capacity; zero or less means unbounded
   */
  public int maxsize() {
    return maxsize;
  }

  /**
   * Whether the queue holds no item: Python's {@code empty()}.
   *
   * @return true if empty
   */
  public boolean isEmpty() {
    return items.isEmpty();
  }

  /**
   * Whether the queue holds {@code maxsize} items: Python's {@code full()}; never true for an
   * unbounded queue.
   *
   * @return true if a put would wait
   */
  public boolean isFull() {
    return maxsize > 0 && items.size() >= maxsize;
  }

  /**
   * Puts {@code item}, suspending the calling task while the queue is full: Python's {@code await
   * queue.put(item)}.
   *
   * @param item the item
   * @throws NullPointerException if {@code item} is null
   * @throws QueueShutDownException if the queue is shut down (also while the task waits)
   * @throws CancellationException if the task is cancelled while it waits (the item is not put; a
   *     free slot it was woken for goes to the next putter)
   * @throws IllegalStateException if it must wait and the caller is not a task of a running loop,
   *     or the queue is bound to another loop
   */
  public void put(T item) {
    Objects.requireNonNull(item, "item must not be null");
    while (isFull()) {
      if (shutDown) {
        throw new QueueShutDownException("put into a shut-down queue");
      }
      LoopFuture<Void> putter = newWaiter();
      putters.addLast(putter);
      try {
        Await.await(putter);
      } catch (RuntimeException | Error e) {
        putter.cancel(); // in case it is not done yet
        putters.remove(putter); // a wake-up may have taken it out already
        if (!isFull() && !putter.isCancelled()) {
          wakeUpNext(putters); // woken, but not taking the slot: pass it on
        }
        throw e;
      }
    }
    putNowait(item);
  }

  /**
   * Puts {@code item} if a slot is free, without waiting: Python's {@code put_nowait(item)}.
   *
   * @param item the item
   * @throws NullPointerException if {@code item} is null
   * @throws QueueShutDownException if the queue is shut down
   * @throws QueueFullException if the queue is full
   */
  public void putNowait(T item) {
    Objects.requireNonNull(item, "item must not be null");
    if (shutDown) {
      throw new QueueShutDownException("put into a shut-down queue");
    }
    if (isFull()) {
      throw new QueueFullException("queue is full (maxsize " + maxsize + ")");
    }
    items.add(item);
    unfinished++;
    finished.clear();
    wakeUpNext(getters);
  }

  /**
   * Removes and returns the next item, suspending the calling task while the queue is empty:
   * Python's {@code await queue.get()}.
   *
   * @return the item
   * @throws QueueShutDownException if the queue is shut down and empty (also while the task waits),
   *     or was shut down immediately
   * @throws CancellationException if the task is cancelled while it waits (it takes no item; an
   *     item it was woken for goes to the next getter)
   * @throws IllegalStateException if it must wait and the caller is not a task of a running loop,
   *     or the queue is bound to another loop
   */
  public T get() {
    while (isEmpty()) {
      if (shutDown) {
        throw new QueueShutDownException("get from a shut-down, empty queue");
      }
      LoopFuture<Void> getter = newWaiter();
      getters.addLast(getter);
      try {
        Await.await(getter);
      } catch (RuntimeException | Error e) {
        getter.cancel(); // in case it is not done yet
        getters.remove(getter); // a wake-up may have taken it out already
        if (!isEmpty() && !getter.isCancelled()) {
          wakeUpNext(getters); // woken, but not taking the item: pass it on
        }
        throw e;
      }
    }
    return getNowait();
  }

  /**
   * Removes and returns the next item if there is one, without waiting: Python's {@code
   * get_nowait()}.
   *
   * @return the item
   * @throws QueueShutDownException if the queue is empty and shut down
   * @throws QueueEmptyException if the queue is empty
   */
  public T getNowait() {
    if (isEmpty()) {
      if (shutDown) {
        throw new QueueShutDownException("get from a shut-down, empty queue");
      }
      throw new QueueEmptyException("queue is empty");
    }
    T item = items.remove();
    wakeUpNext(putters);
    return item;
  }

  /**
   * Marks one item taken by a get as processed: Python's {@code task_done()}. When every item put
   * is processed, {@link #join()} returns.
   *
   * @throws IllegalStateException "task_done() called too many times" if no item is unfinished
   */
  public void taskDone() {
    if (unfinished <= 0) {
      throw new IllegalStateException("task_done() called too many times");
    }
    unfinished--;
    if (unfinished == 0) {
      finished.set();
    }
  }

  /**
   * Suspends the calling task until every item put has been marked with {@link #taskDone()}:
   * Python's {@code await queue.join()}. Returns at once if none is unfinished.
   *
   * @throws CancellationException if the task is cancelled while it waits
   * @throws IllegalStateException if it must wait and the caller is not a task of a running loop
   */
  public void join() {
    if (unfinished > 0) {
      finished.await();
    }
  }

  /**
   * Shuts the queue down: Python's {@code shutdown(immediate=False)}. Later puts fail with {@link
   * QueueShutDownException}; gets return the remaining items, then fail. Waiting putters and
   * getters wake up and fail (a getter takes an item if one is left).
   */
  public void shutdown() {
    shutdown(false);
  }

  /**
   * Shuts the queue down: Python's {@code shutdown(immediate)} (3.13). With {@code immediate}, the
   * remaining items are dropped, each counted as done (which may release {@link #join()}), and gets
   * fail at once. Every waiting putter and getter wakes up and re-checks, so it fails with {@link
   * QueueShutDownException} (a getter of a non-immediate shutdown may still take an item).
   *
   * @param immediate whether to drop the items now
   */
  public void shutdown(boolean immediate) {
    shutDown = true;
    if (immediate) {
      while (!items.isEmpty()) {
        items.remove();
        if (unfinished > 0) {
          unfinished--;
        }
      }
      if (unfinished == 0) {
        finished.set();
      }
    }
    wakeAll(getters);
    wakeAll(putters);
  }

  /**
   * Puts {@code item} from a plain thread, blocking that thread while the queue is full (back
   * pressure): beyond asyncio, whose users write {@code loop.call_soon_threadsafe(q.put_nowait, x)}
   * and get no back pressure. The put runs on {@code loop} (which must be running) with {@code
   * put()}'s semantics: FIFO among the waiting putters, counted by {@link #join()}.
   *
   * @param loop the loop this queue is used on
   * @param item the item
   * @throws NullPointerException if {@code loop} or {@code item} is null
   * @throws InterruptedException if the thread is interrupted while it waits; the item was not put
   *     (had the loop already taken it, the call returns normally with the interrupt flag set)
   * @throws QueueShutDownException if the queue is (or gets) shut down before the item goes in
   * @throws IllegalStateException if called on a thread that runs an event loop or a task (it would
   *     block it; use {@link #put}), if {@code loop} is closed, or if the queue is bound to another
   *     loop
   */
  public void putThreadsafe(EventLoop loop, T item) throws InterruptedException {
    ThreadBridge.put(this, loop, item, null);
  }

  /**
   * As {@link #putThreadsafe(EventLoop, Object)}, waiting at most {@code timeout}: {@code
   * BlockingQueue.offer(e, timeout)} for a loop queue.
   *
   * @param loop the loop this queue is used on
   * @param item the item
   * @param timeout how long to wait for a free slot
   * @return true if the item was put; false if the time ran out (the item was not put)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws InterruptedException as {@link #putThreadsafe(EventLoop, Object)}
   * @throws QueueShutDownException as {@link #putThreadsafe(EventLoop, Object)}
   * @throws IllegalStateException as {@link #putThreadsafe(EventLoop, Object)}
   */
  public boolean putThreadsafe(EventLoop loop, T item, Duration timeout)
      throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout must not be null");
    return ThreadBridge.put(this, loop, item, timeout);
  }

  /**
   * Takes the next item from a plain thread, blocking that thread while the queue is empty. The get
   * runs on {@code loop} (which must be running) with {@code get()}'s semantics: FIFO among the
   * waiting getters; an item is never lost to a thread that gave up.
   *
   * @param loop the loop this queue is used on
   * @return the item
   * @throws NullPointerException if {@code loop} is null
   * @throws InterruptedException if the thread is interrupted while it waits; no item was taken
   *     (had the loop already taken one, it is returned with the interrupt flag set)
   * @throws QueueShutDownException if the queue is (or gets) shut down and is empty
   * @throws IllegalStateException if called on a thread that runs an event loop or a task, if
   *     {@code loop} is closed, or if the queue is bound to another loop
   */
  public T getThreadsafe(EventLoop loop) throws InterruptedException {
    return ThreadBridge.get(this, loop, null);
  }

  /**
   * As {@link #getThreadsafe(EventLoop)}, waiting at most {@code timeout}: {@code
   * BlockingQueue.poll(timeout)} for a loop queue.
   *
   * @param loop the loop this queue is used on
   * @param timeout how long to wait for an item
   * @return the item, or null if the time ran out (no item was taken)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws InterruptedException as {@link #getThreadsafe(EventLoop)}
   * @throws QueueShutDownException as {@link #getThreadsafe(EventLoop)}
   * @throws IllegalStateException as {@link #getThreadsafe(EventLoop)}
   */
  public T getThreadsafe(EventLoop loop, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout must not be null");
    return ThreadBridge.get(this, loop, timeout);
  }

  /**
   * Whether {@link #shutdown(boolean)} was called (Python keeps it in {@code _is_shutdown}).
   *
   * @return true once shut down
   */
  public boolean isShutDown() {
    return shutDown;
  }

  static void wakeUpNext(ArrayDeque<LoopFuture<Void>> waiters) {
    LoopFuture<Void> w;
    while ((w = waiters.pollFirst()) != null) {
      if (!w.isDone()) {
        w.setResult(null);
        return;
      }
    }
  }

  private static void wakeAll(ArrayDeque<LoopFuture<Void>> waiters) {
    LoopFuture<Void> w;
    while ((w = waiters.pollFirst()) != null) {
      if (!w.isDone()) {
        w.setResult(null);
      }
    }
  }

  /**
   * The state, as Python's str: {@code Queue[maxsize=0, items=[1, 2], getters[1], tasks=2,
   * shutdown]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder(getClass().getSimpleName()).append("[maxsize=").append(maxsize);
    if (!items.isEmpty()) {
      s.append(", items=").append(items);
    }
    if (!getters.isEmpty()) {
      s.append(", getters[").append(getters.size()).append(']');
    }
    if (!putters.isEmpty()) {
      s.append(", putters[").append(putters.size()).append(']');
    }
    if (unfinished > 0) {
      s.append(", tasks=").append(unfinished);
    }
    if (shutDown) {
      s.append(", shutdown");
    }
    return s.append(']').toString();
  }
}
