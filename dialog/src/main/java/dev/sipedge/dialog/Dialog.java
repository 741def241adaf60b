package dev.sipedge.dialog;

import dev.sipedge.transaction.ClientTransaction;
import dev.sipedge.transaction.ServerTransaction;
import io.netty.util.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One dialog created by a tracked initial INVITE: its identity, state, legs, lifetime, values,
 * flags and profile memberships.
 *
 * <p><b>Threading.</b> A dialog belongs to the shard that owns its Call-ID ({@link #executor()}):
 * every change happens there, so it has no locks. Listeners are called there and may use every
 * method. Other threads may read only {@link #id()}, {@link #callId()} and {@link #callerTag()}
 * (final fields); for anything else they run a task on {@link #executor()}.
 */
public final class Dialog {
    /** A dialog without followed INVITE branches (none yet, or none left). */
    static final ClientTransaction[] NO_BRANCHES = {};
    /** The did's sequence; the did text is rebuilt from it ({@link #id()}). */
    final long sequence;
    private final String callId;
    private final long inviteCseq;
    private final Leg caller;
    private final DialogHome home;
    final DialogOptions options;
    private final long createdAtMillis;

    DialogState state = DialogState.UNCONFIRMED;
    /** Set when the dialog left the table: no event may follow {@code onDestroyed}. */
    boolean destroyed;
    EndCause endCause;
    private Leg callee;
    /** Callee legs other than {@link #callee} (forked early dialogs, an extra 2xx); null without forks. */
    private List<Leg> otherLegs;
    private long answeredAtMillis;
    /** The lifetime in ms; the deadline moves with sequential requests, the timer re-arms lazily. */
    long lifetimeMillis;
    long deadlineNanos;
    /** When an unACKed 2xx ends the dialog (dialog.noack-timeout after it); read only in CONFIRMED_NA. */
    long ackDeadlineNanos;
    Timeout lifetimeTimer;
    /** The To URI of the initial INVITE (for the call record: the callee leg may never exist); see Text. */
    private byte[] inviteTo;
    /** SDP of the initial INVITE, kept for the callee legs only when the route re-INVITE-pings them. */
    String inviteSdp;
    /** The initial INVITE's server transaction while it lives (for CANCEL on operator end). */
    ServerTransaction initialInvite;
    /** The initial INVITE's branches whose responses are followed, while they live (one unless forked). */
    ClientTransaction[] inviteBranches = NO_BRANCHES;
    /** Open relayed in-dialog INVITE server transactions: no ping may cross them. */
    int openInvites;
    /** BYEs the module sent that have not ended: the dialog is terminating and is freed after them. */
    int pendingByes;
    /** The cause an end the module asked for will be recorded with (e.g. OPERATOR while a CANCEL works). */
    EndCause requestedCause;
    /** RFC 5407 bookkeeping; null unless a race was seen. */
    RaceWatch race;
    /** Chains dialogs of the same Call-ID in the shard's table (spirals of other From tags). */
    Dialog nextSameCallId;

    /** Null until the first value or flag. */
    private DialogVariables variables;
    /** The profiles the dialog is in; null until the first, as most dialogs are in none. */
    private ProfileMemberships profiles;
    List<DialogListener> listeners;

    Dialog(long sequence, String callId, long inviteCseq, Leg caller, DialogHome home, DialogOptions options,
           long createdAtMillis) {
        this.sequence = sequence;
        this.callId = callId;
        this.inviteCseq = inviteCseq;
        this.caller = caller;
        this.home = home;
        this.options = options;
        this.createdAtMillis = createdAtMillis;
    }

    /** The To URI of the initial INVITE. */
    String inviteTo() {
        return Text.string(inviteTo);
    }

    void inviteTo(String uri) {
        inviteTo = Text.of(uri);
    }

    /**
     * True while the module's own BYEs are on their way: the dialog has ended (state
     * {@link DialogState#ENDED}) and waits for both BYE transactions before it is freed.
     */
    public boolean terminating() {
        return pendingByes > 0;
    }

    /**
     * Ends the dialog now (call on {@link #executor()}): BYE to both legs when confirmed, CANCEL
     * toward the callee when early (the caller then gets a 487). False when it had ended already.
     */
    public boolean terminate() {
        return !destroyed && home.lifecycle().terminate(this, EndCause.OPERATOR, null);
    }

    /** The dialog id: the did cookie value (also in {@code sip-only} mode, where it is not sent). */
    public String id() {
        return home.dids().apply(sequence);
    }

    public String callId() {
        return callId;
    }

    public String callerTag() {
        return caller.tag();
    }

    /** CSeq number of the initial INVITE. */
    public long inviteCseq() {
        return inviteCseq;
    }

    public DialogState state() {
        return state;
    }

    /** Why it ended; null until {@link DialogState#ENDED}. */
    public EndCause endCause() {
        return endCause;
    }

    public Leg caller() {
        return caller;
    }

    /** The callee leg: the one that answered 2xx, or before that the first early leg; null before any. */
    public Leg callee() {
        return callee;
    }

    /** Every callee leg known: the chosen (or first) one, then early forks and extra 2xx legs. */
    public List<Leg> calleeLegs() {
        if (callee == null) {
            return List.of();
        }
        if (otherLegs == null) {
            return List.of(callee);
        }
        List<Leg> all = new ArrayList<>(otherLegs.size() + 1);
        all.add(callee);
        all.addAll(otherLegs);
        return all;
    }

    public DialogOptions options() {
        return options;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    /** Wall-clock time of the 2xx; 0 while unanswered. */
    public long answeredAtMillis() {
        return answeredAtMillis;
    }

    /** The current lifetime. */
    public Duration lifetime() {
        return Duration.ofMillis(lifetimeMillis);
    }

    /** The shard that owns this dialog: run anything that touches it there. */
    public Executor executor() {
        return home.executor();
    }

    // ---- lifetime ----

    /** Sets a new lifetime counted from now (only once answered; before that it applies at the 2xx). */
    public void setLifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
        }
        home.lifecycle().lifetime(this, lifetime);
    }

    // ---- values and flags: kept for the dialog's whole life ----

    public void setValue(String key, String value) {
        variables().setValue(key, value);
        home.lifecycle().changed(this);
    }

    /** The value stored under {@code key}, or null. */
    public String value(String key) {
        return variables == null ? null : variables.value(key);
    }

    public Map<String, String> values() {
        return variables == null ? Map.of() : variables.values();
    }

    public void setFlag(String flag) {
        variables().setFlag(flag);
        home.lifecycle().changed(this);
    }

    public void resetFlag(String flag) {
        if (variables != null) {
            variables.resetFlag(flag);
        }
        home.lifecycle().changed(this);
    }

    /** The flags set (a copy). */
    public Set<String> flags() {
        return variables == null ? Set.of() : variables.flags();
    }

    public boolean isFlagSet(String flag) {
        return variables != null && variables.isFlagSet(flag);
    }

    /** Sets the flag and tells whether it was set before (an atomic test-and-set on the owning shard). */
    public boolean testAndSetFlag(String flag) {
        if (isFlagSet(flag)) {
            return true;
        }
        setFlag(flag);
        return false;
    }

    private DialogVariables variables() {
        if (variables == null) {
            variables = new DialogVariables();
        }
        return variables;
    }

    // ---- profiles ----

    /**
     * Puts the dialog into {@code profile} (under {@code value} for a profile with value; ignored
     * for one without). Returns false when {@code max > 0} and that many dialogs are already in it
     * under that value, or when the dialog has ended; throws for a profile that was not declared.
     */
    public boolean addToProfile(String profile, String value, int max) {
        DialogProfile p = home.profiles().get(profile);
        if (p == null) {
            throw new IllegalArgumentException("unknown dialog profile: " + profile);
        }
        String v = p.withValue() ? value : null;
        if (destroyed || state == DialogState.ENDED) {
            return false;     // nothing would ever remove the membership
        }
        if (isInProfile(profile, v)) {
            return true;
        }
        ProfileMemberships joined = profiles == null ? new ProfileMemberships() : profiles;
        if (!joined.join(this, p, v, max)) {
            return false;
        }
        profiles = joined;
        home.lifecycle().changed(this);
        return true;
    }

    public boolean addToProfile(String profile, String value) {
        return addToProfile(profile, value, 0);
    }

    /** Removes the dialog from {@code profile} under {@code value} (any value when null). */
    public boolean removeFromProfile(String profile, String value) {
        if (profiles == null || !profiles.leave(this, profile, value)) {
            return false;
        }
        home.lifecycle().changed(this);
        return true;
    }

    /** True when the dialog is in {@code profile} (under {@code value}, or any value when null). */
    public boolean isInProfile(String profile, String value) {
        return profiles != null && profiles.contains(profile, value);
    }

    /** The profiles the dialog is in, in the order joined (read-only). */
    List<ProfileMemberships.Membership> memberships() {
        return profiles == null ? List.of() : profiles.list();
    }

    /** Leaves every profile; done when the dialog is destroyed. */
    void leaveProfiles() {
        if (profiles != null) {
            profiles.leaveAll(this);
            profiles = null;
        }
    }

    // ---- listeners ----

    /** A listener for this dialog only, called after the global ones. */
    public void addListener(DialogListener listener) {
        if (listeners == null) {
            listeners = new ArrayList<>(1);
        }
        listeners.add(listener);
    }

    DialogHome home() {
        return home;
    }

    // ---- legs, for the tracker ----

    /** The callee leg with {@code tag}, or null. */
    Leg calleeLeg(String tag) {
        if (tag == null || callee == null) {
            return null;
        }
        if (callee.hasTag(tag)) {
            return callee;
        }
        if (otherLegs != null) {
            for (Leg leg : otherLegs) {
                if (leg.hasTag(tag)) {
                    return leg;
                }
            }
        }
        return null;
    }

    /** Adds a callee leg; the first one becomes {@link #callee()} until a 2xx chooses. */
    void addCalleeLeg(Leg leg) {
        if (callee == null) {
            callee = leg;
            return;
        }
        if (otherLegs == null) {
            otherLegs = new ArrayList<>(2);
        }
        otherLegs.add(leg);
    }

    /** The leg that answered 2xx becomes the callee (the previous one stays as another leg). */
    void choose(Leg leg) {
        if (leg == callee) {
            return;
        }
        otherLegs.remove(leg);
        otherLegs.add(callee);
        callee = leg;
    }

    /** Drops early legs that never answered 2xx: once the INVITE transaction is over they are gone. */
    void pruneUnansweredLegs() {
        if (otherLegs != null) {
            otherLegs.removeIf(leg -> !leg.answered);
            if (otherLegs.isEmpty()) {
                otherLegs = null;
            }
        }
    }

    /** Drops a callee leg that is not the chosen one (its fork failed, or its extra 2xx was BYEd). */
    boolean dropLeg(Leg leg) {
        if (otherLegs != null && otherLegs.remove(leg)) {
            if (otherLegs.isEmpty()) {
                otherLegs = null;
            }
            return true;
        }
        if (leg == callee && answeredAtMillis == 0) {
            // Not chosen yet: the next early leg (if any) stands in.
            callee = otherLegs == null ? null : otherLegs.remove(0);
            if (otherLegs != null && otherLegs.isEmpty()) {
                otherLegs = null;
            }
            return true;
        }
        return false;
    }

    void answered(long nowMillis) {
        answeredAtMillis = nowMillis;
    }

    boolean answered() {
        return answeredAtMillis != 0;
    }

    @Override
    public String toString() {
        return "Dialog[" + id() + " " + callId + " " + state + "]";
    }
}
