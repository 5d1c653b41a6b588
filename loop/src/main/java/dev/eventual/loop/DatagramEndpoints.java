package dev.eventual.loop;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@link EventLoop#createDatagramEndpoint}: asyncio's {@code create_datagram_endpoint} of {@code
 * BaseEventLoop}. Unresolved addresses go through {@link EventLoop#getaddrinfo}; the local and
 * remote addresses are paired by family, in the order they came, and the pairs are tried in turn;
 * the first that opens, binds and connects becomes the endpoint, or every error is kept (the first
 * thrown, the others suppressed).
 */
final class DatagramEndpoints {
  private DatagramEndpoints() {}

  /** One family's local and remote address, as CPython's {@code addr_infos} entries. */
  private record Pair(ProtocolFamily family, InetSocketAddress local, InetSocketAddress remote) {}

  static <P extends DatagramProtocol> LoopFuture<DatagramEndpoint<P>> create(
      EventLoop loop,
      Supplier<P> protocolFactory,
      InetSocketAddress localAddr,
      InetSocketAddress remoteAddr,
      ProtocolFamily family,
      boolean reusePort,
      boolean allowBroadcast) {
    Objects.requireNonNull(protocolFactory, "protocolFactory must not be null");
    if (family != null
        && family != StandardProtocolFamily.INET
        && family != StandardProtocolFamily.INET6) {
      throw new IllegalArgumentException("family must be INET, INET6 or null: " + family);
    }
    if (localAddr == null && remoteAddr == null && family == null) {
      throw new IllegalArgumentException(
          "unexpected address family: localAddr and remoteAddr are both null and no family given");
    }
    loop.checkClosed();
    LoopFuture<DatagramEndpoint<P>> result = loop.createFuture();
    SocketOps.then(
        resolve(loop, localAddr),
        result,
        locals ->
            SocketOps.then(
                resolve(loop, remoteAddr),
                result,
                remotes -> {
                  List<Pair> pairs = pair(family, locals, remotes, localAddr, remoteAddr);
                  if (pairs.isEmpty()) {
                    result.setException(
                        new IllegalArgumentException(
                            "can not get address information: no family has both "
                                + localAddr
                                + " and "
                                + remoteAddr));
                    return;
                  }
                  open(loop, protocolFactory, pairs, reusePort, allowBroadcast, result);
                }));
    return result;
  }

  private static LoopFuture<List<InetSocketAddress>> resolve(
      EventLoop loop, InetSocketAddress addr) {
    if (addr != null && addr.isUnresolved()) {
      return loop.getaddrinfo(addr.getHostString(), addr.getPort());
    }
    LoopFuture<List<InetSocketAddress>> f = loop.createFuture();
    f.setResult(addr == null ? List.of() : List.of(addr));
    return f;
  }

  static ProtocolFamily familyOf(InetSocketAddress addr) {
    return addr.getAddress() instanceof Inet4Address
        ? StandardProtocolFamily.INET
        : StandardProtocolFamily.INET6;
  }

  /** CPython's pairing: per family, the first address of each side; a family lacking one drops. */
  private static List<Pair> pair(
      ProtocolFamily family,
      List<InetSocketAddress> locals,
      List<InetSocketAddress> remotes,
      InetSocketAddress localAddr,
      InetSocketAddress remoteAddr) {
    if (localAddr == null && remoteAddr == null) {
      return List.of(new Pair(family, null, null));
    }
    Map<ProtocolFamily, InetSocketAddress[]> byFamily = new LinkedHashMap<>();
    for (int side = 0; side < 2; side++) {
      for (InetSocketAddress a : side == 0 ? locals : remotes) {
        ProtocolFamily f = familyOf(a);
        if (family != null && f != family) {
          continue;
        }
        InetSocketAddress[] two = byFamily.computeIfAbsent(f, k -> new InetSocketAddress[2]);
        if (two[side] == null) {
          two[side] = a;
        }
      }
    }
    List<Pair> pairs = new ArrayList<>();
    byFamily.forEach(
        (f, two) -> {
          if ((localAddr == null || two[0] != null) && (remoteAddr == null || two[1] != null)) {
            pairs.add(new Pair(f, two[0], two[1]));
          }
        });
    return pairs;
  }

  private static <P extends DatagramProtocol> void open(
      EventLoop loop,
      Supplier<P> protocolFactory,
      List<Pair> pairs,
      boolean reusePort,
      boolean allowBroadcast,
      LoopFuture<DatagramEndpoint<P>> result) {
    List<IOException> errors = new ArrayList<>();
    DatagramChannel channel = null;
    InetSocketAddress remote = null;
    for (Pair p : pairs) {
      DatagramChannel c = null;
      try {
        c = DatagramChannel.open(p.family());
        if (reusePort) {
          if (!c.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            throw new IllegalArgumentException("reuse_port not supported by socket module");
          }
          c.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        if (allowBroadcast) {
          c.setOption(StandardSocketOptions.SO_BROADCAST, true);
        }
        c.configureBlocking(false);
        if (p.local() != null) {
          c.bind(p.local());
        }
        if (p.remote() != null && !allowBroadcast) {
          c.connect(p.remote()); // a UDP connect only sets the peer: it does not wait
        }
        channel = c;
        remote = p.remote();
        break;
      } catch (IOException e) {
        closeQuietly(c, e);
        errors.add(e);
      } catch (RuntimeException e) {
        closeQuietly(c, e);
        result.setException(e);
        return;
      }
    }
    if (channel == null) {
      IOException first = errors.get(0);
      for (IOException e : errors.subList(1, errors.size())) {
        first.addSuppressed(e);
      }
      result.setException(first);
      return;
    }
    P protocol;
    try {
      protocol = Objects.requireNonNull(protocolFactory.get(), "protocolFactory returned null");
    } catch (RuntimeException e) {
      closeQuietly(channel, e);
      result.setException(e);
      return;
    }
    LoopFuture<Void> waiter = loop.createFuture();
    DatagramTransport transport =
        new DatagramChannelTransport(loop, channel, protocol, remote, waiter);
    waiter.addDoneCallback(
        w -> {
          if (!result.isDone()) {
            result.setResult(new DatagramEndpoint<>(transport, protocol));
          } else {
            transport.close();
          }
        });
  }

  private static void closeQuietly(DatagramChannel channel, Exception failure) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
