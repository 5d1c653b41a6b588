package dev.eventual.loop;

import java.util.Objects;

/**
 * What {@link EventLoop#createDatagramEndpoint} gives: the transport and the protocol it made,
 * Python's {@code (transport, protocol)} pair.
 *
 * @param transport the endpoint's transport
 * @param protocol the protocol the factory made, already told {@code connectionMade}
 * @param <P> the protocol's type
 */
public record DatagramEndpoint<P extends DatagramProtocol>(
    DatagramTransport transport, P protocol) {
  /**
   * Checks both parts.
   *
   * @param transport the endpoint's transport
   * @param protocol the protocol the factory made
   * @throws NullPointerException if either is null
   */
  public DatagramEndpoint {
    Objects.requireNonNull(transport, "transport must not be null");
    Objects.requireNonNull(protocol, "protocol must not be null");
  }
}
