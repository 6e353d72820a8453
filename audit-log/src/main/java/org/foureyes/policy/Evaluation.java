package org.foureyes.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the decisions on a change add up to under a policy: its state, which approver fills which
 * factor slot, what is still missing, and, for an emergency, its review. {@link #explanation()}
 * says it in one sentence.
 */
public final class Evaluation {

    /**
     * An approval that counts: who, when, and the factor slot the matching gave it ({@code -1} if
     * no open slot fits, for example a second approver of a role whose factor is already full).
     *
     * @param role the role through which the approver fills the slot (or, unmatched, holds the
     *     approve right)
     */
    public record Approval(String principal, Instant iat, int factor, String role) {
        public boolean matched() {
            return factor >= 0;
        }
    }

    /** A factor that is not met yet: it still needs {@code count} approvers holding one of {@code roles}. */
    public record Missing(int factor, int count, Set<String> roles) {
        @Override
        public String toString() {
            return Words.approvals(count) + " from " + Words.list(List.copyOf(roles), "or");
        }
    }

    /** The review an emergency change needs once it is approved. */
    public enum Review {
        /** Not an emergency, or an emergency that never took effect. */
        NOT_REQUIRED,
        /** Approved as an emergency; the review (the component's ordinary rule) is not met yet. */
        PENDING,
        /** Decisions after the emergency took effect satisfy the component's ordinary rule. */
        APPROVED,
        /** An eligible reviewer rejected it: the emergency stays, and is flagged as disputed. */
        REJECTED
    }

    private final ChangeState state;
    private final PendingChange change;
    private final ApprovalRule rule;
    private final List<Approval> approvals;
    private final List<Missing> missing;
    private final Instant approvedAt;
    private final Decision rejection;
    private final Review review;
    private final List<Approval> reviewApprovals;
    private final List<Missing> reviewMissing;
    private final Decision reviewRejection;
    private final String rejectionRole;
    private final String reviewRejectionRole;
    private final Duration reviewWithin;
    private final int ignored;

    Evaluation(ChangeState state, PendingChange change, ApprovalRule rule, List<Approval> approvals,
            List<Missing> missing, Instant approvedAt, Decision rejection, Review review,
            List<Approval> reviewApprovals, List<Missing> reviewMissing, Decision reviewRejection,
            String rejectionRole, String reviewRejectionRole, Duration reviewWithin, int ignored) {
        this.rejectionRole = rejectionRole;
        this.reviewRejectionRole = reviewRejectionRole;
        this.state = state;
        this.change = change;
        this.rule = rule;
        this.approvals = approvals;
        this.missing = missing;
        this.approvedAt = approvedAt;
        this.rejection = rejection;
        this.review = review;
        this.reviewApprovals = reviewApprovals;
        this.reviewMissing = reviewMissing;
        this.reviewRejection = reviewRejection;
        this.reviewWithin = reviewWithin;
        this.ignored = ignored;
    }

    /** The change's state: derived from the decisions, unless an outcome outside them is recorded. */
    public ChangeState state() {
        return state;
    }

    public boolean emergency() {
        return change.emergency();
    }

    /** The rule the decisions were judged by: the emergency rule for an emergency, else the component's. */
    public ApprovalRule rule() {
        return rule;
    }

    /** Approvals that count, in log order, with their factor slots (review decisions excluded). */
    public List<Approval> approvals() {
        return approvals;
    }

    /** The factors not met yet, with how many approvers each still needs; empty once approved. */
    public List<Missing> missing() {
        return missing;
    }

    /**
     * When the rule came to hold: the {@code iat} of the approving decision that completed it (the
     * request's {@code iat} for an emergency whose rule needs no approval). {@code apply_ttl} runs
     * from here.
     */
    public Optional<Instant> approvedAt() {
        return Optional.ofNullable(approvedAt);
    }

    /** The rejection that ended the change, if any. */
    public Optional<Decision> rejection() {
        return Optional.ofNullable(rejection);
    }

    public Review review() {
        return review;
    }

    /** Review approvals of an emergency, with their slots under the component's ordinary rule. */
    public List<Approval> reviewApprovals() {
        return reviewApprovals;
    }

    /** What the review of an emergency still needs (empty unless the review is pending). */
    public List<Missing> reviewMissing() {
        return reviewMissing;
    }

    public Optional<Decision> reviewRejection() {
        return Optional.ofNullable(reviewRejection);
    }

    /**
     * Decisions that did not count because {@link DecisionEngine#mayDecide} would have refused
     * them (unknown, ineligible or repeated principal, the requester, a closed change). The server
     * never accepts such decisions; a verifier that finds them in a log has found a fault.
     */
    public int ignoredDecisions() {
        return ignored;
    }

    /**
     * One sentence for people, for example {@code needs 1 more approval from relay-operator or
     * network-operator} or {@code approved by nora (network-operator) and anna (analyst)}.
     */
    public String explanation() {
        String story = decisions();
        return switch (state) {
            case REQUESTED, APPROVED, REJECTED -> story;
            case WITHDRAWN -> "withdrawn by " + change.requester() + "; " + story;
            default -> state.word() + "; " + story;
        };
    }

    private String decisions() {
        StringBuilder sb = new StringBuilder();
        if (rejection != null) {
            sb.append(emergency() ? "emergency rejected by " : "rejected by ")
                    .append(rejection.principal()).append(" (").append(rejectionRole).append(')');
            if (!approvals.isEmpty()) {
                sb.append(" after approval by ").append(approvers(approvals));
            }
            return sb.toString();
        }
        if (approvedAt == null) {
            if (emergency()) {
                sb.append("emergency: ");
            }
            if (!approvals.isEmpty()) {
                sb.append("approved by ").append(approvers(approvals)).append("; ");
            }
            sb.append("needs ").append(needs(missing));
            return sb.toString();
        }
        if (!emergency()) {
            return sb.append("approved by ").append(approvers(approvals)).toString();
        }
        if (approvals.isEmpty()) {
            sb.append("approved as an emergency (its rule needs no approval)");
        } else {
            sb.append("approved as an emergency by ").append(approvers(approvals));
        }
        switch (review) {
            case PENDING -> {
                sb.append("; review within ").append(reviewWithin).append(" of taking effect");
                if (!reviewApprovals.isEmpty()) {
                    sb.append(", reviewed so far by ").append(approvers(reviewApprovals));
                }
                sb.append(", needs ").append(needs(reviewMissing));
            }
            case APPROVED -> sb.append("; reviewed by ").append(approvers(reviewApprovals));
            case REJECTED -> sb.append("; review rejected by ").append(reviewRejection.principal())
                    .append(" (").append(reviewRejectionRole).append(')');
            case NOT_REQUIRED -> { }
        }
        return sb.toString();
    }

    private static String approvers(List<Approval> list) {
        List<String> names = new ArrayList<>(list.size());
        for (Approval a : list) {
            names.add(a.principal() + " (" + a.role() + ")");
        }
        return Words.list(names, "and");
    }

    private static String needs(List<Missing> list) {
        List<String> parts = new ArrayList<>(list.size());
        for (Missing m : list) {
            parts.add(m.toString());
        }
        return Words.list(parts, "and");
    }

    @Override
    public String toString() {
        return state.word() + ": " + explanation();
    }
}
