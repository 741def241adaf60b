package dev.sipedge.persistence;

import dev.sipedge.dialog.DialogRecord;
import dev.sipedge.dialog.DialogStore;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * A store that could not be opened at start (start-without-restore): every write tries to open it
 * first, so the queue's retries reconnect once the database is back. Used on the store's thread
 * only.
 */
final class ReopeningStore implements DialogStore {
    private final Supplier<DialogStore> opener;
    private DialogStore open;

    ReopeningStore(Supplier<DialogStore> opener) {
        this.opener = opener;
    }

    private DialogStore store() {
        if (open == null) {
            open = opener.get();     // throws DialogStoreException while the database is away
        }
        return open;
    }

    @Override
    public void save(Collection<DialogRecord> records) {
        store().save(records);
    }

    @Override
    public void delete(Collection<String> ids) {
        store().delete(ids);
    }

    @Override
    public List<DialogRecord> loadAll() {
        return store().loadAll();
    }

    @Override
    public void close() {
        if (open != null) {
            open.close();
        }
    }
}
