package dev.sipedge.transport;

import gov.nist.core.HostPort;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.header.AddressParametersHeader;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.RecordRouteList;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.SIPHeaderList;
import gov.nist.javax.sip.header.Subject;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPDuplicateHeaderException;
import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sip.InvalidArgumentException;

/**
 * Parses the headers every call carries (Via, From, To, Call-ID, CSeq, Contact, Max-Forwards,
 * Content-Length, Content-Type, Record-Route, Route; and Subject, free text SIPp and many UAs
 * send) when they are in their plain form, into the same JAIN-SIP
 * objects JAIN-SIP's own parsers would build, without its lexers: those cost 0.2-0.8 µs a header
 * and most of a message's parse.
 *
 * <p>Plain means a {@code sip:}/{@code sips:} URI in angle brackets with an IPv4 address or host
 * name, token parameters, a display name that is a token or a quoted string without escapes.
 * Anything else (IPv6, escapes, quoted parameter values, URI headers, comments, a number out of
 * range, a list in From or To) is declined, and {@link #attach} returns false: the caller hands
 * the line to JAIN-SIP, which parses it, or reports exactly the defect it always did.
 * So this parser widens nothing: what it accepts, JAIN-SIP accepts with an equal result
 * ({@code PlainHeaderParserTest}, the differential test and the fuzz test hold it to that).
 */
final class PlainHeaderParser {

