package dev.sipedge.dialog;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How an operator ends a dialog ({@link DialogModule#end(String, OperatorEnd)}): the RFC 3326
 * {@code Reason} of the BYEs and extra headers for them. A CANCEL (early dialog) carries neither.
 *
 * @param reason  free text (sent as {@code Q.850;cause=16;text="..."}) or a full Reason value
 *                starting with a protocol ({@code SIP;cause=...}, {@code Q.850;cause=...});
 *                empty: the module's own operator Reason
 * @param headers extra header lines {@code Name: value}; headers the module itself writes are refused
 */
public record OperatorEnd(Optional<String> reason, List<String> headers) {
    /** Ends with the module's defaults. */
    public static final OperatorEnd DEFAULT = new OperatorEnd(Optional.empty(), List.of());

    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!%*_+`'~.-]+:[^\\r\\n]*");
    private static final Pattern PROTOCOL_REASON = Pattern.compile("(?i)(SIP|Q\\.850)\\s*;.*");
    /** Headers the BYE builder writes itself: a second copy would make the request invalid or misrouted. */
    private static final Set<String> RESERVED = Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq",
            "route", "max-forwards", "content-length", "l", "content-type", "c", "contact", "m", "reason",
            "record-route");

    public OperatorEnd {
        headers = List.copyOf(headers);
        for (String h : headers) {
            if (!HEADER.matcher(h).matches()) {
                throw new IllegalArgumentException("not a header line 'Name: value': " + h);
            }
            String name = h.substring(0, h.indexOf(':')).trim().toLowerCase(Locale.ROOT);
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("header " + name + " is set by the proxy and cannot be added");
            }
        }
        reason.ifPresent(r -> {
            if (r.isBlank() || r.indexOf('\r') >= 0 || r.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reason must be one non-empty line");
            }
        });
    }

    /** The Reason header value for the BYEs. */
    String reasonHeader() {
        if (reason.isEmpty()) {
            return EndCause.OPERATOR.reasonHeader();
        }
        String r = reason.get().trim();
        if (PROTOCOL_REASON.matcher(r).matches()) {
            return r;
        }
        return "Q.850;cause=16;text=\"" + r.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
