package dev.sipedge.transaction;

/** The transport protocols sipedge speaks. Reliability decides which retransmission timers run (RFC 3261 §17). */
public enum TransportKind {
    UDP(false),
    TCP(true);

    private final boolean reliable;

    TransportKind(boolean reliable) {
        this.reliable = reliable;
    }

    /** True for stream transports: no request retransmission, and Timers D, I, J, K are zero. */
    public boolean reliable() {
        return reliable;
    }

    /** The token used in Via headers and {@code transport=} URI parameters. */
    public String token() {
        return name();
    }

    /** Parses a Via or URI transport token, case-insensitively; null when unknown. */
    public static TransportKind fromToken(String token) {
        if (token == null) {
            return null;
        }
        if (token.equalsIgnoreCase("udp")) {
            return UDP;
        }
        if (token.equalsIgnoreCase("tcp")) {
            return TCP;
        }
        return null;
    }
}
