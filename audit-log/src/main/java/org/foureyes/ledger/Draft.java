package org.foureyes.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;

/**
 * An entry to append, before it has a seq: its type, its statement (or none) and its facts as a
 * function of the seq it will get (a {@code change.requested} entry's {@code facts.change} is its
 * own seq). The drafts of one {@link Outcome} must be appended in order, at consecutive seqs, with
 * nothing in between, and then passed to {@link Ledger#apply} one by one.
 */
public final class Draft {
    private final EntryType type;
    private final String statement;
    private final LongFunction<ObjectNode> facts;

    Draft(EntryType type, String statement, LongFunction<ObjectNode> facts) {
        this.type = Objects.requireNonNull(type, "type");
        this.statement = statement;
        this.facts = Objects.requireNonNull(facts, "facts");
        if (type.hasStatement() != (statement != null)) {
            throw new IllegalArgumentException(type + (type.hasStatement() ? " needs a statement" : " carries none"));
        }
    }

    public EntryType type() {
        return type;
    }

    /** The statement the entry carries (compact JWS), if its type carries one. */
    public Optional<String> statement() {
        return Optional.ofNullable(statement);
    }

    /** The facts of the entry if it gets this seq (a fresh object each call). */
    public ObjectNode facts(long seq) {
        return facts.apply(seq).deepCopy();
    }

    /** The entry itself, once the appender knows its seq, time and predecessor. */
    public LogEntry materialise(long seq, Instant time, byte[] prevLeafHash) {
        return LogEntry.create(seq, time, prevLeafHash, type, statement, facts(seq));
    }

    @Override
    public String toString() {
        return "Draft[" + type + " " + facts(-1) + "]";
    }
}
