package dev.sipedge.dialog;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls the global listeners, then the dialog's own, each in its own try: a failing listener is logged and skipped. */
final class DialogEvents {
    private static final Logger log = LoggerFactory.getLogger(DialogEvents.class);

    private final List<DialogListener> global;

    DialogEvents(List<DialogListener> global) {
        this.global = global;
    }

    void fire(Dialog dialog, String event, Consumer<DialogListener> call) {
        for (DialogListener l : global) {
            run(dialog, event, l, call);
        }
        if (dialog.listeners != null) {
            for (DialogListener l : List.copyOf(dialog.listeners)) {
                run(dialog, event, l, call);
            }
        }
    }

    private static void run(Dialog dialog, String event, DialogListener listener, Consumer<DialogListener> call) {
        try {
            call.accept(listener);
        } catch (Exception e) {     // also checked exceptions thrown sneakily
            log.warn("dialog listener {} failed in {} for Call-ID {}", listener, event, dialog.callId(), e);
        }
    }
}
