package dev.sipedge.proxy.validation;

import dev.sipedge.transport.ParseDefects;
import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.AddressParametersHeader;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.ContactList;
import gov.nist.javax.sip.header.ProxyRequire;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sip.address.URI;
import javax.sip.header.ProxyRequireHeader;

/**
 * Request validation of a proxy, RFC 3261 §16.3 steps 1–3 and 5 (with the §8.2 header checks
 * that step 1 refers to), applied after JAIN-SIP has parsed the message. Pure and thread-safe.
 *
 * <p>Checks in order; the first failure decides:
 * <table>
 *   <caption>checks</caption>
 *   <tr><th>check</th><th>response</th></tr>
 *   <tr><td>request line present (method, Request-URI)</td><td>400</td></tr>
 *   <tr><td>{@code SIP/2.0} on the request line (raw, if audited) and in the top Via</td><td>505</td></tr>
 *   <tr><td>no repeated single-valued header, no unparseable essential header (audited only)</td><td>400</td></tr>
 *   <tr><td>To, From, Call-ID, CSeq, Via present</td><td>400 naming the header</td></tr>
 *   <tr><td>CSeq number &lt; 2<sup>31</sup> (§8.1.1.5), CSeq method = request method (§8.2.5 / RFC 4475 §3.1.2.16)</td><td>400</td></tr>
 *   <tr><td>Request-URI scheme sip, sips or tel (§16.3 step 2)</td><td>416</td></tr>
 *   <tr><td>no headers in a SIP Request-URI (§19.1.1 table 1); URIs with headers in
 *       Contact/To/From enclosed in {@code <>} (§20)</td><td>400</td></tr>
 *   <tr><td>Max-Forwards not 0 (§16.3 step 3; missing counts as 70)</td><td>483</td></tr>
 *   <tr><td>every Proxy-Require option supported (§16.3 step 5)</td><td>420 + Unsupported</td></tr>
 * </table>
 * An OPTIONS addressed to the proxy itself with Max-Forwards 0 must be answered by the caller
 * (§16.3 step 3 allows responding to it); this class does not know our addresses.
 *
 * <p>JAIN-SIP drops header fields it cannot parse, keeps only the first of a repeated
 * single-valued one and reports {@code SIP/2.0} whatever the request line said. Only
 * {@link #validate(SIPRequest, ParseDefects)} with the {@link ParseDefects} of the parse can see
 * those (RFC 4475 {@code multi01}, {@code mcl01}, {@code ncl}); without it, a dropped mandatory
 * header still shows up as missing.
 */
public final class RequestValidator {

    /** RFC 3261 §8.1.1.5: the CSeq sequence number MUST be less than 2**31. */
    static final long CSEQ_LIMIT = 1L << 31;

    private static final Set<String> SCHEMES = Set.of("sip", "sips", "tel");

    private final Set<String> supportedProxyRequire;

    /** @param supportedProxyRequire option tags we implement (compared case-insensitively). */
    public RequestValidator(Set<String> supportedProxyRequire) {
        Set<String> lower = new LinkedHashSet<>();
        for (String tag : supportedProxyRequire) {
            lower.add(tag.toLowerCase(Locale.ROOT));
        }
        this.supportedProxyRequire = Set.copyOf(lower);
    }

    /** Validates the parsed model only (see the class comment for what that cannot see). */
    public Verdict validate(SIPRequest request) {
        return validate(request, null);
    }

    /** Validates {@code request} together with what its parse recorded ({@code null}: nothing). */
    public Verdict validate(SIPRequest request, ParseDefects defects) {
        RequestLine line = request.getRequestLine();
        if (line == null || line.getMethod() == null || line.getUri() == null
                || hasMalformed(defects, ParseDefects.REQUEST_LINE)) {
            return Verdict.reject(400, "Malformed Request-Line");
        }
        Verdict verdict = checkVersion(request, defects);
        if (verdict.ok()) {
            verdict = checkParseDefects(defects);
        }
        if (verdict.ok()) {
            verdict = checkMandatoryHeaders(request);
        }
        if (verdict.ok()) {
            verdict = checkCSeq(request);
        }
        if (verdict.ok()) {
            verdict = checkUris(request);
        }
        if (verdict.ok()) {
            verdict = checkMaxForwards(request);
        }
        if (verdict.ok()) {
            verdict = checkProxyRequire(request);
        }
        return verdict;
    }

    private static Verdict checkVersion(SIPRequest request, ParseDefects defects) {
        String raw = defects == null ? null : defects.requestLineVersion();
        if (raw != null && !"SIP/2.0".equalsIgnoreCase(raw)) {
            return Verdict.reject(505, "Version Not Supported");
        }
        Via top = request.getTopmostVia();
        if (top != null && top.getSentProtocol() != null
                && !"2.0".equals(top.getSentProtocol().getProtocolVersion())) {
            return Verdict.reject(505, "Version Not Supported");
        }
        return Verdict.PASS;
    }

