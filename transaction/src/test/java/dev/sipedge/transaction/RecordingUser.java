package dev.sipedge.transaction;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** A {@link TransactionUser} that records every call; optionally reacts to requests. Shipped in the test-jar. */
public final class RecordingUser implements TransactionUser {
    public record Received(ServerTransaction tx, SIPRequest request) {
    }

    public final List<Received> requests = new ArrayList<>();
    public final List<SIPRequest> acksWithoutTransaction = new ArrayList<>();
    public final List<SIPResponse> strayResponses = new ArrayList<>();
    private BiConsumer<ServerTransaction, SIPRequest> onRequest = (tx, r) -> { };

    /** What to do with each new server transaction (e.g. respond at once). */
    public void reactWith(BiConsumer<ServerTransaction, SIPRequest> reaction) {
        this.onRequest = reaction;
    }

    @Override
    public void onRequest(ServerTransaction tx, SIPRequest request) {
        requests.add(new Received(tx, request));
        onRequest.accept(tx, request);
    }

    @Override
    public void onAckWithoutTransaction(SIPRequest ack, Flow flow) {
        acksWithoutTransaction.add(ack);
    }

    @Override
    public void onStrayResponse(SIPResponse response, Flow flow) {
        strayResponses.add(response);
    }
}
