package dev.eventual.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventual.loop.DatagramChannelTransportTest.Recorder;
import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EventLoop#createDatagramEndpoint} ({@link DatagramEndpoints}): the {@code
 * test_create_datagram_endpoint_*} cases of CPython's {@code test_base_events.py} that apply,
 * against real sockets on 127.0.0.1, and descriptor counts ({@code /proc/self/fd}) as {@link
 * IoFaultsTest} takes them.
 */
@Timeout(20)
class DatagramEndpointsTest extends LoopTaskFixture {
  private static final InetSocketAddress LOCAL = DatagramChannelTransportTest.local();

  private LoopFuture<DatagramEndpoint<Recorder>> create(
      InetSocketAddress localAddr, InetSocketAddress remoteAddr) {
    return loop.createDatagramEndpoint(() -> new Recorder(loop), localAddr, remoteAddr);
  }

  private static Throwable failure(Runnable r) {
    try {
      r.run();
    } catch (CompletionException e) {
      return e.getCause(); // a checked exception, wrapped
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("did not fail");
  }

  // test_base_events.py: test_create_datagram_endpoint_wrong_sock / _no_addrinfo's argument checks
  @Test
  void badArgumentsAreRefusedAtTheCall() {
    assertThatThrownBy(() -> loop.createDatagramEndpoint(null, LOCAL, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("protocolFactory must not be null");
    // test_create_datagram_endpoint_no_addrinfo's sibling: neither address nor family
    assertThatThrownBy(() -> loop.createDatagramEndpoint(() -> new Recorder(loop), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unexpected address family");
    assertThatThrownBy(
            () ->
                loop.createDatagramEndpoint(
                    () -> new Recorder(loop),
                    LOCAL,
                    null,
                    StandardProtocolFamily.UNIX,
                    false,
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("family must be INET, INET6 or null: UNIX");
    loop.close();
    assertThatThrownBy(() -> create(LOCAL, null)).isInstanceOf(IllegalStateException.class);
  }

  // test_base_events.py: test_create_datagram_endpoint_no_matching_family
  @Test
  void addressesOfDifferentFamiliesFailTheFuture() {
    Throwable e =
        failure(() -> loop.runUntilComplete(create(LOCAL, new InetSocketAddress("::1", 9))));
    assertThat(e)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("can not get address information");
  }

  // test_base_events.py: test_create_datagram_endpoint_socket_err (bind fails: the OSError)
  @Test
  void anAddressInUseFailsTheFutureWithTheBindError() {
    DatagramEndpoint<Recorder> first = loop.runUntilComplete(create(LOCAL, null));
    InetSocketAddress taken = (InetSocketAddress) first.transport().getExtraInfo("sockname");
    Throwable e = failure(() -> loop.runUntilComplete(create(taken, null)));
    assertThat(e).isInstanceOf(BindException.class);
    first.transport().close();
  }

  // test_base_events.py: test_create_datagram_endpoint_reuse_port
  @Test
  void reusePortLetsTwoEndpointsBindOnePort() {
    DatagramEndpoint<Recorder> first =
        loop.runUntilComplete(
            loop.createDatagramEndpoint(() -> new Recorder(loop), LOCAL, null, null, true, false));
    InetSocketAddress shared = (InetSocketAddress) first.transport().getExtraInfo("sockname");
    DatagramEndpoint<Recorder> second =
        loop.runUntilComplete(
            loop.createDatagramEndpoint(() -> new Recorder(loop), shared, null, null, true, false));
    DatagramChannel s = (DatagramChannel) second.transport().getExtraInfo("socket");
    assertThat(second.transport().getExtraInfo("sockname")).isEqualTo(shared);
    try {
      assertThat(s.getOption(StandardSocketOptions.SO_REUSEPORT)).isTrue();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    first.transport().close();
    second.transport().close();
  }

  // test_base_events.py: test_create_datagram_endpoint_allow_broadcast (SO_BROADCAST, and the
  // remote address is kept, not connected)
  @Test
  void allowBroadcastLeavesTheSocketUnconnectedButSendsToTheRemoteAddress() throws Exception {
    DatagramEndpoint<Recorder> server = loop.runUntilComplete(create(LOCAL, null));
    InetSocketAddress target = (InetSocketAddress) server.transport().getExtraInfo("sockname");
    DatagramEndpoint<Recorder> client =
        loop.runUntilComplete(
            loop.createDatagramEndpoint(() -> new Recorder(loop), null, target, null, false, true));
    DatagramChannel c = (DatagramChannel) client.transport().getExtraInfo("socket");
    assertThat(c.getOption(StandardSocketOptions.SO_BROADCAST)).isTrue();
    assertThat(c.isConnected()).isFalse();
    assertThat(client.transport().getExtraInfo("peername")).isNull();
    run(
        () -> {
          client.transport().sendto("hi".getBytes(StandardCharsets.ISO_8859_1));
          Asyncio.waitFor(server.protocol().nextDatagram, Duration.ofSeconds(5));
          return null;
        });
    assertThat(server.protocol().text()).isEqualTo("hi");
    client.transport().close();
    server.transport().close();
  }

  // test_base_events.py: test_create_datagram_endpoint_addr_error's happy sibling: a host name
  // goes through getaddrinfo; family= keeps one family only
  @Test
  void anUnresolvedAddressIsResolvedAndTheFamilyFilters() {
    DatagramEndpoint<Recorder> e =
        loop.runUntilComplete(
            loop.createDatagramEndpoint(
                () -> new Recorder(loop),
                InetSocketAddress.createUnresolved("localhost", 0),
                null,
                StandardProtocolFamily.INET,
                false,
                false));
    InetSocketAddress bound = (InetSocketAddress) e.transport().getExtraInfo("sockname");
    assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
    assertThat(bound.getAddress().getAddress()).hasSize(4);
    e.transport().close();
    loop.runUntilComplete(e.protocol().closed);
  }

  // test_base_events.py: test_create_datagram_endpoint_sock_sockopts's failure path: a factory
  // that throws fails the future and leaves no socket open
  @Test
  void aFailingFactoryFailsTheFutureAndClosesTheSocket() {
    assumeTrue(new File("/proc/self/fd").isDirectory(), "counts descriptors in /proc/self/fd");
    loop.runUntilComplete(create(LOCAL, null)).transport().abort(); // the selector opens first
    int before = openSockets();
    for (int i = 0; i < 10; i++) {
      Throwable e =
          failure(
              () ->
                  loop.runUntilComplete(
                      loop.createDatagramEndpoint(
                          () -> {
                            throw new IllegalStateException("no protocol");
                          },
                          LOCAL,
                          null)));
      assertThat(e).hasMessage("no protocol");
    }
    assertThat(openSockets()).isLessThanOrEqualTo(before);
  }

  // test_events.py: test_internal_fds's spirit for UDP: endpoints opened, used and closed (or
  // aborted) leave no descriptor behind
  @Test
  void endpointsOpenedAndClosedLeaveNoDescriptor() {
    assumeTrue(new File("/proc/self/fd").isDirectory(), "counts descriptors in /proc/self/fd");
    loop.runUntilComplete(create(LOCAL, null)).transport().abort(); // the selector opens first
    int before = openSockets();
    List<DatagramEndpoint<Recorder>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      DatagramEndpoint<Recorder> server = loop.runUntilComplete(create(LOCAL, null));
      InetSocketAddress at = (InetSocketAddress) server.transport().getExtraInfo("sockname");
      DatagramEndpoint<Recorder> client = loop.runUntilComplete(create(null, at));
      client.transport().sendto(new byte[] {(byte) i});
      all.add(server);
      all.add(client);
    }
    assertThat(openSockets()).isEqualTo(before + 40);
    for (int i = 0; i < all.size(); i++) {
      if (i % 2 == 0) {
        all.get(i).transport().close();
      } else {
        all.get(i).transport().abort();
      }
    }
    for (DatagramEndpoint<Recorder> e : all) {
      loop.runUntilComplete(e.protocol().closed);
      assertThat(e.protocol().calls).last().isEqualTo("lost");
      assertThat(e.protocol().calls).filteredOn("lost"::equals).hasSize(1);
    }
    assertThat(openSockets()).isLessThanOrEqualTo(before);
  }

  /** Open sockets of the process after a few turns (a closed channel's key goes at a select). */
  private int openSockets() {
    run(
        () -> {
          for (int i = 0; i < 3; i++) {
            yieldOnce();
          }
          return null;
        });
    return OpenDescriptors.count("socket:");
  }
}
