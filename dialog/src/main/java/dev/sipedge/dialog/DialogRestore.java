package dev.sipedge.dialog;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a stored dialog in the tracker of the shard that owns its Call-ID, as it was: same did
 * (when it is of this node id), legs with their CSeqs and shifts, values, flags, profile places,
 * lifetime counting toward the stored deadline, and pings re-armed. A deadline that passed while
 * the proxy was down fires just after: the dialog then ends as an expired one does (BYEs when its
 * route asked for bye-on-timeout).
 */
final class DialogRestore {
    private static final Logger log = LoggerFactory.getLogger(DialogRestore.class);

    private DialogRestore() {
    }

    /**
     * Builds the dialog of {@code r} under {@code sequence} and hands it to the shard's lifecycle
     * (on that shard, before traffic).
     */
    static Dialog restore(DialogRecord r, long sequence, DialogHome home, long nowMillis) {
        if (!home.dids().apply(sequence).equals(r.id())) {
            // Another node id wrote it (node-id changed): a new did; SIP matching still finds it
            // under did-fallback or sip-only, a did-only proxy will not.
            log.warn("restored dialog {} ({}) gets the did {}: its node id is not ours", r.id(), r.callId(),
                    home.dids().apply(sequence));
        }
        DialogOptions options = new DialogOptions(true, r.lifetime(), r.pingCaller(), r.pingCallee(),
                List.of(), r.byeOnTimeout());
        Dialog d = new Dialog(sequence, r.callId(), r.inviteCseq(), leg(r.caller(), false), home, options,
                r.startTime().toEpochMilli());
        d.addCalleeLeg(leg(r.callee(), true));
        d.answered(r.answerTime().toEpochMilli());
        d.lifetimeMillis = r.lifetime().toMillis();
        d.inviteTo(r.callee().uri());
        // Still unconfirmed here, so none of these is written back to the store.
        for (Map.Entry<String, String> v : r.values().entrySet()) {
            d.setValue(v.getKey(), v.getValue());
        }
        r.flags().forEach(d::setFlag);
        for (DialogRecord.ProfileSlot slot : r.profiles()) {
            if (home.profiles().get(slot.profile()) == null) {
                log.warn("restored dialog {}: profile {} is no longer declared, left out", r.id(), slot.profile());
                continue;
            }
            d.addToProfile(slot.profile(), slot.value(), 0);     // no cap: the call holds its place already
        }
        home.lifecycle().restored(d, r.state(), r.expiresAt().toEpochMilli() - nowMillis);
        return d;
    }

    private static Leg leg(LegRecord r, boolean callee) {
        Leg leg = new Leg(r.tag(), r.uri(), r.contact(), r.flow(), r.routeSet());
        leg.seenFrom(r.cseqFrom());
        leg.sentTo(r.cseqTo());
        leg.restoreShift(r.cseqShift(), r.lastInviteCseq(), r.lastInviteShift());
        leg.lastSdp(r.lastSdp());
        leg.answered = callee;
        leg.routeSetFromSuccess = callee;
        if (r.pingFailures() > 0) {
            leg.ping = new LegPing();
            leg.ping.failures = r.pingFailures();
        }
        return leg;
    }
}
