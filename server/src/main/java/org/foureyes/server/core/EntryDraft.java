package org.foureyes.server.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * An entry to append, completed by the appender's writer thread once its seq is known (facts may
 * depend on it: a {@code change.requested} entry's {@code change} is its own seq).
 *
 * <p>{@link #draft} runs inside the append transaction, under the log lock: it may check state
 * and refuse ({@link EntryRefusedException}, which fails only this append), and may write to the
 * workflow's tables through {@link AppendContext#handle()}. It must be quick, must not block on
 * other appends (that would deadlock the writer), and must not keep the context.
 */
@FunctionalInterface
public interface EntryDraft {

    EntryContent draft(AppendContext context) throws EntryRefusedException;

    /** A draft whose facts depend only on the seq. */
    static EntryDraft of(String type, String statementOrNull, LongFunction<ObjectNode> facts) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(facts, "facts");
        return ctx -> new EntryContent(type, statementOrNull, facts.apply(ctx.seq()));
    }
}
