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
     * Told, on the writer thread, that a batch's transaction failed and was rolled back: whatever
     * the batch's drafts did outside the database (for example apply entries to an in-memory
     * ledger) did not happen in the log. Must be quick; an exception is logged.
     */
    default void rolledBack() {
    }
}
