package dev.sipedge.management;

import dev.sipedge.dialog.DialogFilter;
import dev.sipedge.dialog.DialogPatch;
import dev.sipedge.dialog.DialogSnapshot;
import dev.sipedge.dialog.OperatorEnd;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the management API does with dialogs and profiles. Every future completes on the thread
 * that did the work (a shard): the API never waits on one, it answers from the callback.
 */
public interface DialogOperations {

    CompletableFuture<List<DialogSnapshot>> list(DialogFilter filter);

    /** The patched dialog, empty when no live dialog has this id or Call-ID. */
    CompletableFuture<Optional<DialogSnapshot>> patch(String idOrCallId, DialogPatch patch);

    /** The number of dialogs ended (BYEs or CANCEL sent). */
    CompletableFuture<Integer> end(String idOrCallId, OperatorEnd how);

    /** The number of members ended; {@code value} null: every value. */
    CompletableFuture<Integer> endProfile(String profile, String value);

    /** Every declared profile with its current sizes. */
    List<ProfileView> profiles();

    default Optional<ProfileView> profile(String name) {
        return profiles().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
