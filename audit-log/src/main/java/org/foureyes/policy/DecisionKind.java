package org.foureyes.policy;

import java.util.Locale;

/** What a decision says: {@code approve} or {@code reject}. */
public enum DecisionKind {
    APPROVE, REJECT;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the {@code decision} claim of a decision statement. */
    public static DecisionKind parse(String word) {
        return switch (word) {
            case "approve" -> APPROVE;
            case "reject" -> REJECT;
            default -> throw new IllegalArgumentException("a decision is approve or reject, not '" + word + "'");
        };
    }
}
