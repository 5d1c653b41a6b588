package dev.eventual.loop;

/**
 * What a stream server runs for each connection: asyncio's {@code client_connected_cb(reader,
 * writer)} of {@code start_server}, as a task body (Python's coroutine callback, which asyncio runs
 * as a task).
 */
@FunctionalInterface
public interface ClientConnected {
  /**
   * Serves one connection; runs as a task of the server's loop. When it ends with an exception, the
   * exception goes to the loop's exception handler ("Unhandled exception in client_connected_cb")
   * and the connection is closed; when the task is cancelled, the connection is closed. When it
   * returns, the connection stays as the body left it (close the writer to end it).
   *
   * @param reader what the client sends
   * @param writer what goes to the client
   * @throws Exception anything; it is reported as above
   */
  void accept(StreamReader reader, StreamWriter writer) throws Exception;
}
