package org.foureyes.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the decision engine needs to know about a change: the request (component, requester,
 * emergency flag, signed {@code iat}), the decisions accepted on it so far in log order, and the
 * outcome of any event other than a decision that closed it or moved it on.
 *
 * @param component the component the change is for
 * @param requester the principal who signed the request
 * @param emergency whether the request is flagged {@code emergency}
 * @param requestIat the request statement's {@code iat}
 * @param decisions the decisions on the change, in log order
 * @param outcome {@link ChangeState#WITHDRAWN}, {@link ChangeState#EXPIRED},
 *     {@link ChangeState#SUPERSEDED}, {@link ChangeState#APPLIED} or {@link ChangeState#FAILED} once
 *     such an event is in the log; empty while only decisions matter
 */
public record PendingChange(
        String component,
        String requester,
        boolean emergency,
        Instant requestIat,
        List<Decision> decisions,
        Optional<ChangeState> outcome) {

    public PendingChange {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(requestIat, "requestIat");
        decisions = List.copyOf(decisions);
        Objects.requireNonNull(outcome, "outcome");
        outcome.ifPresent(s -> {
            if (s == ChangeState.REQUESTED || s == ChangeState.APPROVED || s == ChangeState.REJECTED) {
                throw new IllegalArgumentException(
                        "the outcome is an event outside the decisions, not " + s.word() + " (that follows from the decisions)");
            }
        });
    }

    /** A new request without decisions. */
    public static PendingChange of(String component, String requester, boolean emergency, Instant requestIat) {
        return new PendingChange(component, requester, emergency, requestIat, List.of(), Optional.empty());
    }

    /** This change with one more decision. */
    public PendingChange with(Decision d) {
        List<Decision> more = new ArrayList<>(decisions.size() + 1);
        more.addAll(decisions);
        more.add(d);
        return new PendingChange(component, requester, emergency, requestIat, more, outcome);
    }

    /** This change after an event outside the decisions (withdrawn, expired, superseded, applied, failed). */
    public PendingChange withOutcome(ChangeState state) {
        return new PendingChange(component, requester, emergency, requestIat, decisions, Optional.of(state));
    }
}
