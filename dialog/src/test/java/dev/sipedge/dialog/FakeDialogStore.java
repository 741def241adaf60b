package dev.sipedge.dialog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A store in memory that counts its calls and fails on demand. */
final class FakeDialogStore implements DialogStore {
    final Map<String, DialogRecord> rows = new LinkedHashMap<>();
    /** Size of every save and delete batch, in order ("s3", "d1"). */
    final List<String> batches = new ArrayList<>();
    boolean failing;

    @Override
    public void save(Collection<DialogRecord> records) {
        check();
        batches.add("s" + records.size());
        for (DialogRecord r : records) {
            rows.put(r.id(), r);
        }
    }

    @Override
    public void delete(Collection<String> ids) {
        check();
        batches.add("d" + ids.size());
        ids.forEach(rows::remove);
    }

    @Override
    public List<DialogRecord> loadAll() {
        check();
        return new ArrayList<>(rows.values());
    }

    @Override
    public void close() {
    }

    private void check() {
        if (failing) {
            throw new DialogStoreException("database down", null);
        }
    }
}
