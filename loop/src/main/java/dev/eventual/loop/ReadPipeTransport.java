package dev.eventual.loop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The read side of a child's stdout or stderr pipe: asyncio's {@code _UnixReadPipeTransport} with
 * the {@code ReadSubprocessPipeProto} that feeds {@link ProcessTransport}.
 *
 * <p>A {@link java.lang.Process}'s pipes are plain {@link InputStream}s, not selectable channels,
 * so one daemon <em>pump thread</em> per pipe (named {@code eventual-subprocess-<pid>-stdout})
 * blocks in {@code read} and hands each chunk (up to 64 KiB) to the loop with {@link
 * EventLoop#callSoonThreadsafe}. It reads the next chunk only after the loop has delivered the
 * previous one and reading is not paused: one chunk in flight at most, so a slow or paused reader
 * bounds the memory, and {@link #pauseReading()} is real back-pressure on the child. The thread
 * ends at end of stream, at an error, at its first read after {@link #close()}, or within half a
 * second of the loop's close while it waits for the loop.
 *
 * <p>At the child's exit the JDK itself closes this end of the pipe, keeping what was buffered for
 * the remaining reads, once no read is in progress: a grandchild that inherited the pipe may then
 * have its later output cut off, as a {@code java.lang.Process} user sees it too.
 *
 * <pre>
 *   field          changes                                        who reads it
 *   paused         pauseReading / resumeReading (loop thread)     deliver: whether to grant a read
 *   owed           deliver while paused -> true; resume -> false  resumeReading
 *   closing        close, end of stream, error -> true            deliver, isReading
 *   stopped        -> true with closing, or when the loop is      the pump (volatile)
 *                  closed under the pump
 *   credit         +1 per granted read; the pump takes one         the pump
 * </pre>
 */
final class ReadPipeTransport implements Transport {
  static final int CHUNK = 64 * 1024;

  /** How often a pump that waits for the loop checks that the loop is still open. */
  static final long IDLE_CHECK_MILLIS = 500;

  private final EventLoop loop;
  private final ProcessTransport owner;
  private final int fd;
  private final InputStream in;
  private final Thread pump;
  private final Semaphore credit = new Semaphore(0);
  private boolean paused;
  private boolean owed;
  private boolean closing;
  private volatile boolean stopped;

  ReadPipeTransport(EventLoop loop, ProcessTransport owner, int fd, InputStream in, String name) {
    this.loop = loop;
    this.owner = owner;
    this.fd = fd;
    this.in = in;
    this.pump = new Thread(this::pump, name);
    pump.setDaemon(true);
  }

  /** Starts the pump; its first chunk comes after the callbacks scheduled so far. */
  void start() {
    credit.release();
    pump.start();
  }

  Thread thread() {
    return pump;
  }

  private void pump() {
    byte[] buf = new byte[CHUNK];
    try {
      while (true) {
        while (!credit.tryAcquire(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
          if (loop.isClosed()) {
            return; // nobody will grant the next read: the loop went away under the pump
          }
        }
        if (stopped) {
          return;
        }
        int n = in.read(buf);
        if (stopped) {
          return;
        }
        if (n < 0) {
          post(this::endOfStream);
          return;
        }
        byte[] chunk = Arrays.copyOf(buf, n);
        post(() -> deliver(chunk));
      }
    } catch (IOException e) {
      if (!stopped) {
        post(() -> lost(e));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeStream();
    }
  }

  /** Hands {@code r} to the loop; a closed loop ends the pump. */
  private void post(Runnable r) {
    try {
      loop.callSoonThreadsafe(r);
    } catch (RuntimeException closedLoop) {
      stopped = true;
    }
  }

  private void deliver(byte[] chunk) {
    if (closing) {
      return;
    }
    owner.pipeDataReceived(fd, ByteBuffer.wrap(chunk).asReadOnlyBuffer());
    if (paused) {
      owed = true;
    } else {
      credit.release();
    }
  }

  private void endOfStream() {
    if (!closing) {
      lost(null);
    }
  }

  private void lost(Throwable e) {
    if (closing) {
      return;
    }
    closing = true;
    stopped = true;
    owner.pipeConnectionLost(fd, e);
  }

  private void closeStream() {
    try {
      in.close();
    } catch (IOException e) {
      // the pipe is being given up anyway
    }
  }

  @Override
  public void pauseReading() {
    if (isReading()) {
      paused = true;
    }
  }

  @Override
  public void resumeReading() {
    if (closing || !paused) {
      return;
    }
    paused = false;
    if (owed) {
      owed = false;
      credit.release();
    }
  }

  @Override
  public boolean isReading() {
    return !paused && !closing;
  }

  /**
   * Stops reading and closes the pipe: {@code pipeConnectionLost(fd, null)} comes in the next turn.
   * A pump blocked in {@code read} leaves at that read's end (the child's next write or its exit; a
   * grandchild that keeps the pipe open keeps it there until then): Java cannot interrupt a
   * blocking read of a pipe.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    stopped = true;
    credit.release();
    closeStream();
    loop.callSoon(() -> owner.pipeConnectionLost(fd, null));
  }

  @Override
  public void abort() {
    close();
  }

  @Override
  public boolean isClosing() {
    return closing;
  }

  @Override
  public void write(ByteBuffer data) {
    throw new UnsupportedOperationException("a read pipe cannot write");
  }

  @Override
  public void writeEof() {
    throw new UnsupportedOperationException("a read pipe cannot write");
  }

  @Override
  public boolean canWriteEof() {
    return false;
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    throw new UnsupportedOperationException("a read pipe cannot write");
  }

  @Override
  public WriteBufferLimits getWriteBufferLimits() {
    throw new UnsupportedOperationException("a read pipe cannot write");
  }

  @Override
  public int getWriteBufferSize() {
    return 0;
  }

  @Override
  public Object getExtraInfo(String name, Object defaultValue) {
    return "pipe".equals(java.util.Objects.requireNonNull(name, "name must not be null"))
        ? in
        : defaultValue;
  }

  @Override
  public BaseProtocol getProtocol() {
    return owner.pipeProtocol(fd);
  }

  @Override
  public void setProtocol(BaseProtocol protocol) {
    throw new UnsupportedOperationException("a subprocess pipe keeps its process's protocol");
  }

  @Override
  public String toString() {
    return "ReadPipeTransport[fd=" + fd + (closing ? ", closed" : paused ? ", paused" : "") + "]";
  }
}
