package dev.sipedge.dialog;

import java.util.concurrent.Executor;
import java.util.function.LongFunction;

/**
 * What a {@link Dialog} needs of the shard it lives on: its lifecycle (every change goes through
 * it), the shard's executor, the did text of a sequence, and the declared profiles. One per shard,
 * shared by its dialogs.
 */
record DialogHome(DialogLifecycle lifecycle, Executor executor, LongFunction<String> dids, DialogProfiles profiles) {
}
