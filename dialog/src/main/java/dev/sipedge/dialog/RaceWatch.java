package dev.sipedge.dialog;

/** What the RFC 5407 clean-up ({@link RaceConditions}) remembers about one dialog. */
final class RaceWatch {
    /** The caller CANCELled the INVITE (a 2xx after that crossed the CANCEL). */
    boolean cancelled;
    /** A BYE ended the dialog while it was early. */
    boolean earlyBye;
    /** A 2xx arrived after the early BYE (the BYE crossed the 200). */
    boolean answeredAfterBye;
    /** A BYE was seen after the race began: the UAs are clearing it themselves. */
    boolean clearedByUas;
    /** An end the module was asked for (operator CANCEL) that a 2xx overtook: carried out with BYEs. */
    EndCause endWanted;
    /** The clean-up timer is armed. */
    boolean armed;
}
