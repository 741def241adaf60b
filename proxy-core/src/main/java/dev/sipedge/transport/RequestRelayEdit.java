package dev.sipedge.transport;

import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * only grow, another CSeq) is {@link NotEdited}, and the caller encodes the object instead.
 */
final class RequestRelayEdit {

    private RequestRelayEdit() {
    }

    sealed interface Outcome permits Edited, NotEdited {
    }

    /** The request to send: {@code length} bytes, the pieces in order. */
    record Edited(List<Piece> pieces, int length) implements Outcome {
        ByteBuf writeTo(ByteBufAllocator alloc) {
            ByteBuf buf = alloc.ioBuffer(length);
            for (Piece piece : pieces) {
                buf.writeBytes(piece.source(), piece.from(), piece.to() - piece.from());
            }
            return buf;
        }

        byte[] bytes() {
            byte[] out = new byte[length];
            int at = 0;
            for (Piece piece : pieces) {
                System.arraycopy(piece.source(), piece.from(), out, at, piece.to() - piece.from());
                at += piece.to() - piece.from();
            }
            return out;
        }
    }

    record NotEdited(String reason) implements Outcome {
    }

    /** A range of the received bytes, or of text written here. */
    record Piece(byte[] source, int from, int to) {
    }

    static Outcome edit(SIPRequest request, ReceivedRequestBytes received) {
        byte[] m = received.bytes();
        int end = HeaderBytes.blockEnd(m);
        ContentLength contentLength = (ContentLength) request.getContentLength();
        int bodyLength = contentLength == null ? 0 : contentLength.getContentLength();
        if (end < 0 || m.length - end != bodyLength) {
            // the transport framed the bytes by Content-Length: a body of another length is not theirs
            return new NotEdited("no end of headers, or a body other than the bytes after them");
        }
        SIPHeaderList<Via> vias = request.getViaHeaders();
        int addedVias = size(vias) - received.vias();
        int addedRecordRoutes = size(request.getRecordRouteHeaders()) - received.recordRoutes();
        int removedRoutes = received.routes() - size(request.getRouteHeaders());
        MaxForwards maxForwards = (MaxForwards) request.getMaxForwards();
        if (received.vias() == 0 || addedVias < 0 || addedRecordRoutes < 0 || removedRoutes < 0) {
            return new NotEdited("Via, Record-Route or Route changed otherwise than by forwarding");
        }
        if (request.getCSeq() == null || request.getCSeq().getSeqNumber() != received.cseq()
                || maxForwards == null && received.maxForwards()) {
            return new NotEdited("CSeq or Max-Forwards changed otherwise than by forwarding");
        }
        Writer out = new Writer(m);
        int startLineEnd = HeaderBytes.nextLine(m, 0, end);
        out.copyTo(startLineEnd);
        boolean recordRoutesFirst = received.recordRoutes() == 0;
        out.insert(lines(request, 0, recordRoutesFirst ? addedRecordRoutes : 0,
                received.maxForwards() ? null : maxForwards));

        int seenVias = 0;
        int seenRecordRoutes = 0;
        int seenRoutes = 0;
        int seenMaxForwards = 0;
        int line = startLineEnd;
        while (line < end - 2) {
            int lineEnd = HeaderBytes.headerEnd(m, line, end);
            if (lineEnd < 0) {
                return new NotEdited("a header without CRLF");
            }
            int colon = HeaderBytes.nameEnd(m, line, lineEnd);
            if (colon > 0) {
                int valueStart = HeaderBytes.valueStart(m, colon, lineEnd);
                if (ViaSplice.isVia(m, line, colon)) {
                    if (seenVias == 0) {
                        out.copyTo(line);
                        out.insert(lines(request, addedVias, 0, null));
                        int comma = HeaderBytes.listComma(m, valueStart, lineEnd, false);
                        out.copyTo(valueStart);
                        out.insert(vias.get(addedVias).getHeaderValue());
                        out.skipTo(comma >= 0 ? comma : HeaderBytes.valueEnd(m, valueStart, lineEnd));
                    }
                    seenVias += HeaderBytes.countValues(m, valueStart, lineEnd, false);
                } else if (HeaderBytes.nameIs(m, line, colon, "record-route")) {
                    if (seenRecordRoutes == 0 && !recordRoutesFirst) {
                        out.copyTo(line);
                        out.insert(lines(request, 0, addedRecordRoutes, null));
                    }
                    seenRecordRoutes += HeaderBytes.countValues(m, valueStart, lineEnd, true);
                } else if (HeaderBytes.nameIs(m, line, colon, "route")) {
                    int values = HeaderBytes.countValues(m, valueStart, lineEnd, true);
                    cutRoutes(out, m, line, valueStart, lineEnd, values, Math.max(0, removedRoutes - seenRoutes));
                    seenRoutes += values;
                } else if (HeaderBytes.nameIs(m, line, colon, "max-forwards")) {
                    seenMaxForwards++;
                    out.copyTo(valueStart);
                    out.insert(Integer.toString(maxForwards.getMaxForwards()));
                    out.skipTo(HeaderBytes.valueEnd(m, valueStart, lineEnd));
                }
            }
            line = lineEnd;
        }
        if (seenVias != received.vias() || seenRecordRoutes != received.recordRoutes()
                || seenRoutes != received.routes() || seenMaxForwards != (received.maxForwards() ? 1 : 0)) {
            return new NotEdited("the bytes hold other Via, Record-Route, Route or Max-Forwards than the parse counted");
        }
        out.copyTo(end + bodyLength);
        return out.done();
    }

    /** Removes the first {@code cut} of the {@code values} values of the Route header at {@code line}. */
    private static void cutRoutes(Writer out, byte[] m, int line, int valueStart, int lineEnd, int values, int cut) {
        if (cut >= values) {
            out.copyTo(line);
            out.skipTo(lineEnd);
        } else if (cut > 0) {
            int comma = valueStart - 1;
            for (int i = 0; i < cut; i++) {
                comma = HeaderBytes.listComma(m, comma + 1, lineEnd, true);
            }
            out.copyTo(valueStart);
            out.skipTo(HeaderBytes.skipSeparator(m, comma + 1, lineEnd));
        }
    }

    /** Header lines for the first {@code vias} Via and {@code recordRoutes} Record-Route values, and {@code missing}. */
    private static String lines(SIPRequest request, int vias, int recordRoutes, MaxForwards missing) {
        StringBuilder lines = new StringBuilder(128 * (vias + recordRoutes) + 24);
        for (int i = 0; i < vias; i++) {
            request.getViaHeaders().get(i).encode(lines);
        }
        for (int i = 0; i < recordRoutes; i++) {
            ((SIPHeader) request.getRecordRouteHeaders().get(i)).encode(lines);
        }
        if (missing != null) {
            missing.encode(lines);
        }
        return lines.toString();
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    /** Collects the pieces: ranges of the received bytes up to a position, and inserted text. */
    private static final class Writer {
        private final byte[] received;
        private final List<Piece> pieces = new ArrayList<>(12);
        private int copied;
        private int length;

        Writer(byte[] received) {
            this.received = received;
        }

        void copyTo(int position) {
            if (position > copied) {
                add(new Piece(received, copied, position));
                copied = position;
            }
        }

        void skipTo(int position) {
            copied = Math.max(copied, position);
        }

        void insert(String text) {
            if (!text.isEmpty()) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                add(new Piece(bytes, 0, bytes.length));
            }
        }

        private void add(Piece piece) {
            pieces.add(piece);
            length += piece.to() - piece.from();
        }

        Edited done() {
            return new Edited(pieces, length);
        }
    }
}
