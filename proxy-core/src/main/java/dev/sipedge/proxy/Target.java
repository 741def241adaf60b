package dev.sipedge.proxy;

import dev.sipedge.transaction.TransportKind;
import java.net.InetSocketAddress;

/** A resolved next hop (RFC 3263 result): the transport and the socket address to send to. */
public record Target(TransportKind transport, InetSocketAddress address) {
}
