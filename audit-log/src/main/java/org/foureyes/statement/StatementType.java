package org.foureyes.statement;

import java.util.Optional;

/** The kinds of statement, each named by the {@code typ} claim of its payload. */
public enum StatementType {
    CHANGE_REQUEST("foureyes.change-request/v1"),
    DECISION("foureyes.decision/v1"),
    WITHDRAWAL("foureyes.withdrawal/v1"),
    REPORT("foureyes.report/v1"),
    /** Reusable bearer token for reads; never logged, exempt from replay checks. */
    ACCESS("foureyes.access/v1");

    private final String typ;

    StatementType(String typ) {
        this.typ = typ;
    }

    /** The value of the {@code typ} claim, e.g. {@code foureyes.decision/v1}. */
    public String typ() {
        return typ;
    }

    public static Optional<StatementType> fromTyp(String typ) {
        for (StatementType t : values()) {
            if (t.typ.equals(typ)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return typ;
    }
}
