package dev.sipedge.dialog;

import java.util.Locale;

/** How sequential requests find their dialog ({@code sipedge.dialog.match-mode}). */
public enum MatchMode {
    /** Only the {@code did} cookie of our Route entry (checked against Call-ID and tags). */
    DID_ONLY,
    /** The cookie first; without one (or when it fits nothing), Call-ID + From tag + To tag. */
    DID_FALLBACK,
    /** Call-ID + From tag + To tag only; no cookie is written into Record-Route. */
    SIP_ONLY;

    /** Parses the configuration spelling ({@code did-only}, {@code did-fallback}, {@code sip-only}). */
    public static MatchMode parse(String text) {
        for (MatchMode m : values()) {
            if (m.configName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("match-mode must be did-only, did-fallback or sip-only: " + text);
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
