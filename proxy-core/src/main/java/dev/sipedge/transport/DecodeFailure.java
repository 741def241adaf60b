package dev.sipedge.transport;

import gov.nist.javax.sip.message.SIPMessage;

/**
 * A message that could not be framed or parsed, passed up the pipeline as a value.
 * {@code partial} is what the parser made of it, possibly null: enough, when it holds a request's
 * top Via, Call-ID and CSeq, to answer 400 (RFC 3261 §21.4.1).
 */
record DecodeFailure(SIPMessage partial, String reason) implements ParseOutcome {
}
