package dev.eventual.loop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The write side of a child's stdin pipe: asyncio's {@code _UnixWritePipeTransport} with the {@code
 * WriteSubprocessPipeProto} that tells {@link ProcessTransport}.
 *
 * <p>A {@link java.lang.Process}'s stdin is a plain {@link OutputStream}, not a selectable channel,
 * so writes go through one daemon <em>pump thread</em> (named {@code
 * eventual-subprocess-<pid>-stdin}): {@link #write} copies the bytes onto the pump's queue and
 * returns; the pump writes them in order (blocking while the child does not read) and reports each
 * chunk back with {@link EventLoop#callSoonThreadsafe}. The write buffer's size counts what the
 * pump has not written yet, and drives pause/resume writing as a socket transport's does. The
 * thread ends once the pipe is closed (after what was queued, or at once for {@link #abort()}), at
 * a write error, or within half a second of the loop's close while it has nothing to write.
 *
 * <pre>
 *   field          changes                                          who reads it
 *   queued         write adds; written (the pump's report) takes    getWriteBufferSize, flow control
 *   closing        close, writeEof, abort, error -> true            write (drops and counts)
 *   lost           -> true when pipeConnectionLost is scheduled     the pump's late reports
 *   connLost       counts writes after closing                      write's warning
 *   flow           asyncio's _FlowControlMixin (WriteFlow): the     write, written,
 *                  owner paused over high, resumed at low            setWriteBufferLimits
 * </pre>
 */
final class WritePipeTransport implements Transport {
  private static final System.Logger LOG = System.getLogger("dev.eventual.loop.EventLoop");
  private static final Object EOF = new Object();
  private static final Object ABORT = new Object();

  private final EventLoop loop;
  private final ProcessTransport owner;
  private final OutputStream out;
  private final Thread pump;
  private final LinkedBlockingQueue<Object> toWrite = new LinkedBlockingQueue<>();
  private int queued;
  private boolean closing;
  private boolean lost;
  private int connLost;
  private final WriteFlow flow;

  WritePipeTransport(EventLoop loop, ProcessTransport owner, OutputStream out, String name) {
    this.loop = loop;
    this.owner = owner;
    this.flow =
        new WriteFlow(loop) {
          @Override
          void pauseWriting() {
            owner.pauseWriting();
          }

          @Override
          void resumeWriting() {
            owner.resumeWriting();
          }
        };
    this.out = out;
    this.pump = new Thread(this::pump, name);
    pump.setDaemon(true);
  }

  void start() {
    pump.start();
  }

  Thread thread() {
    return pump;
  }

  private void pump() {
    try {
      while (true) {
        Object item = toWrite.poll(ReadPipeTransport.IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (item == null) {
          if (loop.isClosed()) {
            return; // the loop went away with the pipe open: nothing more can come
          }
          continue;
        }
        if (item == ABORT) {
          return;
        }
        if (item == EOF) {
          out.close();
          post(() -> lose(null));
          return;
        }
        byte[] chunk = (byte[]) item;
        out.write(chunk);
        out.flush();
        post(() -> written(chunk.length));
      }
    } catch (IOException e) {
      post(() -> failed(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        out.close();
      } catch (IOException e) {
        // a broken pipe has been reported already
      }
    }
  }

  private void post(Runnable r) {
    try {
      loop.callSoonThreadsafe(r);
    } catch (RuntimeException closedLoop) {
      toWrite.clear();
    }
  }

  @Override
  public void write(ByteBuffer data) {
    Objects.requireNonNull(data, "data must not be null");
    if (!data.hasRemaining()) {
      return;
    }
    if (closing) {
      if (connLost >= SelectorTransport.LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
        LOG.log(
            System.Logger.Level.WARNING,
            "pipe closed by peer or os.write(pipe, data) raised exception.");
      }
      connLost++;
      data.position(data.limit());
      return;
    }
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    queued += chunk.length;
    toWrite.add(chunk);
    flow.maybePause(queued);
  }

  private void written(int n) {
    if (lost) {
      return;
    }
    queued -= n;
    flow.maybeResume(queued);
  }

  private void failed(IOException e) {
    if (lost) {
      return;
    }
    closing = true;
    queued = 0;
    lose(e);
  }

  private void lose(Throwable e) {
    if (lost) {
      return;
    }
    lost = true;
    owner.pipeConnectionLost(0, e);
  }

  /** Whether nothing waits to be written (the child's exit may close the pipe then). */
  boolean isDrained() {
    return queued == 0;
  }

  @Override
  public void writeEof() {
    close();
  }

  @Override
  public boolean canWriteEof() {
    return true;
  }

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    toWrite.add(EOF);
  }

  @Override
  public void abort() {
    if (lost) {
      return;
    }
    closing = true;
    toWrite.clear();
    toWrite.add(ABORT);
    queued = 0;
    loop.callSoon(() -> lose(null));
  }

  @Override
  public boolean isClosing() {
    return closing;
  }

  @Override
  public int getWriteBufferSize() {
    return queued;
  }

  @Override
  public void setWriteBufferLimits(int high, int low) {
    flow.setLimits(high, low, queued);
  }

  @Override
  public WriteBufferLimits getWriteBufferLimits() {
    return flow.getLimits();
  }

  @Override
  public void pauseReading() {
    throw new UnsupportedOperationException("a write pipe cannot read");
  }

  @Override
  public void resumeReading() {
    throw new UnsupportedOperationException("a write pipe cannot read");
  }

  @Override
  public boolean isReading() {
    return false;
  }

  @Override
  public Object getExtraInfo(String name, Object defaultValue) {
    return "pipe".equals(Objects.requireNonNull(name, "name must not be null"))
        ? out
        : defaultValue;
  }

  @Override
  public BaseProtocol getProtocol() {
    return owner.pipeProtocol(0);
  }

  @Override
  public void setProtocol(BaseProtocol protocol) {
    throw new UnsupportedOperationException("a subprocess pipe keeps its process's protocol");
  }

  @Override
  public String toString() {
    return "WritePipeTransport[fd=0"
        + (closing ? ", closing" : "")
        + (queued > 0 ? ", " + queued + " bytes queued" : "")
        + "]";
  }
}
