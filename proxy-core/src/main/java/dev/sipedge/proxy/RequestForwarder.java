package dev.sipedge.proxy;

import dev.sipedge.proxy.validation.BranchGenerator;
import dev.sipedge.recordroute.RecordRouter;
import dev.sipedge.recordroute.RouteParams;
import dev.sipedge.transport.FreshHeaders;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.header.MaxForwardsHeader;

/**
 * RFC 3261 §16.6 steps 3, 4 and 8 on a request about to leave: Max-Forwards minus one (70 when
 * absent), our Record-Route on initial requests (two entries when the outgoing interface differs,
 * RFC 5658), and our Via with a fresh {@code z9hG4bK} branch and {@code rport} (RFC 3581).
 */
final class RequestForwarder {
    private static final int DEFAULT_MAX_FORWARDS = 70;

    private final RecordRouter recordRouter;
    private final BranchGenerator branches;

    RequestForwarder(RecordRouter recordRouter, BranchGenerator branches) {
        this.recordRouter = recordRouter;
        this.branches = branches;
    }

    /**
     * Applies the forwarding steps to {@code copy} (already a copy or a stateless request).
     *
     * @param original     the request as received, for the branch hash (§16.6 step 8)
     * @param branchIndex  which branch of the response context this is
     * @param inbound      the listener the request arrived on
     * @param outbound     the listener it leaves from
     * @param recordRoute  whether to add Record-Route (initial, dialog-capable requests)
     */
    void prepare(SIPRequest copy, SIPRequest original, int branchIndex, LocalInterfaces.Listener inbound,
                 LocalInterfaces.Listener outbound, boolean recordRoute, RouteParams params) {
        decrementMaxForwards(copy);
        if (recordRoute) {
            recordRouter.addRecordRoute(copy, inbound.advertised(), outbound.advertised(), params);
        }
        copy.getViaHeaders().addFirst(ourVia(outbound, branches.branchFor(original, branchIndex)));
    }

    static Via ourVia(LocalInterfaces.Listener outbound, String branch) {
        try {
            Via via = FreshHeaders.via();
            via.setTransport(outbound.transport().token());
            via.setHost(outbound.advertised().host());
            via.setPort(outbound.advertised().port());
            via.setBranch(branch);
            via.setRPort();
            return via;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build our own Via for " + outbound, e);
        }
    }

    private static void decrementMaxForwards(SIPRequest request) {
        MaxForwards mf = (MaxForwards) request.getHeader(MaxForwardsHeader.NAME);
        try {
            if (mf == null) {
                request.setHeader(new MaxForwards(DEFAULT_MAX_FORWARDS));
            } else {
                // Validation answered 483 to zero already, so this stays >= 0.
                mf.setMaxForwards(Math.max(0, mf.getMaxForwards() - 1));
            }
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException("Max-Forwards out of range", e);
        }
    }
}
