package dev.sipedge.dialog;

import java.util.Collection;
import java.util.List;

/**
 * Where dialogs outlive the process: what the module saves, deletes and loads back at start. The
 * module knows nothing of how it is kept (JDBC, a replicated store of several nodes); it only
 * hands over {@link DialogRecord} values.
 *
 * <p>Every method blocks and may be slow: the module calls them only from the store's own
 * thread, never from a shard or an I/O loop. A failure is a {@link DialogStoreException}; the
 * caller decides whether to retry.
 */
public interface DialogStore extends AutoCloseable {

    /** Inserts each record, or replaces the stored one with the same id, in one transaction. */
    void save(Collection<DialogRecord> records);

    /** Removes the dialogs with these ids (ids not stored are ignored), in one transaction. */
    void delete(Collection<String> ids);

    /** Every stored dialog, in no particular order. */
    List<DialogRecord> loadAll();

    /** Releases connections; the store is not used afterwards. */
    @Override
    void close();
}
