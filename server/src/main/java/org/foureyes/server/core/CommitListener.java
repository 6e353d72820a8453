package org.foureyes.server.core;

import java.util.List;
import org.foureyes.auditlog.LogEntry;

/**
 * Told of each committed batch, on the appender's writer thread, right after the commit and before
 * the batch's futures complete: for example to apply the entries to the in-memory ledger, so that
 * a caller who got a receipt also sees the new state. Must be quick and must not append (it would
 * wait on itself). An exception is logged; the entries stay committed.
 */
@FunctionalInterface
public interface CommitListener {

    void committed(List<LogEntry> entries);

    /**
     * A batch's transaction rolled back: nothing of it was written, and the log is still at
     * {@code size} entries as far as this appender knows. Whoever applied drafted entries to
     * in-memory state while drafting must drop them (for example rebuild from the store).
     */
    default void rolledBack(long size) {
    }
}
