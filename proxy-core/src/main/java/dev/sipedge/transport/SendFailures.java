package dev.sipedge.transport;

import dev.sipedge.transaction.Transport.FailureListener;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a send that cannot go out is reported: to its listener, or logged when nobody listens. */
final class SendFailures {
    private static final Logger log = LoggerFactory.getLogger(SendFailures.class);

    private SendFailures() {
    }

    /** The failure for a destination that is missing (a response without a usable Via) or a name never resolved. */
    static RuntimeException unresolved(InetSocketAddress target) {
        if (target == null) {
            return new IllegalArgumentException("response without a usable Via");
        }
        UnresolvedAddressException e = new UnresolvedAddressException();
        e.initCause(new IllegalArgumentException("not resolved: " + target.getHostString()));
        return e;
    }

    static void report(FailureListener onFailure, Throwable cause, Channel channel) {
        if (onFailure != null) {
            onFailure.sendFailed(cause);
        } else {
            log.debug("send failed on {} and nobody listens: {}", channel, cause.toString());
        }
    }
}
