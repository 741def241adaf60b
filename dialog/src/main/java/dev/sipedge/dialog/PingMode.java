package dev.sipedge.dialog;

import java.util.Locale;

/**
 * How a route asks for a leg to be probed ({@code ping-caller}, {@code ping-callee}). The probes
 * themselves are sent by the dialog-initiated requests feature; this module already keeps the
 * last SDP of legs that will be probed with re-INVITEs.
 */
public enum PingMode {
    NONE, OPTIONS, REINVITE;

    public static PingMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ping mode must be none, options or reinvite: " + text, e);
        }
    }
}
