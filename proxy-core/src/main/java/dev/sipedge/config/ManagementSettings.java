package dev.sipedge.config;

import com.typesafe.config.Config;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * {@code sipedge.management}: where the management API listens and its bearer token. The API can
 * end every call, so off loopback it is refused without a token.
 */
public record ManagementSettings(InetSocketAddress listen, Optional<String> token) {

    public ManagementSettings {
        token = token.filter(t -> !t.isEmpty());
        if (token.isEmpty() && !isLoopback(listen.getHostString())) {
            throw new IllegalArgumentException("sipedge.management.listen: " + listen.getHostString()
                    + " is not a loopback address; set sipedge.management.token to listen there");
        }
    }

    static ManagementSettings from(Config sipedge) {
        Config m = sipedge.getConfig("management");
        return new ManagementSettings(HostPorts.parse("sipedge.management.listen", m.getString("listen")),
                m.hasPath("token") ? Optional.of(m.getString("token")) : Optional.empty());
    }

    /** A literal loopback address or {@code localhost}; any other name may resolve off the host. */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
        if (ip == null) {
            return false;
        }
        if (ip.length == 4) {
            return ip[0] == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[15] == 1;
    }
}
