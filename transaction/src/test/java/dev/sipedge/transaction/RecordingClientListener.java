package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPResponse;
import java.util.ArrayList;
import java.util.List;

/** A {@link ClientTransaction.Listener} that records every call. Shipped in the test-jar. */
public final class RecordingClientListener implements ClientTransaction.Listener {
    public final List<SIPResponse> responses = new ArrayList<>();
    public final List<EndReason> terminations = new ArrayList<>();
    public int timerCFirings;

    @Override
    public void onResponse(ClientTransaction tx, SIPResponse response) {
        responses.add(response);
    }

    @Override
    public void onTimerC(ClientTransaction tx) {
        timerCFirings++;
    }

    @Override
    public void onTerminated(ClientTransaction tx, EndReason reason) {
        terminations.add(reason);
    }

    public List<Integer> statuses() {
        return responses.stream().map(SIPResponse::getStatusCode).toList();
    }
}
