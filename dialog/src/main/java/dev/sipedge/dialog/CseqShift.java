package dev.sipedge.dialog;

import gov.nist.javax.sip.header.RAck;
import gov.nist.javax.sip.message.SIPRequest;
import javax.sip.InvalidArgumentException;

/**
 * The CSeq rewriting that re-INVITE pings make necessary (the problem OpenSIPS solves with its
 * "CSeq update" for pinged legs). A ping takes a CSeq number in the other leg's space, as the
 * pinged leg sees it; from then on every request relayed toward that leg goes out with its CSeq
 * raised by the leg's shift, and every response relayed back gets the received number again.
 *
 * <p>The requests are shifted where the proxy relays them ({@link Sequential.Matched#applyTo},
 * and the 2xx ACK through {@link DialogTracker#onAck}); the proxy's non-2xx ACK and CANCEL copy the
 * CSeq of the branch they belong to, so they follow. An ACK or PRACK uses the shift its INVITE got,
 * even if a ping moved the shift since. Responses are set back by the proxy to the CSeq of the
 * request it received.
 */
final class CseqShift {
    /** RFC 3261 §8.1.1.5: a CSeq number is below 2^31. */
    static final long MAX_CSEQ = Integer.MAX_VALUE;

    private CseqShift() {
    }

    static void apply(SIPRequest copy, long cseqShift, long rackShift) {
        try {
            if (cseqShift != 0) {
                copy.getCSeq().setSeqNumber(checked(copy.getCSeq().getSeqNumber() + cseqShift));
            }
            if (rackShift != 0 && copy.getHeader(RAck.NAME) instanceof RAck rack) {
                rack.setCSequenceNumber(checked(rack.getCSequenceNumber() + rackShift));
            }
        } catch (InvalidArgumentException e) {
            throw new IllegalArgumentException("CSeq out of range after shift: " + e.getMessage(), e);
        }
    }

    /** The proxy answers a request it cannot shift with 500: the UA's CSeq space toward this leg is used up. */
    private static long checked(long cseq) {
        if (cseq > MAX_CSEQ) {
            throw new IllegalArgumentException("CSeq " + cseq + " after shift is not below 2^31");
        }
        return cseq;
    }

    /** The shift for the RAck of a PRACK toward {@code to}: that of the INVITE it names (RFC 3262 §7.2). */
    static long rackShift(SIPRequest prack, Leg to) {
        if (prack.getHeader(RAck.NAME) instanceof RAck rack) {
            return to.inviteShift(rack.getCSequenceNumber());
        }
        return 0;
    }
}
