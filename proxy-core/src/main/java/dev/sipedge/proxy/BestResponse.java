package dev.sipedge.proxy;

import dev.sipedge.transport.ReceivedBytes;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import java.util.List;
import java.util.ListIterator;

/**
 * RFC 3261 §16.7 step 6 and 7: which stored final response (>= 300) a proxy sends upstream once
 * every branch has answered. A 6xx wins; otherwise the lowest class, the earliest within a
 * class. A chosen 503 becomes 500 (the next hop's overload is not ours to report), and a chosen
 * 401/407 collects the challenges of every other 401/407 branch.
 */
final class BestResponse {
    private BestResponse() {
    }

    /** The index in {@code finals} of the response to forward; {@code finals} must not be empty. */
    static int choose(List<SIPResponse> finals) {
        int best = -1;
        for (int i = 0; i < finals.size(); i++) {
            int status = finals.get(i).getStatusCode();
            if (status >= 600) {
                return i;
            }
            if (best < 0 || status / 100 < finals.get(best).getStatusCode() / 100) {
                best = i;
            }
        }
        return best;
    }

    /** The response to send for the chosen one: 503 rewritten to 500, challenges merged. */
    static SIPResponse prepare(SIPResponse chosen, List<SIPResponse> finals) throws ParseException {
        int status = chosen.getStatusCode();
        if (status == 503) {
            ReceivedBytes.forget(chosen);
            chosen.setStatusCode(500);
            chosen.setReasonPhrase("Server Internal Error");
        } else if (status == 401 || status == 407) {
            for (SIPResponse other : finals) {
                if (other != chosen && (other.getStatusCode() == 401 || other.getStatusCode() == 407)) {
                    ReceivedBytes.forget(chosen);
                    copyChallenges(other, chosen, "WWW-Authenticate");
                    copyChallenges(other, chosen, "Proxy-Authenticate");
                }
            }
        }
        return chosen;
    }

    private static void copyChallenges(SIPResponse from, SIPResponse to, String header) {
        ListIterator<?> it = from.getHeaders(header);
        while (it.hasNext()) {
            to.addHeader((SIPHeader) ((SIPHeader) it.next()).clone());
        }
    }
}
