package dev.sipedge.transport;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The bytes a response was received as, kept on the parsed message (its JAIN-SIP application
 * data) for as long as they still say what the message object says. Relaying a response then
 * sends these bytes, less our Via, instead of encoding the object again: headers the proxy never
 * read go out exactly as they came, and the encoder's work is skipped.
 *
 * <p>The invariant is kept by the few places that change a relayed response: removing our Via
 * goes through {@link #topViaRemoved}, which makes the same edit in the bytes, and anything else
 * that changes one calls {@link #forget}, which sends the message back to the encoder. Only a
 * cleanly parsed response gets bytes (one with parse defects keeps its {@link ParseDefects}
 * there), and only one that declares its Content-Length, so the bytes frame on any transport.
 */
public final class ReceivedBytes {
    private final byte[] bytes;
    /** Where the header block ends, blank line included: framing found it, no need to look again. */
    private final int headerEnd;
    /** The range cut out of {@link #bytes} (our Via); empty before the edit. */
    private final int cutFrom;
    private final int cutTo;

    private ReceivedBytes(byte[] bytes, int headerEnd, int cutFrom, int cutTo) {
        this.bytes = bytes;
        this.headerEnd = headerEnd;
        this.cutFrom = cutFrom;
        this.cutTo = cutTo;
    }

    /**
     * Keeps {@code bytes} on a cleanly parsed response that can be relayed as received; the caller
     * has checked that they declare their Content-Length, and that the parser's header block ends
     * where framing's does, at {@code headerEnd}.
     */
    static void attachTo(SIPMessage message, byte[] bytes, int headerEnd) {
        if (message instanceof SIPResponse && message.getApplicationData() == null) {
            message.setApplicationData(new ReceivedBytes(bytes, headerEnd, 0, 0));
        }
    }

    /** The bytes to send for {@code message} as it is now, or null when it must be encoded. */
    static ReceivedBytes of(SIPMessage message) {
        return message.getApplicationData() instanceof ReceivedBytes received ? received : null;
    }

    /** Writes the message: the received bytes without the cut range. */
    ByteBuf writeTo(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.ioBuffer(length());
        return buf.writeBytes(bytes, 0, cutFrom).writeBytes(bytes, cutTo, bytes.length - cutTo);
    }

    /** The bytes as received, before any cut. */
    byte[] received() {
        return bytes;
    }

    int length() {
        return bytes.length - (cutTo - cutFrom);
    }

    /**
     * {@code removed}, the message's top Via, was just taken off the object: take it off the bytes
     * too. When the bytes cannot be edited the same way (or were edited already), they are dropped
     * and the message is encoded as usual.
     */
    public static void topViaRemoved(SIPMessage message, Via removed) {
        if (!(message.getApplicationData() instanceof ReceivedBytes received)) {
            return;
        }
        ViaSplice.Result result = received.cutTo == 0 ? ViaSplice.removeTopVia(received.bytes, received.headerEnd)
                : new ViaSplice.NotSpliced("edited already");
        if (result instanceof ViaSplice.Spliced cut && carriesBranch(cut, removed.getBranch())) {
            message.setApplicationData(new ReceivedBytes(received.bytes, received.headerEnd, cut.from(), cut.to()));
        } else {
            message.setApplicationData(null);
        }
    }

    /**
     * The message object changed in a way the bytes do not follow: encode it from now on. Only this
     * object forgets: a request's forwarded copies share its {@link ReceivedRequestBytes} by clone.
     */
    public static void forget(SIPMessage message) {
        if (message.getApplicationData() instanceof ReceivedBytes
                || message.getApplicationData() instanceof ReceivedRequestBytes) {
            message.setApplicationData(null);
        }
    }

    /** The Via value cut from the bytes is the one the object lost: it carries the same branch. */
    private static boolean carriesBranch(ViaSplice.Spliced cut, String branch) {
        if (branch == null || branch.isEmpty()) {
            return false;
        }
        byte[] m = cut.message();
        int last = cut.valueTo() - branch.length();
        for (int i = cut.valueFrom(); i <= last; i++) {
            int j = 0;
            while (j < branch.length() && m[i + j] == branch.charAt(j)) {
                j++;
            }
            if (j == branch.length()) {
                return true;
            }
        }
        return false;
    }
}
