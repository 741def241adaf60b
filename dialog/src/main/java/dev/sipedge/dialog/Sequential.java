package dev.sipedge.dialog;

import gov.nist.javax.sip.message.SIPRequest;

/**
 * What {@link DialogTracker#onSequentialRequest} decided about a request with a To tag: relay it
 * as part of its dialog, relay it as one the module does not know (loose routing does not need
 * the dialog), or refuse it.
 */
public sealed interface Sequential permits Sequential.Matched, Sequential.Unmatched, Refusal {

    /**
     * Part of {@code dialog}, going {@code direction}. {@code cseqShift} and {@code rackShift} are
     * what our re-INVITE pings require of the relayed copy ({@link #applyTo}); the responses that
     * come back must carry the received CSeq again.
     */
    record Matched(Dialog dialog, Direction direction, long cseqShift, long rackShift) implements Sequential {

        /** Shifts the CSeq (and a PRACK's RAck) of the copy about to be relayed. */
        public void applyTo(SIPRequest copy) {
            CseqShift.apply(copy, cseqShift, rackShift);
        }

        /** True when the relayed copy needs {@link #applyTo}. */
        public boolean shifted() {
            return cseqShift != 0 || rackShift != 0;
        }
    }

    /** No dialog of this module: the second pass of a spiral, or a dialog it never tracked or has freed. */
    record Unmatched() implements Sequential {
        static final Unmatched INSTANCE = new Unmatched();
    }
}