    /**
     * The methods a plain CSeq may name. JAIN-SIP's lexer reads any other word that happens to be
     * one of its keywords (a compact header name such as {@code E} or {@code V}) as that keyword
     * and refuses it, so an extension method takes its path.
     */
    static final Set<String> METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER",
            "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE", "REFER", "INFO", "PRACK", "UPDATE");

    private PlainHeaderParser() {
    }

    /**
     * Parses one unfolded header line ({@code Name: value}, no line end) and attaches the header
     * to {@code message}; false, with the message untouched, when the line is not plain.
     */
    static boolean attach(SIPMessage message, String line) {
        HeaderLine cursor = HeaderLine.header(line);
        Optional<SipHeaderName> name = cursor.headerName();
        if (name.isEmpty()) {
            return false;   // a header the proxy does not read: JAIN-SIP's path
        }
        SIPHeader header;
        try {
            header = parse(name.get(), cursor);
        } catch (ParseException | InvalidArgumentException | RuntimeException e) {
            // a setter refused a value the scan let through: JAIN-SIP reports it its own way
            return false;
        }
        if (header == null || !cursor.ok) {
            return false;
        }
        try {
            HeaderAttach.attach(message, header);
            return true;
        } catch (SIPDuplicateHeaderException e) {
            return false;
        }
    }

    private static SIPHeader parse(SipHeaderName name, HeaderLine c) throws ParseException, InvalidArgumentException {
        switch (name) {
            case VIA:
                return vias(c);
            case FROM:
                return single(c, FreshHeaders.from());
            case TO:
                return single(c, FreshHeaders.to());
            case CONTACT:
                return addresses(c, new ContactList(), FreshHeaders::contact);
            case RECORD_ROUTE:
                return addresses(c, new RecordRouteList(), FreshHeaders::recordRoute);
            case ROUTE:
                return addresses(c, new RouteList(), FreshHeaders::route);
            case CALL_ID:
                return callId(c);
            case CSEQ:
                return cseq(c);
            case MAX_FORWARDS:
                return maxForwards(c);
            case CONTENT_LENGTH:
                return contentLength(c);
            case CONTENT_TYPE:
                return contentType(c);
            case SUBJECT:
                return subject(c);
            default:
                return null;
        }
    }

    /** One or more comma-separated Via values, as JAIN-SIP's own parser returns them: a list. */
    private static ViaList vias(HeaderLine c) throws ParseException {
        ViaList list = new ViaList();
        do {
            Via via = via(c);
            if (!c.ok) {
                return null;
            }
            list.add(via);
        } while (c.skip(','));
        return c.atEnd() ? list : null;
    }

    private static Via via(HeaderLine c) throws ParseException {
        String name = c.token();
        c.expect('/');
        String version = c.token();
        c.expect('/');
        String transport = c.token();
        if (!c.ok || !c.whitespace()) {
            c.ok = false;
            return null;
        }
        Protocol protocol = new Protocol();
        protocol.setProtocolName(name);
        protocol.setProtocolVersion(version);
        protocol.setTransport(transport);
        Via via = FreshHeaders.via();
        via.setSentProtocol(protocol);
        HostPort sentBy = c.hostPort(true);
        if (!c.ok) {
            return null;
        }
        via.setSentBy(sentBy);
        c.whitespace();
        while (c.ok && c.skip(';')) {
            via.setParameter(c.viaParameter());
        }
        return via;
    }

    /** A header of one name-addr value (From, To): a comma is declined. */
    private static SIPHeader single(HeaderLine c, AddressParametersHeader header) {
        address(c, header);
        return c.atEnd() ? header : null;
    }

    /** One or more comma-separated name-addr values (Contact, Record-Route, Route) into their list. */
    private static <H extends AddressParametersHeader> SIPHeader addresses(HeaderLine c, SIPHeaderList<H> list,
                                                                           Supplier<H> make) {
        do {
            H header = make.get();
            address(c, header);
            if (!c.ok) {
                return null;
            }
            list.add(header);
        } while (c.skip(','));
        return c.atEnd() ? list : null;
    }

    private static void address(HeaderLine c, AddressParametersHeader header) {
        AddressImpl address = c.nameAddr();
        if (!c.ok) {
            return;
        }
        header.setAddress(address);
        c.whitespace();
        while (c.ok && c.skip(';')) {
            header.setParameter(c.parameter());
        }
    }

    /** type/subtype (no blanks around the slash after the type's), then token parameters. */
    private static ContentType contentType(HeaderLine c) throws ParseException {
        String type = c.token();
        c.whitespace();
        if (!c.ok || !c.literal("/")) {
            return null;
        }
        String subtype = c.token();
        if (!c.ok) {
            return null;
        }
        ContentType header = FreshHeaders.contentType();
        header.setContentType(type);
        header.setContentSubType(subtype);
        c.whitespace();
        while (c.ok && c.skip(';')) {
            header.setParameter(c.parameter());
        }
        return c.atEnd() ? header : null;
    }

    private static CallID callId(HeaderLine c) throws ParseException {
        String value = c.rest();
        if (value.isEmpty()) {
            return null;
        }
        CallID callId = FreshHeaders.callId();
        callId.setCallId(value);
        return callId;
    }

    /** Free text, trimmed as JAIN-SIP trims it; an empty one takes JAIN-SIP's path. */
    private static Subject subject(HeaderLine c) throws ParseException {
        String value = c.rest();
        if (value.isEmpty()) {
            return null;
        }
        Subject subject = FreshHeaders.subject();
        subject.setSubject(value);
        return subject;
    }

    private static CSeq cseq(HeaderLine c) throws ParseException, InvalidArgumentException {
        long number = c.number(10);
        if (!c.whitespace()) {
            return null;   // RFC 3261 §20.16: LWS between the number and the method
        }
        String method = c.token();
        if (!c.atEnd() || !METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            return null;
        }
        CSeq cseq = FreshHeaders.cseq();
        cseq.setSeqNumber(number);
        // the known methods' canonical names are constants already; only another spelling is interned
        String canonical = SIPRequest.getCannonicalName(method);
        cseq.setMethod(METHODS.contains(canonical) ? canonical : canonical.intern());
        return cseq;
    }

    private static MaxForwards maxForwards(HeaderLine c) throws InvalidArgumentException {
        long hops = c.number(3);
        if (!c.atEnd()) {
            return null;
        }
        MaxForwards header = FreshHeaders.maxForwards();
        header.setMaxForwards((int) hops);
        return header;
    }

    private static ContentLength contentLength(HeaderLine c) throws InvalidArgumentException {
        long length = c.number(9);
        if (!c.atEnd()) {
            return null;
        }
        ContentLength header = FreshHeaders.contentLength();
        header.setContentLength((int) length);
        return header;
    }
}
