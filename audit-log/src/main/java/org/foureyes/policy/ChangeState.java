package org.foureyes.policy;

import java.util.Locale;

/**
 * The states of a change (design: Change lifecycle).
 *
 * <pre>
 * requested -> approved | rejected | withdrawn | expired | superseded
 * approved  -> applied | failed | expired | superseded
 * </pre>
 *
 * {@link #REQUESTED}, {@link #APPROVED} and {@link #REJECTED} follow from the decisions (see
 * {@link DecisionEngine#evaluate}); the others from events outside the decisions (a withdrawal, a
 * time limit, another change applied, an agent's report), recorded in {@link PendingChange#outcome()}.
 */
public enum ChangeState {
    REQUESTED, APPROVED, REJECTED, WITHDRAWN, EXPIRED, SUPERSEDED, APPLIED, FAILED;

    /** Whether the change can still move: requested or approved. */
    public boolean isOpen() {
        return this == REQUESTED || this == APPROVED;
    }

    /** The state as written in log facts: {@code requested}, {@code approved}, ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
