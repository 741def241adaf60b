package dev.sipedge.dialog;

import gov.nist.javax.sip.message.SIPRequest;

/**
 * Decides, for each initial INVITE the proxy routes itself, whether it gets a dialog and with which
 * options: the Java API for embedders that want to track calls by their own rules (a header, a
 * tenant lookup) instead of, or on top of, the routes' {@code dialog} blocks. Runs on the call's
 * shard for every such INVITE, so it must be quick and must not block.
 */
@FunctionalInterface
public interface DialogPolicy {

    /** The routes' configuration as it is. */
    DialogPolicy CONFIGURED = (invite, configured) -> configured;

    /**
     * @param configured the matching route's options ({@link DialogOptions#NONE} when no route
     *                   matched or its route does not track)
     * @return the options to use; {@link DialogOptions#NONE} (or any with {@code track = false})
     *         for no dialog. Profiles named must be declared in {@code sipedge.dialog.profiles}.
     */
    DialogOptions optionsFor(SIPRequest invite, DialogOptions configured);
}
