package dev.sipedge.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gov.nist.javax.sip.message.SIPRequest;
import org.junit.jupiter.api.Test;

/**
 * {@link TransactionLayer#transactionsInProgress()}: what a graceful stop waits for, the
 * transactions without a final response; the ones that only linger are live but not in progress.
 */
class TransactionsInProgressTest {
    private final Harness h = new Harness(TransportKind.UDP);

    @Test
    void aServerTransactionIsInProgressUntilItsFinalResponse() {
        SIPRequest invite = h.invite();
        ServerTransaction tx = h.receiveNew(invite);
        tx.respond(Sip.response(invite, 180, "b1"));
        assertEquals(1, h.layer.transactionsInProgress(), "ringing");

        tx.respond(Sip.response(invite, 200, "b1"));

        assertEquals(0, h.layer.transactionsInProgress());
        assertEquals(1, h.layer.activeTransactions(), "Accepted lingers (Timer L)");
    }

    @Test
    void aClientTransactionIsInProgressUntilAFinalResponseArrives() {
        SIPRequest bye = Sip.request("BYE").build();
        h.layer.sendRequest(bye, h.flow, new RecordingClientListener());
        assertEquals(1, h.layer.transactionsInProgress());

        h.layer.receive(Sip.response(bye, 200, null), h.flow);

        assertEquals(0, h.layer.transactionsInProgress());
        assertEquals(1, h.layer.activeTransactions(), "its key counts until Timer K");
    }
}
