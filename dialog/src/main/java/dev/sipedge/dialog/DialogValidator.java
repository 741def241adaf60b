package dev.sipedge.dialog;

import gov.nist.javax.sip.message.SIPRequest;
import java.util.List;
import java.util.Optional;

/**
 * The checks of OpenSIPS's {@code validate_dialog} on an in-dialog request ({@code dialog.validate}):
 * its CSeq must grow in its direction (RFC 3261 §12.2.2), its Request-URI must be the remote target
 * the dialog recorded for the leg it goes to, and the Route entries left after ours must be that
 * leg's route set (§12.2.1.1). Runs after loose routing removed our own entry.
 */
final class DialogValidator {
    private DialogValidator() {
    }

    /** Why the request is refused, if it is. */
    static Optional<Refusal> check(SIPRequest request, Leg from, Leg to) {
        String method = request.getMethod();
        long cseq = request.getCSeq().getSeqNumber();
        // ACK and CANCEL reuse the CSeq of the request they belong to.
        if (!method.equals("ACK") && !method.equals("CANCEL") && from.cseqFrom() > 0 && cseq <= from.cseqFrom()) {
            return refused(500, "CSeq Out of Order");
        }
        if (to.hasRemoteTarget() && !to.remoteTargetIs(request.getRequestURI().toString())) {
            return refused(400, "Request-URI Does Not Match Dialog");
        }
        List<String> routes = LegData.remainingRoutes(request);
        if (!routes.equals(to.routeSet())) {
            return refused(400, "Route Set Does Not Match Dialog");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refused(int status, String reason) {
        return Optional.of(new Refusal(status, reason));
    }
}
