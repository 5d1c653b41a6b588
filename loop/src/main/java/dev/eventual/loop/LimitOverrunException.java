package dev.eventual.loop;

import java.io.IOException;

/**
 * {@link StreamReader#readuntil} found no separator within the reader's limit: asyncio's {@code
 * LimitOverrunError}. The bytes stay in the reader's buffer, so the stream is still usable: read
 * them with {@link StreamReader#read(int)} or {@link StreamReader#readexactly(int)}.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>Python's {@code LimitOverrunError} is a plain {@code Exception}; here it is an {@link
 *       IOException}, as every other error a stream read throws, so one {@code catch} covers them.
 *   <li>{@link StreamReader#readline()} throws it too, where Python turns it into a {@code
 *       ValueError} (after dropping the over-long line, as here).
 * </ul>
 */
public final class LimitOverrunException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Python's {@code consumed}. */
  private final int consumed;

  /**
   * Creates the error.
   *
   * @param message what was exceeded
   * @param consumed how many bytes are to be consumed (Python's {@code consumed})
   */
  public LimitOverrunException(String message, int consumed) {
    super(message);
    this.consumed = consumed;
  }

  /**
   * How many bytes of the buffer were scanned without finding the separator, or where the separator
   * starts when it was found past the limit: Python's {@code consumed}.
   *
   * @return the byte count
   */
  public int consumed() {
    return consumed;
  }
}
