package dev.sipedge.dialog;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;

/**
 * Dialog events, for code that acts on calls (OpenSIPS/Kamailio {@code DLGCB_*} callbacks as a
 * typed interface). Register globally ({@link DialogModule#addListener}) or per dialog
 * ({@link Dialog#addListener}). Every method runs on the dialog's shard, after the state change
 * it reports; an exception is logged and does not reach the proxy or other listeners. Messages
 * passed in are on their way: read them, do not keep them.
 */
public interface DialogListener {
    /** A tracked initial INVITE created the dialog (before it is relayed). */
    default void onCreated(Dialog dialog, SIPRequest invite) {
    }

    /** The first provisional response with a To tag was relayed (state EARLY). */
    default void onEarly(Dialog dialog, SIPResponse provisional) {
    }

    /** A 2xx was relayed: confirmed, not yet ACKed (state CONFIRMED_NA). */
    default void onAnswered(Dialog dialog, SIPResponse success) {
    }

    /** The ACK for the 2xx was seen (state CONFIRMED). */
    default void onConfirmed(Dialog dialog, SIPRequest ack) {
    }

    /** The INVITE failed: non-2xx final, CANCEL, or no answer ({@code response} null then). */
    default void onFailed(Dialog dialog, SIPResponse response) {
    }

    /** An in-dialog request (other than the ending BYE) was matched to the dialog. */
    default void onRequestWithin(Dialog dialog, SIPRequest request, Direction direction) {
    }

    /** A response to the initial INVITE was relayed toward the caller. */
    default void onResponseForwarded(Dialog dialog, SIPResponse response) {
    }

    /** A response to an in-dialog request was relayed. */
    default void onResponseWithin(Dialog dialog, SIPResponse response) {
    }

    /** A BYE ended the dialog ({@link Dialog#endCause()} says from which side). */
    default void onTerminated(Dialog dialog, SIPRequest bye) {
    }

    /**
     * A timeout ended the dialog: its lifetime ran out ({@link EndCause#EXPIRED}), or its 2xx was
     * never ACKed ({@link EndCause#NO_ACK}).
     */
    default void onExpired(Dialog dialog) {
    }

    /** The initial INVITE came back through us (a spiral) and joined this dialog. */
    default void onSpiraled(Dialog dialog, SIPRequest invite) {
    }

    /** The dialog left the table for good (after the delete delay): the last event. */
    default void onDestroyed(Dialog dialog) {
    }
}
