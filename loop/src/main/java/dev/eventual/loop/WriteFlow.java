package dev.eventual.loop;

/**
 * The write side of a transport's flow control: asyncio's {@code transports._FlowControlMixin},
 * written once for every transport that queues what it could not send (sockets, datagrams, a
 * subprocess's stdin). The transport counts its queued bytes and reports the count after each
 * growth or shrinkage; this class keeps the limits and tells the protocol to pause once the count
 * is above the high-water mark and to resume once it is at or below the low one. The protocol's own
 * call is the subclass's: each transport makes one instance (no allocation per write).
 *
 * <pre>
 *   field    meaning                                   changed by
 *   high     pause above this many queued bytes        setLimits
 *   low      resume at or below this many              setLimits
 *   paused   the protocol was told to pause, and not   maybePause (over high: true),
 *            yet to resume                             maybeResume (at or under low: false)
 * </pre>
 *
 * <p>A protocol's {@code pauseWriting}/{@code resumeWriting} that throws is reported to the loop's
 * exception handler (asyncio: "protocol.pause_writing() failed") and the transport goes on.
 */
abstract class WriteFlow {
  /** asyncio's default high-water mark of a socket transport, 64 KiB. */
  static final int DEFAULT_HIGH = 64 * 1024;

  private final EventLoop loop;
  private int high = DEFAULT_HIGH;
  private int low = DEFAULT_HIGH / 4;
  private boolean paused;

  WriteFlow(EventLoop loop) {
    this.loop = loop;
  }

  /** Calls the protocol's {@code pauseWriting}. */
  abstract void pauseWriting();

  /** Calls the protocol's {@code resumeWriting}. */
  abstract void resumeWriting();

  /**
   * asyncio's {@code set_write_buffer_limits(high, low)}: a negative value stands for Python's None
   * (high: {@code 4 × low}, or {@code defaultHigh} when both are missing; low: {@code high / 4}).
   *
   * @param high the high-water mark, or negative for the default
   * @param low the low-water mark, or negative for the default
   * @param defaultHigh the high-water mark when neither is given
   * @return the limits
   * @throws IllegalArgumentException unless {@code high >= low >= 0}
   */
  static Transport.WriteBufferLimits limits(int high, int low, int defaultHigh) {
    int h = high;
    int l = low;
    if (h < 0) {
      h = l < 0 ? defaultHigh : 4 * l;
    }
    if (l < 0) {
      l = h / 4;
    }
    if (!(h >= l && l >= 0)) {
      throw new IllegalArgumentException(
          "high (" + h + ") must be >= low (" + l + ") must be >= 0");
    }
    return new Transport.WriteBufferLimits(l, h);
  }

  /**
   * Sets the limits (see {@link #limits}) and pauses the protocol if {@code queued} is now over the
   * high-water mark.
   *
   * @param high the high-water mark, or negative for the default
   * @param low the low-water mark, or negative for the default
   * @param queued the bytes queued now
   * @throws IllegalArgumentException unless {@code high >= low >= 0}
   */
  final void setLimits(int high, int low, int queued) {
    Transport.WriteBufferLimits l = limits(high, low, DEFAULT_HIGH);
    this.high = l.high();
    this.low = l.low();
    maybePause(queued);
  }

  final Transport.WriteBufferLimits getLimits() {
    return new Transport.WriteBufferLimits(low, high);
  }

  /** Whether the protocol was told to pause and not yet to resume. */
  final boolean isPaused() {
    return paused;
  }

  /**
   * Pauses the protocol if {@code queued} went over the high-water mark: asyncio's {@code
   * _maybe_pause_protocol}, called after the queue grew.
   *
   * @param queued the bytes queued now
   */
  final void maybePause(int queued) {
    if (queued > high && !paused) {
      paused = true;
      call(true);
    }
  }

  /**
   * Resumes the protocol if it is paused and {@code queued} came down to the low-water mark:
   * asyncio's {@code _maybe_resume_protocol}, called after the queue shrank.
   *
   * @param queued the bytes queued now
   */
  final void maybeResume(int queued) {
    if (paused && queued <= low) {
      paused = false;
      call(false);
    }
  }

  private void call(boolean pause) {
    try {
      if (pause) {
        pauseWriting();
      } else {
        resumeWriting();
      }
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      loop.callExceptionHandler(
          new ExceptionContext(
              pause ? "protocol.pauseWriting() failed" : "protocol.resumeWriting() failed",
              t,
              null,
              null));
    }
  }
}
