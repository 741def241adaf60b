package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;

/**
 * What one framed message's bytes come to: a message to handle, a {@link DecodeFailure} to answer
 * with 400 or drop, or nothing at all. The three are apart so that no reader has to tell a failure
 * from a message by its class or a blank from either by a null.
 */
sealed interface ParseOutcome permits ParseOutcome.Parsed, ParseOutcome.Blank, DecodeFailure {

    /** A message the proxy handles; defects that do not stop it travel on it ({@link ParseDefects}). */
    record Parsed(SIPMessage message) implements ParseOutcome {
    }

    /**
     * Bytes that hold only CR, LF and other control characters: a keep-alive (RFC 5626 §3.5.1)
     * or stray line ends (RFC 3261 §7.5), nothing to answer.
     */
    record Blank() implements ParseOutcome {
        static final Blank INSTANCE = new Blank();
    }
}
