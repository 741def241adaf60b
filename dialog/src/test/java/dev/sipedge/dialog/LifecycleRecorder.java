package dev.sipedge.dialog;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * What a lifecycle step reported, as lines a test compares: {@link #events} from the listener
 * (with the dialog's state or end cause at the moment of the call, since order and timing are
 * what the lifecycle promises) and {@link #writes} from the store.
 */
final class LifecycleRecorder {
    final List<String> events = new ArrayList<>();
    final List<String> writes = new ArrayList<>();

    void clear() {
        events.clear();
        writes.clear();
    }

    DurableChanges store() {
        return new DurableChanges() {
            @Override
            public void changed(Dialog d) {
                writes.add("changed " + d.state());
            }

            @Override
            public void ended(Dialog d) {
                writes.add("ended");
            }
        };
    }

    DialogListener listener() {
        return new DialogListener() {
            @Override
            public void onCreated(Dialog d, SIPRequest invite) {
                events.add("created");
            }

            @Override
            public void onEarly(Dialog d, SIPResponse r) {
                events.add("early " + r.getStatusCode() + " " + d.state());
            }

            @Override
            public void onAnswered(Dialog d, SIPResponse r) {
                events.add("answered " + r.getStatusCode() + " " + d.state());
            }

            @Override
            public void onConfirmed(Dialog d, SIPRequest ack) {
                events.add("confirmed " + ack.getMethod() + " " + d.state());
            }

            @Override
            public void onFailed(Dialog d, SIPResponse r) {
                events.add("failed " + (r == null ? "-" : r.getStatusCode()) + " " + d.endCause());
            }

            @Override
            public void onTerminated(Dialog d, SIPRequest bye) {
                events.add("terminated " + (bye == null ? "-" : bye.getMethod()) + " " + d.endCause()
                        + " profiles=" + d.isInProfile("calls", null));
            }

            @Override
            public void onExpired(Dialog d) {
                events.add("expired " + d.endCause());
            }

            @Override
            public void onDestroyed(Dialog d) {
                events.add("destroyed");
            }
        };
    }
}
