package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;

/**
 * A message that could not be framed or parsed, passed up the pipeline as a value (STYLE.md §2.7).
 * {@code partial} is what the parser made of it, possibly null.
 */
record DecodeFailure(SIPMessage partial, String reason) {
}
