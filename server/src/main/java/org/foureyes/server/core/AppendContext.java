package org.foureyes.server.core;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * What an {@link EntryDraft} learns when its entry is being written: the seq and time it gets, and
 * the handle of the append transaction.
 */
public interface AppendContext {

    /** The seq the entry will have (for a change request, its change id). */
    long seq();

    /** The entry's time: UTC, milliseconds, never before the previous entry's. */
    Instant time();

    /**
     * The leaf hash of entry {@code seq() - 1} (32 zero bytes for entry 0), which becomes this
     * entry's {@code prev}: with seq and time, enough to materialise the exact entry (for example
     * with the ledger's {@code Draft.materialise}) and check it before it is written.
     */
    byte[] prevLeafHash();

    /**
     * The append transaction, held under the log lock: reads here see the log as it will be right
     * before this entry, and writes commit or roll back together with the entry. Workflow tables
     * (changes, components) are updated here so that they never disagree with the log.
     *
     * <p>A draft that used the handle and then fails (throws anything) fails the whole batch, since
     * its partial writes cannot be undone alone.
     */
    Handle handle();
}
