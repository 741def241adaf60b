package dev.sipedge.management;

import dev.sipedge.dialog.DialogFilter;
import dev.sipedge.dialog.DialogModule;
import dev.sipedge.dialog.DialogPatch;
import dev.sipedge.dialog.DialogProfile;
import dev.sipedge.dialog.DialogSnapshot;
import dev.sipedge.dialog.OperatorEnd;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link DialogOperations} of the process's dialog module. */
public final class ModuleOperations implements DialogOperations {
    private final DialogModule module;

    public ModuleOperations(DialogModule module) {
        this.module = module;
    }

    @Override
    public CompletableFuture<List<DialogSnapshot>> list(DialogFilter filter) {
        return module.list(filter);
    }

    @Override
    public CompletableFuture<Optional<DialogSnapshot>> patch(String idOrCallId, DialogPatch patch) {
        return module.patch(idOrCallId, patch);
    }

    @Override
    public CompletableFuture<Integer> end(String idOrCallId, OperatorEnd how) {
        return module.end(idOrCallId, how);
    }

    @Override
    public CompletableFuture<Integer> endProfile(String profile, String value) {
        return module.endProfile(profile, value);
    }

    @Override
    public List<ProfileView> profiles() {
        List<ProfileView> out = new ArrayList<>();
        for (DialogProfile p : module.profiles().all()) {
            out.add(new ProfileView(p.name(), p.withValue(), p.size(), p.sizes()));
        }
        return out;
    }
}
