package dev.sipedge.dialog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The profiles one dialog is in, each under its value (null in a profile without value). A dialog
 * makes it on its first membership, so one in no profile carries none; joining and leaving keep
 * the shared {@link DialogProfile} counts in step. Used on the dialog's shard only, as the dialog.
 */
final class ProfileMemberships {

    /** A profile the dialog is in, with its value (null for profiles without value). */
    record Membership(DialogProfile profile, String value) {
        /** In the profile named {@code name}, under {@code wanted} or any value when that is null. */
        boolean matches(String name, String wanted) {
            return profile.name().equals(name) && (wanted == null || wanted.equals(value));
        }
    }

    private final List<Membership> joined = new ArrayList<>(2);

    /**
     * Takes a place in {@code profile} under {@code value} for {@code dialog}, which is not in it
     * yet; false when {@code max > 0} and that many dialogs already hold the value.
     */
    boolean join(Dialog dialog, DialogProfile profile, String value, int max) {
        if (!profile.tryAdd(dialog, value, max)) {
            return false;
        }
        joined.add(new Membership(profile, value));
        return true;
    }

    /** Gives back the places in {@code profile} under {@code value} (any value when null). */
    boolean leave(Dialog dialog, String profile, String value) {
        boolean left = false;
        for (int i = joined.size() - 1; i >= 0; i--) {
            Membership m = joined.get(i);
            if (m.matches(profile, value)) {
                m.profile().remove(dialog, m.value());
                joined.remove(i);
                left = true;
            }
        }
        return left;
    }

    /** True when in {@code profile} under {@code value}, or under any value when null. */
    boolean contains(String profile, String value) {
        for (Membership m : joined) {
            if (m.matches(profile, value)) {
                return true;
            }
        }
        return false;
    }

    /** Gives back every place; the dialog is in no profile after. */
    void leaveAll(Dialog dialog) {
        for (Membership m : joined) {
            m.profile().remove(dialog, m.value());
        }
        joined.clear();
    }

    /** The memberships in the order joined, read-only. */
    List<Membership> list() {
        return Collections.unmodifiableList(joined);
    }
}
