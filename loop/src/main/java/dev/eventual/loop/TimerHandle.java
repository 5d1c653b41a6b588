package dev.eventual.loop;

import dev.eventual.Context;

/**
 * A callback scheduled for a time, as {@link EventLoop#callLater} and {@link EventLoop#callAt}
 * return it: asyncio's {@code TimerHandle}. A cancelled timer stays in the loop's queue until its
 * time comes or the loop compacts the queue (when more than half of many timers are cancelled).
 */
public final class TimerHandle extends Handle {
  final long whenNanos;
  final long seq;
  boolean scheduled;

  TimerHandle(EventLoop loop, long whenNanos, long seq, Runnable callback, Context context) {
    super(loop, callback, context);
    this.whenNanos = whenNanos;
    this.seq = seq;
  }

  /**
   * When the callback is due, in seconds on the scale of {@link EventLoop#time()}: Python's {@code
   * timer.when()}.
   *
   * @return the scheduled time
   */
  public double when() {
    return whenNanos / 1e9;
  }

  /**
   * When the callback is due, in nanoseconds on the scale of {@link EventLoop#timeNanos()}.
   *
   * @return the scheduled time
   */
  public long whenNanos() {
    return whenNanos;
  }

  @Override
  void onCancel() {
    loop().timerCancelled(this);
  }

  @Override
  String kind() {
    return "TimerHandle";
  }

  @Override
  String details() {
    return "when=" + when() + " ";
  }
}
