package dev.eventual.loop;

import java.util.Objects;

/**
 * What {@link EventLoop#subprocessExec} and {@link EventLoop#subprocessShell} give: the transport
 * and the protocol they made, Python's {@code (transport, protocol)} pair.
 *
 * @param transport the process's transport
 * @param protocol the protocol the factory made, already told {@code connectionMade}
 * @param <P> the protocol's type
 */
public record SubprocessConnection<P extends SubprocessProtocol>(
    SubprocessTransport transport, P protocol) {
  /**
   * Checks both parts.
   *
   * @param transport the process's transport
   * @param protocol the protocol the factory made
   * @throws NullPointerException if either is null
   */
  public SubprocessConnection {
    Objects.requireNonNull(transport, "transport must not be null");
    Objects.requireNonNull(protocol, "protocol must not be null");
  }
}
