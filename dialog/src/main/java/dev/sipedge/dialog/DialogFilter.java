package dev.sipedge.dialog;

import java.util.Optional;

/**
 * Which dialogs {@link DialogModule#list} returns: every condition that is present must hold.
 *
 * @param idOrCallId a did value or a Call-ID
 * @param state      exactly this state
 * @param profile    members of this profile (under {@code profileValue} when present, any value otherwise)
 */
public record DialogFilter(Optional<String> idOrCallId, Optional<DialogState> state, Optional<String> profile,
                           Optional<String> profileValue) {

    /** Every dialog. */
    public static final DialogFilter ALL = new DialogFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public DialogFilter withIdOrCallId(String id) {
        return new DialogFilter(Optional.of(id), state, profile, profileValue);
    }

    public DialogFilter withState(DialogState s) {
        return new DialogFilter(idOrCallId, Optional.of(s), profile, profileValue);
    }

    /** Members of {@code name}; {@code value} null means any value. */
    public DialogFilter inProfile(String name, String value) {
        return new DialogFilter(idOrCallId, state, Optional.of(name), Optional.ofNullable(value));
    }

    boolean matches(Dialog d, long sequence) {
        if (idOrCallId.isPresent()) {
            String key = idOrCallId.get();
            boolean byId = sequence >= 0 && d.sequence == sequence;
            if (!byId && !d.callId().equals(key)) {
                return false;
            }
        }
        if (state.isPresent() && d.state() != state.get()) {
            return false;
        }
        return profile.isEmpty() || d.isInProfile(profile.get(), profileValue.orElse(null));
    }
}
