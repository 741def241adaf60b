package dev.sipedge.transport;

import static dev.sipedge.transport.PlainChars.endsHost;
import static dev.sipedge.transport.PlainChars.isBlank;
import static dev.sipedge.transport.PlainChars.isDigit;
import static dev.sipedge.transport.PlainChars.isDisplayNameChar;
import static dev.sipedge.transport.PlainChars.isDomainChar;
import static dev.sipedge.transport.PlainChars.isTokenChar;
import static dev.sipedge.transport.PlainChars.isUriParameterChar;
import static dev.sipedge.transport.PlainChars.isUserChar;

import gov.nist.core.Host;
import gov.nist.core.HostPort;
import gov.nist.core.NameValue;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import java.util.Locale;
import java.util.Optional;

/**
 * A cursor over one header or start line for {@link PlainHeaderParser}: each step consumes what it expects
 * or clears {@link #ok}, after which every step is a no-op and the line is declined. The accepted
 * grammar is deliberately narrower than RFC 3261's and than JAIN-SIP's (see the parser): a
 * character this cursor does not know ends the plain path, never the message.
 */
final class HeaderLine {
    private static final SipHeaderName[] NAMES = SipHeaderName.values();
    private final String line;
    private final int end;
    private int pos;
    private final int nameEnd;
    /** False once a step met something outside the plain grammar. */
    boolean ok = true;

    private HeaderLine(String line, int start, int nameEnd) {
        this.line = line;
        int last = line.length();
        while (last > 0 && isBlank(line.charAt(last - 1))) {
            last--;
        }
        this.end = last;
        this.nameEnd = nameEnd;
        this.pos = start;
    }

