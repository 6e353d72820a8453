package org.foureyes.server.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a caller wants appended: the entry type (a wire name such as {@code change.decided}), the
 * signed statement's compact form or {@code null}, and the facts. The appender adds seq, time and
 * prev.
 */
public record EntryContent(String type, String statement, ObjectNode facts) {
    public EntryContent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(facts, "facts");
    }
}
