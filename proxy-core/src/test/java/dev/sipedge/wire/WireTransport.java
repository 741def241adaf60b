package dev.sipedge.wire;

/** The two transports every wire scenario runs over (Netty testsuite style permutations). */
enum WireTransport {
    UDP, TCP;

    /** The Via / URI token: {@code UDP} or {@code TCP}. */
    String token() {
        return name();
    }

    /** The {@code transport=} URI parameter to add, empty for UDP (the default, RFC 3261 §19.1.2). */
    String uriParam() {
        return this == TCP ? ";transport=tcp" : "";
    }
}
