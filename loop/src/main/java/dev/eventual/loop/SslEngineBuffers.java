package dev.eventual.loop;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * An {@link SSLEngine} with its three buffers: what CPython's {@code SSLProtocol} gets from its
 * {@code ssl.SSLObject} and the two {@code MemoryBIO}s. All three buffers stay in write mode
 * between calls (the bytes they hold are {@code [0, position)}).
 *
 * <pre>
 *   buffer   holds                                            filled by        emptied by
 *   netIn    bytes from the socket not yet unwrapped          the socket read  unwrap
 *   appIn    plaintext unwrapped, not yet given to the app    unwrap           the protocol's delivery
 *   netOut   records wrapped, not yet handed to the socket    wrap             the protocol's flush
 * </pre>
 *
 * <p>None of the methods calls back into the protocol, so none is re-entered.
 */
final class SslEngineBuffers {
  static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

  final SSLEngine engine;
  ByteBuffer netIn;
  ByteBuffer appIn;
  ByteBuffer netOut;
  private ByteBuffer discard;

  SslEngineBuffers(SSLEngine engine) {
    this.engine = engine;
    int packet = engine.getSession().getPacketBufferSize();
    int app = engine.getSession().getApplicationBufferSize();
    netIn = ByteBuffer.allocate(2 * packet);
    appIn = ByteBuffer.allocate(4 * app);
    netOut = ByteBuffer.allocate(4 * packet);
  }

  /** The buffer the next socket read goes into, grown when it is full (asyncio's get_buffer). */
  ByteBuffer readBuffer() {
    if (!netIn.hasRemaining()) {
      netIn = grow(netIn, netIn.capacity() * 2);
    }
    return netIn;
  }

  /** How many received bytes wait to be unwrapped (asyncio's {@code _get_read_buffer_size}). */
  int pendingIn() {
    return netIn.position();
  }

  /**
   * Unwraps one record from {@code netIn} into {@code appIn} (or, with {@code discarding}, into a
   * scratch buffer whose plaintext is dropped). A buffer too small for the record grows, except
   * {@code appIn} while it holds plaintext: then the result is {@code BUFFER_OVERFLOW} and the
   * caller delivers first.
   */
  SSLEngineResult unwrap(boolean discarding) throws SSLException {
    for (; ; ) {
      ByteBuffer dst = discarding ? discardBuffer() : appIn;
      netIn.flip();
      SSLEngineResult r;
      try {
        r = engine.unwrap(netIn, dst);
      } finally {
        netIn.compact();
      }
      switch (r.getStatus()) {
        case BUFFER_OVERFLOW:
          if (dst.position() > 0 && !discarding) {
            return r;
          }
          int need = engine.getSession().getApplicationBufferSize();
          if (discarding) {
            discard = ByteBuffer.allocate(Math.max(need, discard.capacity() * 2));
          } else {
            appIn = grow(appIn, Math.max(need, appIn.capacity() * 2));
          }
          continue;
        case BUFFER_UNDERFLOW:
          int packet = engine.getSession().getPacketBufferSize();
          if (netIn.capacity() < packet) {
            netIn = grow(netIn, packet);
          }
          return r;
        default:
          if (discarding) {
            dst.clear();
          }
          return r;
      }
    }
  }

  private ByteBuffer discardBuffer() {
    if (discard == null) {
      discard = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }
    discard.clear();
    return discard;
  }

  /**
   * Wraps from {@code src} into {@code netOut}; on {@code BUFFER_OVERFLOW} with an empty {@code
   * netOut}, grows it and tries again. An overflow with records in {@code netOut} is returned, for
   * the caller to flush them first.
   */
  SSLEngineResult wrap(ByteBuffer[] src) throws SSLException {
    for (; ; ) {
      SSLEngineResult r = engine.wrap(src, netOut);
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && netOut.position() == 0) {
        netOut = grow(netOut, engine.getSession().getPacketBufferSize());
        continue;
      }
      return r;
    }
  }

  /** Runs the engine's delegated tasks on this thread, as OpenSSL does its work inline. */
  void runDelegatedTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  /** A larger buffer (at least {@code capacity}) with the bytes of {@code b}, in write mode. */
  private static ByteBuffer grow(ByteBuffer b, int capacity) {
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, b.capacity()));
    b.flip();
    return bigger.put(b);
  }
}
