package org.foureyes.server.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.foureyes.auditlog.LogEntry;

/**
 * What a caller wants appended: the entry type (a wire name such as {@code change.decided}), the
 * signed statement's compact form or {@code null}, and the facts. The appender adds seq, time and
 * prev.
 *
 * @param built the entry exactly as the caller already materialised it from the context's seq,
 *     time and prev leaf hash (as the ledger does to apply it), or null. The appender takes it as
 *     is only if its seq, time and prev are the ones it assigns, and otherwise builds the entry
 *     from type, statement and facts; either way the same bytes.
 */
public record EntryContent(String type, String statement, ObjectNode facts, LogEntry built) {
    public EntryContent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(facts, "facts");
    }

    public EntryContent(String type, String statement, ObjectNode facts) {
        this(type, statement, facts, null);
    }

    /** An entry already materialised; spares the writer thread serialising and hashing it again. */
    public static EntryContent of(LogEntry entry) {
        return new EntryContent(entry.type(), entry.statement().orElse(null), entry.facts(), entry);
    }
}
