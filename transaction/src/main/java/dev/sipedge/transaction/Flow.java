package dev.sipedge.transaction;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A path a message travels: the transport, our local socket and the peer's address.
 * For a received message {@code remote} is the packet's source; for one to send it is the
 * destination. Over TCP the transport reuses an open connection to {@code remote}.
 */
public record Flow(TransportKind transport, InetSocketAddress local, InetSocketAddress remote) {
    public Flow {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(remote, "remote");
    }

    /** The same flow toward another remote address. */
    public Flow withRemote(InetSocketAddress newRemote) {
        return new Flow(transport, local, newRemote);
    }
}
