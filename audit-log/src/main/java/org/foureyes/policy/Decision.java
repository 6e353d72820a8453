package org.foureyes.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * A decision on a change, as signed: who, approve or reject, and the statement's {@code iat}.
 */
public record Decision(String principal, DecisionKind kind, Instant iat) {
    public Decision {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(iat, "iat");
    }

    public static Decision approve(String principal, Instant iat) {
        return new Decision(principal, DecisionKind.APPROVE, iat);
    }

    public static Decision reject(String principal, Instant iat) {
        return new Decision(principal, DecisionKind.REJECT, iat);
    }
}
