package org.foureyes.statement;

import java.util.Objects;
import java.util.Optional;

/**
 * An approval or rejection of a change ({@code foureyes.decision/v1}).
 *
 * @param change the change id (the {@code seq} of its {@code change.requested} entry)
 * @param request hex SHA-256 of the request statement's compact bytes; binds the decision to what
 *     the approver actually read, not only to an id the host assigned
 * @param decision approve or reject
 * @param comment optional text
 */
public record DecisionClaims(long change, String request, Decision decision, Optional<String> comment)
        implements StatementClaims {

    /** The {@code decision} claim. */
    public enum Decision {
        APPROVE("approve"),
        REJECT("reject");

        private final String json;

        Decision(String json) {
            this.json = json;
        }

        /** The claim's JSON value. */
        public String json() {
            return json;
        }

        static Optional<Decision> fromJson(String value) {
            for (Decision d : values()) {
                if (d.json.equals(value)) {
                    return Optional.of(d);
                }
            }
            return Optional.empty();
        }
    }

    public DecisionClaims {
        Checks.requireChangeId(change);
        Checks.requireHex64("request", request);
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(comment, "comment");
    }

    public static DecisionClaims approve(long change, String requestSha256) {
        return new DecisionClaims(change, requestSha256, Decision.APPROVE, Optional.empty());
    }

    public static DecisionClaims reject(long change, String requestSha256, String comment) {
        return new DecisionClaims(change, requestSha256, Decision.REJECT, Optional.of(comment));
    }

    @Override
    public StatementType type() {
        return StatementType.DECISION;
    }
}