    /** A cursor at the value of a {@code Name: value} line. */
    static HeaderLine header(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            HeaderLine declined = new HeaderLine(line, 0, 0);
            declined.ok = false;
            return declined;
        }
        int name = colon;
        while (name > 0 && isBlank(line.charAt(name - 1))) {
            name--;
        }
        HeaderLine cursor = new HeaderLine(line, colon + 1, name);
        cursor.whitespace();
        return cursor;
    }

    /** A cursor at the start of a request or status line. */
    static HeaderLine startLine(String line) {
        return new HeaderLine(line, 0, 0);
    }

    /** True, consuming it, when {@code text} comes next, exactly. */
    boolean literal(String text) {
        if (!ok || !line.startsWith(text, pos) || pos + text.length() > end) {
            return false;
        }
        pos += text.length();
        return true;
    }

    /** The header this line is; empty for one the plain path does not handle. */
    Optional<SipHeaderName> headerName() {
        if (ok) {
            for (SipHeaderName name : NAMES) {
                if (name.matches(line, 0, nameEnd)) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    /** Skips spaces and tabs; true when there was at least one. */
    boolean whitespace() {
        int start = pos;
        while (pos < end && isBlank(line.charAt(pos))) {
            pos++;
        }
        return pos > start;
    }

    /** Consumes {@code c} (with the blanks around it) when it is next; false otherwise. */
    boolean skip(char c) {
        if (!ok || pos >= end || line.charAt(pos) != c) {
            return false;
        }
        pos++;
        whitespace();
        return true;
    }

    void expect(char c) {
        whitespace();
        if (!skip(c)) {
            ok = false;
        }
    }

    boolean atEnd() {
        whitespace();
        return ok && pos == end;
    }

    /** Everything after the name and colon, trimmed as JAIN-SIP trims a Call-ID. */
    String rest() {
        return line.substring(pos).trim();
    }

    /** One or more token characters (RFC 3261 §25.1). */
    String token() {
        int start = pos;
        while (pos < end && isTokenChar(line.charAt(pos))) {
            pos++;
        }
        return taken(start);
    }

    /** Up to {@code maxDigits} decimal digits; more is declined, not truncated. */
    long number(int maxDigits) {
        int start = pos;
        long value = 0;
        while (pos < end && isDigit(line.charAt(pos))) {
            value = value * 10 + (line.charAt(pos) - '0');
            pos++;
        }
        int digits = pos - start;
        if (digits == 0 || digits > maxDigits) {
            ok = false;
        }
        return value;
    }

    /** {@code name[=value]} with token name and value; a quoted or bracketed value is declined. */
    NameValue parameter() {
        String name = token();
        whitespace();
        if (!skip('=')) {
            whitespace();
            return new NameValue(name, "", true);
        }
        String value = token();
        whitespace();
        return new NameValue(name, value, false);
    }

    /**
     * A Via parameter as JAIN-SIP makes it: the name lower-cased, a flag with a null value, and
     * {@code received} taken up to the next ';' or ',' (it may hold an IPv6 address), so here
     * only a token followed directly by one of those or the end.
     */
    NameValue viaParameter() {
        String name = token().toLowerCase(Locale.ROOT);
        whitespace();
        if (!skip('=')) {
            if (name.equals("branch")) {
                ok = false;   // JAIN-SIP refuses a branch without a value
            }
            whitespace();
            return new NameValue(name, null);
        }
        String value = token();
        if (name.equals("received") && pos < end && line.charAt(pos) != ';' && line.charAt(pos) != ',') {
            ok = false;
        }
        whitespace();
        return new NameValue(name, value);
    }

    /**
     * host[:port]: an IPv4 address or host name (what JAIN-SIP takes for IPv6 is declined);
     * {@code blanksAroundPort} as in a Via's sent-by.
     */
    HostPort hostPort(boolean blanksAroundPort) {
        if (!ok || looksLikeIpv6()) {
            ok = false;
            return null;
        }
        int start = pos;
        while (pos < end && isDomainChar(line.charAt(pos))) {
            pos++;
        }
        String host = taken(start);
        if (!ok) {
            return null;
        }
        HostPort hostPort = new HostPort();
        hostPort.setHost(new Host(host));
        int beforeBlanks = pos;
        if (blanksAroundPort) {
            whitespace();
        }
        if (pos < end && line.charAt(pos) == ':') {
            pos++;
            if (blanksAroundPort) {
                whitespace();
            }
            long port = number(5);
            if (port > 65535) {
                ok = false;
            }
            hostPort.setPort((int) port);
        } else {
            pos = beforeBlanks;
            if (!blanksAroundPort && pos < end && !endsHost(line.charAt(pos))) {
                ok = false;
            }
        }
        return hostPort;
    }

    /**
     * A name-addr: an optional display name (token words, or a quoted string without escapes),
     * then {@code <sip:...>} or {@code <sips:...>}.
     */
    AddressImpl nameAddr() {
        if (!ok || pos >= end) {
            ok = false;
            return null;
        }
        AddressImpl address = new AddressImpl();
        address.setAddressType(AddressImpl.NAME_ADDR);
        char first = line.charAt(pos);
        if (first == '"') {
            int close = line.indexOf('"', pos + 1);
            if (close < 0 || close >= end || !plainQuoted(pos + 1, close)) {
                ok = false;
                return null;
            }
            address.setDisplayName(line.substring(pos + 1, close).trim());
            pos = close + 1;
            whitespace();
        } else if (first != '<') {
            // token words; no '*', which JAIN-SIP reads as a Contact wildcard
            int start = pos;
            while (pos < end && isDisplayNameChar(line.charAt(pos))) {
                pos++;
            }
            address.setDisplayName(line.substring(start, pos).trim());
        }
        if (!skip('<')) {
            ok = false;
            return null;
        }
        int close = line.indexOf('>', pos);
        if (close < 0) {
            ok = false;
            return null;
        }
        SipUri uri = sipUri(close);
        whitespace();
        if (!skip('>')) {
            ok = false;
            return null;
        }
        address.setURI(uri);
        return address;
    }

    /**
     * A request line's URI: a SIP URI up to the next blank, parameters included (RFC 3261
     * §25.1 Request-URI).
     */
    SipUri requestUri() {
        int blank = pos;
        while (blank < end && !isBlank(line.charAt(blank))) {
            blank++;
        }
        return sipUri(blank);
    }

    /** sip:/sips:, [user@]host[:port], then {@code ;name[=value]} parameters; no URI headers. */
    private SipUri sipUri(int close) {
        SipUri uri = new SipUri();
        if (line.startsWith("sip:", pos)) {
            uri.setScheme("sip");
            pos += 4;
        } else if (line.startsWith("sips:", pos)) {
            uri.setScheme("sips");
            pos += 5;
        } else {
            ok = false;
            return null;
        }
        int at = line.indexOf('@', pos);
        int start = pos;
        while (pos < close && isUserChar(line.charAt(pos))) {
            pos++;
        }
        if (at >= 0 && at < close) {
            // A user part that is not all plain characters (a password, escapes, ';') is declined.
            if (at != pos || pos == start) {
                ok = false;
                return null;
            }
            uri.setUser(line.substring(start, pos));
            pos++;
        } else {
            pos = start;
        }
        HostPort hostPort = hostPort(false);
        if (!ok) {
            return null;
        }
        uri.setHostPort(hostPort);
        while (pos < close && line.charAt(pos) == ';') {
            pos++;
            String name = uriParameterPart();
            if (pos < close && line.charAt(pos) == '=') {
                pos++;
                String value = uriParameterPart();
                uri.setUriParameter(new NameValue(name, value, false));
            } else {
                uri.setUriParameter(new NameValue(name, "", true));
            }
            if (!ok) {
                return null;
            }
        }
        if (pos < close && !isBlank(line.charAt(pos))) {
            ok = false;   // URI headers ('?') or anything the scan did not know
        }
        return uri;
    }

    private String uriParameterPart() {
        int start = pos;
        while (pos < end && isUriParameterChar(line.charAt(pos))) {
            pos++;
        }
        return taken(start);
    }

    /** The text since {@code start}, or a failed step when it is empty. */
    private String taken(int start) {
        if (!ok || pos == start) {
            ok = false;
            return "";
        }
        return CommonTokens.text(line, start, pos);
    }

    /**
     * JAIN-SIP's own test: two colons before the first ';', '?' or ',' mean IPv6. One pass up to
     * the first of those, not a search of the whole rest of the line for a comma first.
     */
    private boolean looksLikeIpv6() {
        int colons = 0;
        for (int i = pos; i < end; i++) {
            char c = line.charAt(i);
            if (c == ';' || c == '?' || c == ',') {
                break;
            }
            if (c == ':' && ++colons == 2) {
                return true;
            }
        }
        return pos < end && line.charAt(pos) == '[';
    }

    /** No escapes and no control characters (JAIN-SIP reads a NUL as the end of the line). */
    private boolean plainQuoted(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c == '\\' || c < ' ') {
                return false;
            }
        }
        return true;
    }
}
