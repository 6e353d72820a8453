package org.foureyes.auditlog;

import java.util.Optional;

/** The {@code type} of a log entry, and whether entries of that type carry a signed statement. */
public enum EntryType {
    LOG_GENESIS("log.genesis", false),
    CHANGE_REQUESTED("change.requested", true),
    CHANGE_DECIDED("change.decided", true),
    CHANGE_WITHDRAWN("change.withdrawn", true),
    CHANGE_REPORTED("change.reported", true),
    CHANGE_EXPIRED("change.expired", false),
    CHANGE_SUPERSEDED("change.superseded", false),
    POLICY_ACTIVATED("policy.activated", false),
    STATEMENT_REFUSED("statement.refused", true);

    private final String wireName;
    private final boolean hasStatement;

    EntryType(String wireName, boolean hasStatement) {
        this.wireName = wireName;
        this.hasStatement = hasStatement;
    }

    /** The name as written in the entry, e.g. {@code change.decided}. */
    public String wireName() {
        return wireName;
    }

    /** Whether entries of this type are caused by, and carry, a signed statement. */
    public boolean hasStatement() {
        return hasStatement;
    }

    private static final EntryType[] ALL = values(); // values() copies its array on every call

    /** The type with this wire name, if any. */
    public static Optional<EntryType> fromWireName(String name) {
        for (EntryType t : ALL) {
            if (t.wireName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
