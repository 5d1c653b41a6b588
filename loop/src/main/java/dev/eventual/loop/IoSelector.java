package dev.eventual.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * How an {@link EventLoop} waits: parked, until the first reader or writer is added; from then on
 * in a {@link Selector} (asyncio's {@code BaseSelectorEventLoop._selector}), which also polls the
 * channels once per turn when callbacks are ready. A loop that never does I/O never opens a
 * selector, so it holds no descriptor and its wake-up stays one {@code unpark}.
 *
 * <pre>
 *   field      written by                        read by
 *   selector   the loop's thread, null -> open   wake() from any thread (after it saw waiting)
 *              (once; closed only by close())
 *   interest   the loop's thread                 the loop's thread (a key's attachment)
 * </pre>
 *
 * <p>The loop's thread opens the selector before it next sets {@code waiting}, so a thread that
 * sees {@code waiting} set also sees the selector and wakes it with {@link Selector#wakeup()}; a
 * wake-up that comes before the {@code select} makes that {@code select} return at once, so none is
 * lost.
 *
 * <p>Readiness maps to {@link SelectionKey} operations per channel kind: a reader waits for {@code
 * OP_ACCEPT} on a channel that can only accept (a server socket) and {@code OP_READ} otherwise; a
 * writer waits for {@code OP_CONNECT} while a socket's connection is pending (Java reports a
 * finished connect as that, where POSIX reports it as writable) and {@code OP_WRITE} otherwise.
 */
final class IoSelector {
  /** The reader and writer of one channel: a key's attachment. */
  static final class Interest {
    Handle reader;
    Handle writer;

    /** The future of the socket operation whose handle is {@link #reader}, or null. */
    LoopFuture<?> readerOp;

    /** The future of the socket operation whose handle is {@link #writer}, or null. */
    LoopFuture<?> writerOp;
  }

  private final EventLoop loop;
  private volatile Selector selector;

  /** How many readers and writers are registered (for {@link #describe()}; loop thread only). */
  private int readers;

  private int writers;

  IoSelector(EventLoop loop) {
    this.loop = loop;
  }

  boolean isOpen() {
    return selector != null;
  }

  /** The loop's read buffer: every {@link SocketTransport} of the loop reads into it in turn. */
  private java.nio.ByteBuffer readBuffer;

  /** The loop's read buffer ({@link SocketTransport#MAX_READ} bytes, direct), made on first use. */
  java.nio.ByteBuffer readBuffer() {
    if (readBuffer == null) {
      readBuffer = java.nio.ByteBuffer.allocateDirect(SocketTransport.MAX_READ);
    }
    return readBuffer;
  }

  /**
   * Replaces the reader (true) or writer (false) of {@code channel} with {@code handle}, which
   * serves the socket operation {@code op} (null: a user's callback).
   */
  void add(SelectableChannel channel, Handle handle, boolean reader, LoopFuture<?> op) {
    Objects.requireNonNull(channel, "channel must not be null");
    if (channel.isBlocking()) {
      throw new IllegalArgumentException("channel must be non-blocking: " + channel);
    }
    if (!channel.isOpen()) {
      throw new IllegalArgumentException("channel is closed: " + channel);
    }
    Selector s = open();
    SelectionKey key = channel.keyFor(s);
    Interest interest;
    if (key == null || !key.isValid()) {
      if (key != null) {
        selectNowQuietly(s); // a cancelled key stays registered until the next select
      }
      interest = new Interest();
      try {
        key = channel.register(s, 0, interest);
      } catch (ClosedChannelException e) {
        throw new IllegalArgumentException("channel is closed: " + channel, e);
      }
    } else {
      interest = (Interest) key.attachment();
    }
    Handle old = reader ? interest.reader : interest.writer;
    if (reader) {
      interest.reader = handle;
      interest.readerOp = op;
    } else {
      interest.writer = handle;
      interest.writerOp = op;
    }
    if (old != null) {
      old.cancel();
    } else if (reader) {
      readers++;
    } else {
      writers++;
    }
    update(key, interest);
  }

  /** Removes the reader (true) or writer (false) of {@code channel}; whether there was one. */
  boolean remove(SelectableChannel channel, boolean reader) {
    Objects.requireNonNull(channel, "channel must not be null");
    Selector s = selector;
    SelectionKey key = s == null ? null : channel.keyFor(s);
    if (key == null || !key.isValid()) {
      return false;
    }
    Interest interest = (Interest) key.attachment();
    Handle old = reader ? interest.reader : interest.writer;
    if (old == null) {
      return false;
    }
    if (reader) {
      interest.reader = null;
      interest.readerOp = null;
    } else {
      interest.writer = null;
      interest.writerOp = null;
    }
    old.cancel();
    if (reader) {
      readers--;
    } else {
      writers--;
    }
    update(key, interest);
    return true;
  }

  /** The handle registered as reader (true) or writer (false) of {@code channel}, or null. */
  Handle registered(SelectableChannel channel, boolean reader) {
    Interest interest = interestOf(channel);
    return interest == null ? null : reader ? interest.reader : interest.writer;
  }

  /**
   * Whether a socket operation still waits to read (true) or write (false) {@code channel}: one
   * whose future is not done. An operation that ended (cancelled, say) and whose done-callback has
   * not yet removed its handle does not count: the next operation replaces it, as in CPython.
   */
  boolean operationWaits(SelectableChannel channel, boolean reader) {
    Interest interest = interestOf(channel);
    LoopFuture<?> op = interest == null ? null : reader ? interest.readerOp : interest.writerOp;
    return op != null && !op.isDone();
  }

  private Interest interestOf(SelectableChannel channel) {
    Selector s = selector;
    SelectionKey key = s == null ? null : channel.keyFor(s);
    return key == null || !key.isValid() ? null : (Interest) key.attachment();
  }

  private static void update(SelectionKey key, Interest interest) {
    if (interest.reader == null && interest.writer == null) {
      key.cancel();
      return;
    }
    SelectableChannel ch = key.channel();
    int ops = 0;
    if (interest.reader != null) {
      ops |=
          (ch.validOps() & SelectionKey.OP_READ) != 0
              ? SelectionKey.OP_READ
              : SelectionKey.OP_ACCEPT;
    }
    if (interest.writer != null) {
      ops |=
          ch instanceof SocketChannel sc && sc.isConnectionPending()
              ? SelectionKey.OP_CONNECT
              : SelectionKey.OP_WRITE;
    }
    key.interestOps(ops);
  }

  private Selector open() {
    Selector s = selector;
    if (s == null) {
      try {
        s = Selector.open();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a selector for " + loop, e);
      }
      selector = s;
    }
    return s;
  }

  /**
   * Waits for I/O, a wake-up, or the timeout ({@code -1}: none; {@code 0}: polls), then schedules
   * the callbacks of the ready channels. The caller has set {@code waiting} and checked for work.
   */
  void select(long timeoutNanos, Scheduler scheduler) {
    Selector s = selector;
    try {
      if (timeoutNanos == 0) {
        s.selectNow();
      } else if (timeoutNanos < 0) {
        s.select();
      } else {
        // select(ms) treats 0 as "forever": a wait shorter than a millisecond polls, then parks
        long millis = timeoutNanos / 1_000_000L;
        if (millis == 0) {
          if (s.selectNow() == 0) {
            LockSupport.parkNanos(this, timeoutNanos);
          }
        } else {
          s.select(millis);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("select failed on " + loop, e);
    }
    Iterator<SelectionKey> it = s.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      Interest interest = (Interest) key.attachment();
      int ready;
      try {
        ready = key.readyOps();
      } catch (CancelledKeyException closed) {
        continue;
      }
      if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0
          && interest.reader != null) {
        scheduler.schedule(interest.reader);
      }
      if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0
          && interest.writer != null) {
        scheduler.schedule(interest.writer);
      }
    }
  }

  /** Wakes a thread blocked in {@link #select}, or makes its next select return at once. */
  void wakeup() {
    Selector s = selector;
    if (s != null) {
      s.wakeup();
    }
  }

  /** " readers=N writers=M" once the selector is open, else nothing: for the loop's toString. */
  String describe() {
    return selector == null ? "" : " readers=" + readers + " writers=" + writers;
  }

  /** Closes the selector (the loop is closing): every key goes, the channels stay open. */
  void close() {
    readers = 0;
    writers = 0;
    Selector s = selector;
    if (s != null) {
      for (SelectionKey key : s.keys()) {
        Interest interest = (Interest) key.attachment();
        if (interest.reader != null) {
          interest.reader.cancel();
        }
        if (interest.writer != null) {
          interest.writer.cancel();
        }
      }
      try {
        s.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close the selector of " + loop, e);
      }
    }
  }

  private static void selectNowQuietly(Selector s) {
    try {
      s.selectNow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
