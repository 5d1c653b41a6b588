package dev.eventual.loop;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol behind {@link Process}: asyncio's {@code subprocess.SubprocessStreamProtocol}. It
 * feeds the stdout and stderr pipes into {@link StreamReader}s, gives the stdin pipe a {@link
 * StreamWriter} with flow control, and closes the transport once the process has exited and its
 * output pipes are closed.
 *
 * <pre>
 *   field            changes                                        meaning
 *   stdin/out/err    null -> made in connectionMade, one per PIPE   the streams of Process
 *   pipeFds          1 and 2 (those that are pipes); a lost pipe     output pipes still open
 *                    is removed
 *   processExited    false -> true (processExited)                  with pipeFds empty: close
 *   transport        the transport -> null once closed              who to close
 *   stdinClosed      pending -> done at the stdin pipe's loss        StreamWriter.waitClosed
 * </pre>
 */
final class SubprocessStreamProtocol extends FlowControlProtocol implements SubprocessProtocol {
  private final int limit;
  private final LoopFuture<Void> stdinClosed;
  private final List<Integer> pipeFds = new ArrayList<>();
  private SubprocessTransport transport;
  private boolean processExited;
  StreamWriter stdin;
  StreamReader stdout;
  StreamReader stderr;

  SubprocessStreamProtocol(EventLoop loop, int limit) {
    this.limit = limit;
    this.stdinClosed = loop.createFuture();
    bindTo(loop);
  }

  @Override
  public void connectionMade(SubprocessTransport transport) {
    this.transport = transport;
    Transport out = transport.getPipeTransport(1);
    if (out != null) {
      stdout = new StreamReader(limit);
      stdout.setTransport(out);
      pipeFds.add(1);
    }
    Transport err = transport.getPipeTransport(2);
    if (err != null) {
      stderr = new StreamReader(limit);
      stderr.setTransport(err);
      pipeFds.add(2);
    }
    Transport in = transport.getPipeTransport(0);
    if (in != null) {
      stdin = new StreamWriter(in, this, null);
    }
  }

  @Override
  public void pipeDataReceived(int fd, ByteBuffer data) {
    StreamReader reader = fd == 1 ? stdout : fd == 2 ? stderr : null;
    if (reader != null) {
      reader.feedData(data);
    }
  }

  @Override
  public void pipeConnectionLost(int fd, Throwable exception) {
    if (fd == 0) {
      if (stdin != null) {
        stdin.close();
      }
      connectionLost(exception); // FlowControlProtocol's: a waiting drain ends
      if (exception == null) {
        stdinClosed.setResult(null);
      } else {
        stdinClosed.setException(exception);
      }
      return;
    }
    StreamReader reader = fd == 1 ? stdout : fd == 2 ? stderr : null;
    if (reader != null) {
      if (exception == null) {
        reader.feedEof();
      } else {
        reader.setException(exception);
      }
    }
    pipeFds.remove((Integer) fd);
    maybeCloseTransport();
  }

  @Override
  public void processExited() {
    processExited = true;
    maybeCloseTransport();
  }

  private void maybeCloseTransport() {
    if (pipeFds.isEmpty() && processExited && transport != null) {
      transport.close();
      transport = null;
    }
  }

  @Override
  LoopFuture<Void> closeWaiter() {
    return stdinClosed;
  }

  @Override
  public String toString() {
    return "SubprocessStreamProtocol[pipes=" + pipeFds + (processExited ? ", exited" : "") + "]";
  }
}
