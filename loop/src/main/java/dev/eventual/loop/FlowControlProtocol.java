package dev.eventual.loop;

import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;

/**
 * What {@link StreamWriter#drain()} waits on: asyncio's {@code streams.FlowControlMixin}. A
 * protocol that extends it gets {@link #pauseWriting}, {@link #resumeWriting} and {@link
 * #connectionLost}; a subclass that overrides them calls these. {@link StreamReaderProtocol} is the
 * one for sockets; a pipe's protocol (subprocesses) extends it as well.
 *
 * <pre>
 *   field           changes                                       meaning
 *   paused          pauseWriting -> true, resumeWriting -> false  drain must wait
 *   drainWaiters    a waiting drain adds its future, removes it   woken by resume or the loss
 *                   when it ends
 *   connectionLost  false -> true (connectionLost)                drain throws "Connection lost"
 * </pre>
 */
abstract class FlowControlProtocol extends LoopBound implements BaseProtocol {
  private boolean paused;
  private final ArrayDeque<LoopFuture<Void>> drainWaiters = new ArrayDeque<>();
  private boolean connectionLost;

  FlowControlProtocol() {}

  @Override
  public void pauseWriting() {
    paused = true;
  }

  @Override
  public void resumeWriting() {
    paused = false;
    for (LoopFuture<Void> w : drainWaiters) {
      if (!w.isDone()) {
        w.setResult(null);
      }
    }
  }

  @Override
  public void connectionLost(Throwable exception) {
    connectionLost = true;
    if (!paused) {
      return;
    }
    for (LoopFuture<Void> w : drainWaiters) {
      if (!w.isDone()) {
        if (exception == null) {
          w.setResult(null);
        } else {
          w.setException(exception);
        }
      }
    }
  }

  /** Whether the transport asked to pause writing and has not resumed. */
  final boolean isWritingPaused() {
    return paused;
  }

  /**
   * Suspends the calling task while writing is paused: asyncio's {@code _drain_helper()}.
   *
   * @throws SocketException "Connection lost" (Python's {@code ConnectionResetError}) once the
   *     connection is lost
   * @throws IOException the connection's error if it is lost while this waits
   */
  final void drainHelper() throws IOException {
    if (connectionLost) {
      throw new SocketException("Connection lost");
    }
    if (!paused) {
      return;
    }
    Task.require("StreamWriter.drain()");
    LoopFuture<Void> waiter = newWaiter();
    drainWaiters.addLast(waiter);
    try {
      awaitIo(waiter);
    } finally {
      drainWaiters.remove(waiter);
    }
  }

  /**
   * The future that is done when the connection is closed, with its error: asyncio's {@code
   * _get_close_waiter(stream)}.
   */
  abstract LoopFuture<Void> closeWaiter();

  /**
   * {@link Await#await} that throws a checked {@link IOException} as it is, not wrapped; a done
   * future's outcome is given at once, also outside a task.
   */
  static <T> T awaitIo(LoopFuture<T> future) throws IOException {
    try {
      return future.isDone() ? future.result() : Await.await(future);
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }
}
