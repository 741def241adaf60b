package dev.sipedge.proxy;

import io.netty.buffer.ByteBuf;

/** Decodes an uncompressed DNS domain name (RFC 1035 §3.1), as SRV targets are sent (RFC 2782). */
final class DnsNames {
    private DnsNames() {
    }

    /** The name without the trailing dot, or null when it is malformed or compressed. */
    static String decode(ByteBuf in) {
        StringBuilder name = new StringBuilder();
        while (in.isReadable()) {
            int length = in.readUnsignedByte();
            if (length == 0) {
                return name.toString();
            }
            if ((length & 0xC0) != 0 || in.readableBytes() < length) {
                return null;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int i = 0; i < length; i++) {
                name.append((char) in.readUnsignedByte());
            }
        }
        return null;
    }
}
