package org.foureyes.ledger;

import java.util.Objects;

/**
 * Why the ledger refuses a statement.
 *
 * @param reason a sentence a person can act on; deterministic (a function of the statement, the
 *     ledger's state and the entry time only), because a {@code statement.refused} entry carries it
 *     and every checker re-derives it
 * @param problem a stable slug for the problem type, e.g. {@code self-approval}, {@code no-right},
 *     {@code stale-base}, {@code replayed}, {@code bad-signature} (see docs/ledger.md for the list)
 * @param authentic whether the statement's signature verified against a key the policy in force
 *     lists for its issuer. Only authentic refusals are logged (as {@code statement.refused}), and
 *     not even all of them: an access token is never logged
 */
public record Refusal(String reason, String problem, boolean authentic) {
    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(problem, "problem");
    }

    @Override
    public String toString() {
        return problem + ": " + reason;
    }
}
