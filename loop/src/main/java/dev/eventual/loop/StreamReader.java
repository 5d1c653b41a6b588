package dev.eventual.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Bytes arriving from a connection, read by a task in direct style: asyncio's {@code StreamReader}
 * (CPython 3.13). A protocol feeds it ({@link #feedData}, {@link #feedEof}, {@link #setException});
 * a task reads it with {@link #read(int)}, {@link #readline()}, {@link #readexactly(int)} and
 * {@link #readuntil(byte[]...)}, each of which suspends the calling task (never the loop) until
 * enough bytes arrived.
 *
 * <pre>{@code
 * StreamPair s = Asyncio.openConnection("127.0.0.1", port);
 * s.writer().write("ping\n".getBytes(US_ASCII));
 * s.writer().drain();
 * byte[] line = s.reader().readline();
 * }</pre>
 *
 * <table>
 *   <caption>State</caption>
 *   <tr><th>field</th><th>changes</th><th>meaning</th></tr>
 *   <tr><td>{@code buffer} ({@code data[start..end)})</td><td>feedData appends; reads take from
 *       the front</td><td>bytes received and not yet read</td></tr>
 *   <tr><td>{@code eof}</td><td>false -> true (feedEof)</td><td>no more bytes will come</td></tr>
 *   <tr><td>{@code waiter}</td><td>null -> future (a read that must wait) -> null (woken or
 *       ended)</td><td>at most one task waits for data</td></tr>
 *   <tr><td>{@code exception}</td><td>null -> error (setException)</td><td>every later read throws
 *       it</td></tr>
 *   <tr><td>{@code transport}, {@code paused}</td><td>setTransport once; paused above 2 x limit
 *       buffered, resumed at or under limit or when a read must wait</td><td>flow control of the
 *       transport's reading</td></tr>
 * </table>
 *
 * <p>Like all of asyncio, not thread-safe: used from one loop's tasks and callbacks. It binds to
 * the running loop at its first wait.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>The reads are methods that suspend the calling task ({@code await reader.read(n)} is {@code
 *       reader.read(n)}); one that has to wait must be called by a task ({@link
 *       IllegalStateException} otherwise, the reader unchanged).
 *   <li>Errors are {@link IOException}s: {@link IncompleteReadException} ({@code
 *       IncompleteReadError}), {@link LimitOverrunException} ({@code LimitOverrunError}, also from
 *       {@link #readline()} where Python raises {@code ValueError}), or the connection's error. An
 *       error set with {@link #setException} that is neither unchecked nor an {@code IOException}
 *       is thrown wrapped in a {@link CompletionException}.
 *   <li>{@code RuntimeError} (a second task reading while one waits; {@code feed_data} after {@code
 *       feed_eof}; a second transport) is {@link IllegalStateException}, {@code ValueError} is
 *       {@link IllegalArgumentException}.
 *   <li>{@code async for line in reader} has no counterpart: loop on {@code readline()} until it
 *       returns an empty array.
 * </ul>
 */
public final class StreamReader extends LoopBound {
  /** The default limit: 64 KiB, asyncio's {@code _DEFAULT_LIMIT}. */
  public static final int DEFAULT_LIMIT = 64 * 1024;

  private static final byte[] EMPTY = new byte[0];
  private static final byte[] NEWLINE = {'\n'};

  private final int limit;
  private byte[] data = EMPTY;
  private int start;
  private int end;
  private boolean eof;
  private LoopFuture<Throwable> waiter;
  private Throwable exception;
  private Transport transport;
  private boolean paused;

  /** Creates a reader with the default limit of 64 KiB: Python's {@code StreamReader()}. */
  public StreamReader() {
    this(DEFAULT_LIMIT);
  }

  /**
   * Creates a reader: Python's {@code StreamReader(limit=limit)}. The limit bounds a line that
   * {@link #readline()} / {@link #readuntil} return, and the buffer holds up to 2 × limit before
   * the transport is paused.
   *
   * @param limit the line limit in bytes
   * @throws IllegalArgumentException if {@code limit} is not positive ("Limit cannot be &lt;= 0")
   */
  public StreamReader(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("Limit cannot be <= 0: limit " + limit);
    }
    this.limit = limit;
  }

  /**
   * The limit given at creation.
   *
   * @return the limit in bytes
   */
  public int limit() {
    return limit;
  }

  /**
   * The error set by {@link #setException}: Python's {@code exception()}.
   *
   * @return the error, or null
   */
  public Throwable exception() {
    return exception;
  }

  /**
   * Makes every later read throw {@code exception}, and wakes the waiting read with it: Python's
   * {@code set_exception(exc)}. A protocol calls it when its connection is lost with an error.
   *
   * @param exception the error
   * @throws NullPointerException if {@code exception} is null
   */
  public void setException(Throwable exception) {
    Objects.requireNonNull(exception, "exception must not be null");
    this.exception = exception;
    LoopFuture<Throwable> w = waiter;
    if (w != null) {
      waiter = null;
      if (!w.isDone()) {
        w.setResult(exception);
      }
    }
  }

  private void wakeupWaiter() {
    LoopFuture<Throwable> w = waiter;
    if (w != null) {
      waiter = null;
      if (!w.isDone()) {
        w.setResult(null);
      }
    }
  }

  /**
   * Tells the reader which transport feeds it, so it can pause and resume the transport's reading:
   * Python's {@code set_transport(transport)}.
   *
   * @param transport the transport
   * @throws NullPointerException if {@code transport} is null
   * @throws IllegalStateException if a transport is already set ("Transport already set")
   */
  public void setTransport(Transport transport) {
    Objects.requireNonNull(transport, "transport must not be null");
    if (this.transport != null) {
      throw new IllegalStateException("Transport already set");
    }
    this.transport = transport;
  }

  /**
   * Follows the transport that now feeds the reader (a TLS transport after {@link
   * StreamWriter#startTls}); a paused reader pauses it too.
   */
  void replaceTransport(Transport replacement) {
    if (transport == null) {
      return; // never set, or forgotten because it could not pause
    }
    transport = replacement;
    if (paused) {
      replacement.pauseReading();
    }
  }

  /** Whether a read waits for data (for tests). */
  boolean hasWaiter() {
    return waiter != null;
  }

  private void maybeResumeTransport() {
    if (paused && size() <= limit) {
      paused = false;
      transport.resumeReading();
    }
  }

  /** No more bytes will come: Python's {@code feed_eof()}. Wakes the waiting read. */
  public void feedEof() {
    eof = true;
    wakeupWaiter();
  }

  /**
   * Whether the stream ended and every byte was read: Python's {@code at_eof()}.
   *
   * @return true once {@link #feedEof()} was called and the buffer is empty
   */
  public boolean atEof() {
    return eof && size() == 0;
  }

  /**
   * Appends the remaining bytes of {@code bytes} (copied; the buffer's position moves to its limit)
   * and wakes the waiting read: Python's {@code feed_data(data)}. Above 2 × limit bytes buffered,
   * the transport's reading is paused until reads bring the buffer back to the limit (a transport
   * that cannot pause, {@link UnsupportedOperationException}, is then forgotten and the reader
   * buffers everything, as in Python).
   *
   * @param bytes the bytes received
   * @throws NullPointerException if {@code bytes} is null
   * @throws IllegalStateException after {@link #feedEof()} ("feed_data after feed_eof")
   */
  public void feedData(ByteBuffer bytes) {
    Objects.requireNonNull(bytes, "bytes must not be null");
    if (eof) {
      throw new IllegalStateException("feed_data after feed_eof");
    }
    int n = bytes.remaining();
    if (n == 0) {
      return;
    }
    ensureRoom(n);
    bytes.get(data, end, n);
    end += n;
    wakeupWaiter();
    if (transport != null && !paused && size() > 2L * limit) {
      try {
        transport.pauseReading();
        paused = true;
      } catch (UnsupportedOperationException cannotPause) {
        transport = null;
      }
    }
  }

  /**
   * {@link #feedData(ByteBuffer)} of a whole array.
   *
   * @param bytes the bytes received
   * @throws NullPointerException if {@code bytes} is null
   * @throws IllegalStateException after {@link #feedEof()}
   */
  public void feedData(byte[] bytes) {
    feedData(ByteBuffer.wrap(Objects.requireNonNull(bytes, "bytes must not be null")));
  }

  /**
   * Suspends the calling task until {@link #feedData}, {@link #feedEof} or {@link #setException}:
   * Python's {@code _wait_for_data(func_name)}; resumes a paused transport first, since waiting
   * while paused would never end.
   */
  private void waitForData(String method) throws IOException {
    if (waiter != null) {
      throw new IllegalStateException(
          method + "() called while another task is already waiting for incoming data");
    }
    Task.require("StreamReader." + method + "()");
    LoopFuture<Throwable> w = newWaiter();
    if (paused) {
      paused = false;
      transport.resumeReading();
    }
    waiter = w;
    Throwable error;
    try {
      error = Await.await(w);
    } finally {
      waiter = null;
    }
    if (error != null) {
      throw rethrow(error);
    }
  }

  /** Throws {@code e} as it is when it may be, else wrapped; declared to return for `throw`. */
  private static IOException rethrow(Throwable e) throws IOException {
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    throw new CompletionException(e);
  }

  private void throwIfFailed() throws IOException {
    if (exception != null) {
      throw rethrow(exception);
    }
  }

  /**
   * Reads until the end of the stream: Python's {@code await reader.read()} ({@code n=-1}).
   *
   * @return every byte up to the end of the stream
   * @throws IOException the error set with {@link #setException} (the connection's)
   * @throws IllegalStateException if it must wait and the caller is not a task, or another task
   *     already waits to read
   * @throws CancellationException if the task is cancelled while it waits (the bytes read so far
   *     are lost, as in Python)
   */
  public byte[] read() throws IOException {
    return read(-1);
  }

  /**
   * Reads up to {@code n} bytes, suspending the calling task until at least one is there or the
   * stream ended: Python's {@code await reader.read(n)}. A negative {@code n} reads to the end of
   * the stream (in steps of the limit, so a paused transport resumes); zero returns at once.
   *
   * @param n the most bytes to return; negative: all until the end of the stream
   * @return the bytes, empty at the end of the stream (not limited by the limit)
   * @throws IOException the error set with {@link #setException}
   * @throws IllegalStateException if it must wait and the caller is not a task, or another task
   *     already waits to read
   * @throws CancellationException if the task is cancelled while it waits
   */
  public byte[] read(int n) throws IOException {
    throwIfFailed();
    if (n == 0) {
      return EMPTY;
    }
    if (n < 0) {
      ByteBuffer all = ByteBuffer.allocate(0);
      while (true) {
        byte[] block = read(limit);
        if (block.length == 0) {
          break;
        }
        if (all.remaining() < block.length) {
          all = grow(all, block.length);
        }
        all.put(block);
      }
      return Arrays.copyOf(all.array(), all.position());
    }
    if (size() == 0 && !eof) {
      waitForData("read");
    }
    byte[] bytes = take(Math.min(n, size()));
    maybeResumeTransport();
    return bytes;
  }

  private static ByteBuffer grow(ByteBuffer b, int more) {
    int need = b.position() + more;
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, b.capacity() * 2));
    return bigger.put(b.flip());
  }

  /**
   * Reads one line, ending with {@code \n}: Python's {@code await reader.readline()}. At the end of
   * the stream it returns the last, incomplete line, and then empty arrays.
   *
   * @return the line with its {@code \n}; without it at the end of the stream; empty after that
   * @throws LimitOverrunException if the line (without its {@code \n}) is longer than the limit:
   *     the line is dropped if its end is buffered, else the whole buffer is (Python's {@code
   *     ValueError}, after the same dropping)
   * @throws IOException the error set with {@link #setException}
   * @throws IllegalStateException if it must wait and the caller is not a task, or another task
   *     already waits to read
   * @throws CancellationException if the task is cancelled while it waits
   */
  public byte[] readline() throws IOException {
    try {
      return readuntil("readline", new byte[][] {NEWLINE});
    } catch (IncompleteReadException e) {
      return e.partial();
    } catch (LimitOverrunException e) {
      if (e.consumed() < size() && data[start + e.consumed()] == '\n') {
        start += e.consumed() + 1;
        if (start == end) {
          start = end = 0;
        }
      } else {
        start = end = 0;
      }
      maybeResumeTransport();
      throw e;
    }
  }

  /**
   * {@link #readuntil(byte[]...)} of {@code \n}: Python's {@code await reader.readuntil()}.
   *
   * @return the bytes up to and with the separator
   * @throws LimitOverrunException as {@link #readuntil(byte[]...)}
   * @throws IncompleteReadException as {@link #readuntil(byte[]...)}
   * @throws IOException the error set with {@link #setException}
   * @throws IllegalStateException if it must wait and the caller is not a task, or another task
   *     already waits to read
   * @throws CancellationException if the task is cancelled while it waits
   */
  public byte[] readuntil() throws IOException {
    return readuntil(NEWLINE);
  }

  /**
   * Reads up to and with the first of {@code separators} found: Python 3.13's {@code await
   * reader.readuntil(separator)} (a tuple of separators there; the match that ends first wins).
   *
   * @param separators one or more non-empty separators
   * @return the bytes up to and with the separator, removed from the buffer
   * @throws LimitOverrunException if no separator is within the limit: "Separator is not found, and
   *     chunk exceed the limit", or "Separator is found, but chunk is longer than limit"; the bytes
   *     stay in the buffer
   * @throws IncompleteReadException if the stream ended first: its {@code partial} holds the whole
   *     buffer (then emptied), {@code expected} is -1
   * @throws NullPointerException if {@code separators} or one of them is null
   * @throws IllegalArgumentException if no separator is given, or one is empty
   * @throws IOException the error set with {@link #setException}
   * @throws IllegalStateException if it must wait and the caller is not a task, or another task
   *     already waits to read
   * @throws CancellationException if the task is cancelled while it waits
   */
  public byte[] readuntil(byte[]... separators) throws IOException {
    return readuntil("readuntil", separators);
  }

  private byte[] readuntil(String method, byte[][] separators) throws IOException {
    Objects.requireNonNull(separators, "separators must not be null");
    if (separators.length == 0) {
      throw new IllegalArgumentException("Separator should contain at least one element");
    }
    int minSepLen = Integer.MAX_VALUE;
    int maxSepLen = 0;
    for (byte[] s : separators) {
      Objects.requireNonNull(s, "separators must not hold null");
      minSepLen = Math.min(minSepLen, s.length);
      maxSepLen = Math.max(maxSepLen, s.length);
    }
    if (minSepLen == 0) {
      throw new IllegalArgumentException("Separator should be at least one-byte string");
    }
    throwIfFailed();
    int offset = 0;
    int matchStart;
    int matchEnd;
    while (true) {
      int buflen = size();
      if (buflen - offset >= minSepLen) {
        matchStart = -1;
        matchEnd = -1;
        for (byte[] sep : separators) {
          int i = indexOf(sep, offset);
          if (i >= 0 && (matchEnd < 0 || i + sep.length < matchEnd)) {
            matchStart = i;
            matchEnd = i + sep.length;
          }
        }
        if (matchEnd >= 0) {
          break;
        }
        offset = Math.max(0, buflen + 1 - maxSepLen);
        if (offset > limit) {
          throw new LimitOverrunException(
              "Separator is not found, and chunk exceed the limit", offset);
        }
      }
      if (eof) {
        byte[] chunk = take(size());
        throw new IncompleteReadException(chunk, -1);
      }
      waitForData(method);
    }
    if (matchStart > limit) {
      throw new LimitOverrunException(
          "Separator is found, but chunk is longer than limit", matchStart);
    }
    byte[] chunk = take(matchEnd);
    maybeResumeTransport();
    return chunk;
  }

  /**
   * Reads exactly {@code n} bytes, suspending the calling task until they arrived: Python's {@code
   * await reader.readexactly(n)}.
   *
   * @param n how many bytes, zero or more (not limited by the limit)
   * @return the {@code n} bytes
   * @throws IncompleteReadException if the stream ends first: its {@code partial} holds what came
   *     (the buffer is then empty), {@code expected} is {@code n}
   * @throws IllegalArgumentException if {@code n} is negative ("readexactly size can not be less
   *     than zero")
   * @throws IOException the error set with {@link #setException}
   * @throws IllegalStateException if it must wait and the caller is not a task, or another task
   *     already waits to read
   * @throws CancellationException if the task is cancelled while it waits (the bytes stay in the
   *     buffer)
   */
  public byte[] readexactly(int n) throws IOException {
    if (n < 0) {
      throw new IllegalArgumentException("readexactly size can not be less than zero: n " + n);
    }
    throwIfFailed();
    if (n == 0) {
      return EMPTY;
    }
    while (size() < n) {
      if (eof) {
        throw new IncompleteReadException(take(size()), n);
      }
      waitForData("readexactly");
    }
    byte[] bytes = take(n);
    maybeResumeTransport();
    return bytes;
  }

  // ------------------------------------------------------------------ the buffer

  int size() {
    return end - start;
  }

  private byte[] take(int n) {
    if (n == 0) {
      return EMPTY;
    }
    byte[] out = Arrays.copyOfRange(data, start, start + n);
    start += n;
    if (start == end) {
      start = end = 0;
    }
    return out;
  }

  private void ensureRoom(int n) {
    if (data.length - end >= n) {
      return;
    }
    int size = size();
    if (data.length - size >= n && start >= data.length / 2) {
      System.arraycopy(data, start, data, 0, size); // compact: most of the array was read
    } else {
      long want = Math.max((long) size + n, Math.max(1024L, (long) data.length * 2));
      byte[] bigger = new byte[(int) Math.min(want, Integer.MAX_VALUE - 8)];
      System.arraycopy(data, start, bigger, 0, size);
      data = bigger;
    }
    start = 0;
    end = size;
  }

  /** Where {@code sep} starts at or after {@code from}, relative to the buffer's start; or -1. */
  private int indexOf(byte[] sep, int from) {
    int last = end - sep.length;
    byte first = sep[0];
    for (int i = start + from; i <= last; i++) {
      if (data[i] != first) {
        continue;
      }
      int k = 1;
      while (k < sep.length && data[i + k] == sep[k]) {
        k++;
      }
      if (k == sep.length) {
        return i - start;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("StreamReader[");
    b.append(size()).append(" bytes");
    if (eof) {
      b.append(", eof");
    }
    if (limit != DEFAULT_LIMIT) {
      b.append(", limit=").append(limit);
    }
    if (waiter != null) {
      b.append(", waiting");
    }
    if (exception != null) {
      b.append(", exception=").append(exception);
    }
    if (transport != null) {
      b.append(", transport=").append(transport);
    }
    if (paused) {
      b.append(", paused");
    }
    return b.append(']').toString();
  }
}
