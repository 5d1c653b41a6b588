package dev.eventual.loop;

import java.io.EOFException;

/**
 * The stream ended before a read had what it asked for: asyncio's {@code IncompleteReadError} (like
 * it, an end-of-file error). {@link StreamReader#readexactly} throws it with the bytes that did
 * arrive and the count asked for; {@link StreamReader#readuntil} with the bytes read and no count.
 *
 * <h2>Differences from Python</h2>
 *
 * <ul>
 *   <li>{@code expected} is Python's None when {@link #expected()} is negative.
 * </ul>
 */
public final class IncompleteReadException extends EOFException {
  private static final long serialVersionUID = 1L;

  /** The bytes read before the end of the stream. */
  private final byte[] partial;

  /** The count asked for, or -1 for none. */
  private final int expected;

  /**
   * Creates the error.
   *
   * @param partial the bytes read before the end of the stream (kept, not copied)
   * @param expected how many bytes were asked for, or a negative value for "not a count" (Python's
   *     None)
   * @throws NullPointerException if {@code partial} is null
   */
  public IncompleteReadException(byte[] partial, int expected) {
    super(
        partial.length
            + " bytes read on a total of "
            + (expected < 0 ? "undefined" : String.valueOf(expected))
            + " expected bytes");
    this.partial = partial;
    this.expected = expected;
  }

  /**
   * The bytes read before the stream ended: Python's {@code partial}.
   *
   * @return the bytes (the array itself)
   */
  public byte[] partial() {
    return partial;
  }

  /**
   * How many bytes were asked for: Python's {@code expected}.
   *
   * @return the count, or -1 where Python has None (readuntil)
   */
  public int expected() {
    return expected;
  }
}
