package dev.sipedge.transport;

import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.List;

/**
 * Writes a request the proxy forwards as the bytes it was received as ({@link ReceivedRequestBytes})
 * with the forwarding edits, read off the request object as it is now:
 * <ul>
 *   <li>the Via values added on top (ours) are new header lines just before the first Via line,
 *       the Record-Route values added on top just before the first Record-Route line, or after
 *       the request line when there is none, with Max-Forwards when the request had none. Only
 *       the order of same-name headers matters (RFC 3261 §7.3.1), but a list kept on adjacent
 *       lines is what simple parsers (and SIPp scenarios) expect;</li>
 *   <li>the received top Via value is written from the object, which carries the {@code received}
 *       and {@code rport} stamped on receipt;</li>
 *   <li>the top Route values removed from the object (our entries, §16.4) are cut from the bytes,
 *       a whole header line or the first values of a list;</li>
 *   <li>the Max-Forwards value is the object's (decremented, §16.6 step 3).</li>
 * </ul>
 * Every other header and the body go out exactly as received. Whatever this cannot account for
 * (counts in the bytes that differ from what the parse counted, a list that shrank where it can
 * only grow, another CSeq, no CRLF line ends, no Content-Length to frame it on a stream) is
 * {@link NotEdited}, and the caller encodes the object instead.
 *
 * <p>One pass over the header lines, written straight into the buffer that is sent: this runs for
 * every forwarded request, and must cost less than the encoding it replaces (JMH
 * {@code MessageBenchmark.writeForwardedInvite*}).
 */
final class RequestRelayEdit {
    private static final int ROOM_FOR_EDITS = 320;

    private RequestRelayEdit() {
    }

    sealed interface Outcome permits Edited, NotEdited {
    }

    /** The request to send; the caller owns {@code wire}. */
    record Edited(ByteBuf wire) implements Outcome {
    }

    record NotEdited(String reason) implements Outcome {
    }

    static Outcome edit(SIPRequest request, ReceivedRequestBytes received, ByteBufAllocator alloc) {
        byte[] m = received.bytes();
        int end = received.headerEnd();
        ContentLength contentLength = (ContentLength) request.getContentLength();
        int bodyLength = contentLength == null ? 0 : contentLength.getContentLength();
        if (end < 4 || end > m.length || m.length - end != bodyLength || m[end - 2] != '\r' || m[end - 1] != '\n') {
            // the transport framed the bytes by Content-Length: a body of another length is not theirs
            return new NotEdited("no CRLF end of headers, or a body other than the bytes after them");
        }
        SIPHeaderList<Via> vias = request.getViaHeaders();
        int addedVias = size(vias) - received.vias();
        int addedRecordRoutes = size(request.getRecordRouteHeaders()) - received.recordRoutes();
        int removedRoutes = received.routes() - size(request.getRouteHeaders());
        MaxForwards maxForwards = (MaxForwards) request.getMaxForwards();
        if (received.vias() == 0 || addedVias < 0 || addedRecordRoutes < 0 || removedRoutes < 0
                || request.getCSeq() == null || request.getCSeq().getSeqNumber() != received.cseq()
                || maxForwards == null && received.maxForwards()) {
            return new NotEdited("Via, Record-Route, Route, CSeq or Max-Forwards changed otherwise than by forwarding");
        }
        ByteBuf out = alloc.ioBuffer(m.length + ROOM_FOR_EDITS);
        boolean sent = false;
        try {
            Outcome outcome = write(out, request, received, addedVias, addedRecordRoutes, removedRoutes, maxForwards);
            sent = outcome instanceof Edited;
            return outcome;
        } finally {
            if (!sent) {
                out.release();
            }
        }
    }

