package dev.eventual.loop;

import java.util.Objects;

/**
 * What {@link Asyncio#openConnection} gives: Python's {@code (reader, writer)} pair.
 *
 * @param reader the connection's incoming bytes
 * @param writer the connection's outgoing bytes
 */
public record StreamPair(StreamReader reader, StreamWriter writer) {
  /**
   * Checks both parts.
   *
   * @param reader the reader
   * @param writer the writer
   * @throws NullPointerException if either is null
   */
  public StreamPair {
    Objects.requireNonNull(reader, "reader must not be null");
    Objects.requireNonNull(writer, "writer must not be null");
  }
}
