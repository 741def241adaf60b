package dev.sipedge.transport;

import io.netty.util.concurrent.EventExecutor;

/**
 * Which single-threaded executor owns a call. The transport asks once per message, at receipt,
 * with the Call-ID read from the raw bytes, and delivers the message on that executor with its
 * index: nothing after the parse decides again.
 */
public interface CallOwners {

    /** The index of the owner of {@code callId}; a message without a Call-ID (null) has owner 0. */
    int indexFor(String callId);

    /** The executor of owner {@code index}. */
    EventExecutor get(int index);

    /** How many owners there are, at least one; with one, no Call-ID needs reading to pick it. */
    int size();
}