    private static Verdict checkParseDefects(ParseDefects defects) {
        if (defects == null) {
            return Verdict.PASS;
        }
        if (!defects.repeated().isEmpty()) {
            return Verdict.reject(400, "Multiple " + defects.repeated().get(0) + " header fields");
        }
        ParseDefects.Defect essential = defects.firstEssential();
        if (essential != null) {
            return Verdict.reject(400, "Malformed " + essential.header() + " header field");
        }
        // Others (Date, Expires, Contact, ...) are not the proxy's business (RFC 4475 §3.1.2.11).
        return Verdict.PASS;
    }

    private static Verdict checkMandatoryHeaders(SIPRequest request) {
        if (request.getTo() == null) {
            return missing("To");
        }
        if (request.getFrom() == null) {
            return missing("From");
        }
        if (request.getCallId() == null || request.getCallId().getCallId() == null
                || request.getCallId().getCallId().isEmpty()) {
            return missing("Call-ID");
        }
        if (request.getCSeq() == null) {
            return missing("CSeq");
        }
        if (request.getViaHeaders() == null || request.getViaHeaders().isEmpty()) {
            return missing("Via");
        }
        return Verdict.PASS;
    }

    private static Verdict missing(String header) {
        return Verdict.reject(400, "Missing " + header + " header field");
    }

    private static Verdict checkCSeq(SIPRequest request) {
        CSeq cseq = (CSeq) request.getCSeq();
        if (cseq.getSeqNumber() < 0 || cseq.getSeqNumber() >= CSEQ_LIMIT) {
            return Verdict.reject(400, "CSeq number out of range");
        }
        // Method names are case-sensitive (RFC 3261 §7.1).
        if (!request.getMethod().equals(cseq.getMethod())) {
            return Verdict.reject(400, "CSeq method does not match request method");
        }
        return Verdict.PASS;
    }

    private static Verdict checkUris(SIPRequest request) {
        URI uri = request.getRequestURI();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return Verdict.reject(416, "Unsupported URI Scheme");
        }
        if (uri instanceof SipUri sip && sip.getHeaderNames().hasNext()) {
            return Verdict.reject(400, "Headers not allowed in Request-URI");
        }
        if (isBareUriWithHeaders((AddressParametersHeader) request.getTo())
                || isBareUriWithHeaders((AddressParametersHeader) request.getFrom())) {
            return Verdict.reject(400, "URI with headers must be enclosed in <>");
        }
        ContactList contacts = request.getContactHeaders();
        if (contacts != null) {
            for (Object c : contacts) {
                if (isBareUriWithHeaders((AddressParametersHeader) c)) {
                    return Verdict.reject(400, "URI with headers must be enclosed in <>");
                }
            }
        }
        return Verdict.PASS;
    }

    /** RFC 3261 §20: a URI containing '?' in an addr-spec (no angle brackets) is not allowed. */
    private static boolean isBareUriWithHeaders(AddressParametersHeader header) {
        if (header == null || !(header.getAddress() instanceof AddressImpl address)) {
            return false;
        }
        return address.getAddressType() == AddressImpl.ADDRESS_SPEC
                && address.getURI() instanceof SipUri sip && sip.getHeaderNames().hasNext();
    }

    private static Verdict checkMaxForwards(SIPRequest request) {
        // §16.3 step 3: a missing Max-Forwards is allowed; the forwarder adds 70 (§16.6 step 3).
        if (request.getMaxForwards() != null && request.getMaxForwards().getMaxForwards() == 0) {
            return Verdict.reject(483, "Too Many Hops");
        }
        return Verdict.PASS;
    }

    private Verdict checkProxyRequire(SIPRequest request) {
        List<String> unsupported = new ArrayList<>();
        Iterator<SIPHeader> it = request.getHeaders(ProxyRequireHeader.NAME);
        while (it.hasNext()) {
            String tag = ((ProxyRequire) it.next()).getOptionTag();
            if (tag != null && !supportedProxyRequire.contains(tag.toLowerCase(Locale.ROOT))
                    && !unsupported.contains(tag)) {
                unsupported.add(tag);
            }
        }
        if (unsupported.isEmpty()) {
            return Verdict.PASS;
        }
        return new Verdict.Reject(420, "Bad Extension", unsupported);
    }

    private static boolean hasMalformed(ParseDefects defects, String header) {
        if (defects == null) {
            return false;
        }
        for (ParseDefects.Defect d : defects.malformed()) {
            if (d.header().equals(header)) {
                return true;
            }
        }
        return false;
    }
}