    private static Outcome write(ByteBuf out, SIPRequest request, ReceivedRequestBytes received, int addedVias,
                                 int addedRecordRoutes, int removedRoutes, MaxForwards maxForwards) {
        byte[] m = received.bytes();
        int end = received.headerEnd();
        StringBuilder text = new StringBuilder(256);
        // CRLFs before the start line are ignored on receipt (RFC 3261 §7.5) and not passed on:
        // our lines go after the request line, never between them and it
        int start = 0;
        while (start < end && (m[start] == '\r' || m[start] == '\n')) {
            start++;
        }
        int line = HeaderBytes.nextLine(m, start, end);
        if (line < 0) {
            return new NotEdited("no CRLF after the request line");
        }
        out.writeBytes(m, start, line - start);
        boolean recordRoutesFirst = received.recordRoutes() == 0;
        if (recordRoutesFirst) {
            writeLines(out, text, request.getRecordRouteHeaders(), addedRecordRoutes);
        }
        if (!received.maxForwards() && maxForwards != null) {
            writeLine(out, text, maxForwards);
        }
        int copied = line;
        int seenVias = 0;
        int seenRecordRoutes = 0;
        int seenRoutes = 0;
        int seenMaxForwards = 0;
        boolean framed = false;
        while (line < end - 2) {
            int lineEnd = HeaderBytes.headerEnd(m, line, end);
            if (lineEnd < 0) {
                return new NotEdited("a header without CRLF");
            }
            int first = m[line] | 0x20;     // only names starting v, r, m, c or l matter here
            int colon = first == 'v' || first == 'r' || first == 'm' || first == 'c' || first == 'l'
                    ? HeaderBytes.nameEnd(m, line, lineEnd) : -1;
            if (colon > 0) {
                int valueStart = HeaderBytes.valueStart(m, colon, lineEnd);
                if (ViaSplice.isVia(m, line, colon)) {
                    if (seenVias == 0) {
                        int comma = HeaderBytes.listComma(m, valueStart, lineEnd, false);
                        int valueEnd = comma >= 0 ? comma : HeaderBytes.valueEnd(m, valueStart, lineEnd);
                        if (!ViaSplice.isPlainValue(m, valueStart, valueEnd)) {
                            return new NotEdited("a top Via value JAIN-SIP may delimit otherwise than its commas");
                        }
                        out.writeBytes(m, copied, line - copied);
                        writeLines(out, text, request.getViaHeaders(), addedVias);
                        out.writeBytes(m, line, valueStart - line);
                        writeValue(out, text, request.getViaHeaders().get(addedVias));
                        copied = valueEnd;
                    }
                    seenVias += HeaderBytes.countValues(m, valueStart, lineEnd, false);
                } else if (HeaderBytes.nameIs(m, line, colon, "record-route")) {
                    if (seenRecordRoutes == 0 && !recordRoutesFirst) {
                        out.writeBytes(m, copied, line - copied);
                        writeLines(out, text, request.getRecordRouteHeaders(), addedRecordRoutes);
                        copied = line;
                    }
                    seenRecordRoutes += HeaderBytes.countValues(m, valueStart, lineEnd, true);
                } else if (HeaderBytes.nameIs(m, line, colon, "route")) {
                    int values = HeaderBytes.countValues(m, valueStart, lineEnd, true);
                    int cut = Math.max(0, removedRoutes - seenRoutes);
                    if (cut > 0) {
                        out.writeBytes(m, copied, (cut >= values ? line : valueStart) - copied);
                        copied = cut >= values ? lineEnd : afterValues(m, valueStart, lineEnd, cut);
                    }
                    seenRoutes += values;
                } else if (HeaderBytes.nameIs(m, line, colon, "max-forwards")) {
                    seenMaxForwards++;
                    out.writeBytes(m, copied, valueStart - copied);
                    ByteBufUtil.writeAscii(out, Integer.toString(maxForwards.getMaxForwards()));
                    copied = HeaderBytes.valueEnd(m, valueStart, lineEnd);
                } else if (HeaderBytes.nameIs(m, line, colon, "content-length") || HeaderBytes.nameIs(m, line, colon, "l")) {
                    framed = true;
                }
            }
            line = lineEnd;
        }
        if (seenVias != received.vias() || seenRecordRoutes != received.recordRoutes()
                || seenRoutes != received.routes() || seenMaxForwards != (received.maxForwards() ? 1 : 0)) {
            return new NotEdited("the bytes hold other Via, Record-Route, Route or Max-Forwards than the parse counted");
        }
        if (!framed) {
            return new NotEdited("no Content-Length: the bytes would not frame on a stream");
        }
        out.writeBytes(m, copied, m.length - copied);
        return new Edited(out);
    }

    /** The first byte after the first {@code cut} values of the list in [valueStart, lineEnd) and their separator. */
    private static int afterValues(byte[] m, int valueStart, int lineEnd, int cut) {
        int comma = valueStart - 1;
        for (int i = 0; i < cut; i++) {
            comma = HeaderBytes.listComma(m, comma + 1, lineEnd, true);
        }
        return HeaderBytes.skipSeparator(m, comma + 1, lineEnd);
    }

    /** The first {@code count} values of {@code list}, a header line each. */
    private static void writeLines(ByteBuf out, StringBuilder text, List<?> list, int count) {
        for (int i = 0; i < count; i++) {
            writeLine(out, text, (SIPHeader) list.get(i));
        }
    }

    private static void writeLine(ByteBuf out, StringBuilder text, SIPHeader header) {
        text.setLength(0);
        ByteBufUtil.writeUtf8(out, header.encode(text));
    }

    /** The header's value alone: its encoding less "Name: " and the line end. */
    private static void writeValue(ByteBuf out, StringBuilder text, SIPHeader header) {
        text.setLength(0);
        header.encode(text);
        int valueStart = text.indexOf(":") + 2;
        ByteBufUtil.writeUtf8(out, text, valueStart, text.length() - 2);
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }
}
