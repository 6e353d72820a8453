package org.foureyes.auditlog.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.foureyes.auditlog.EntryType;
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.ledger.ComponentState;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.PolicyInForce;
import org.foureyes.policy.ChangeState;

/**
 * What full verification found in a log that replayed without a failure: the policies in force,
 * every component's history of changes (requester, decisions with times, state, emergency and its
 * review, when it took effect), and the emergency reviews that were not done in time.
 *
 * <p>Emergency reviews are judged at {@link #reviewReferenceTime()}: the time of the last entry
 * of the verified log (a C2SP checkpoint carries no time, and the verifier never reads its own
 * clock, so the same export always gives the same report). An emergency is overdue when it took
 * effect, its review is still pending and {@code review_within} after it took effect is at or
 * before that time; it was reviewed late when the entry that decided its review (approved or
 * rejected) is at or after its due time (limits are inclusive, as for expiry).
 *
 * @param origin the log's origin
 * @param logKey the log's verifier key (the pinned one)
 * @param entries number of entries replayed
 * @param reviewReferenceTime the last entry's time, at which pending reviews are judged
 * @param policies every policy that was in force, the genesis policy first
 * @param components per component (the policy in force's, {@code policy} included, then any that
 *     an earlier policy had), its current state and its changes in id order
 * @param overdueReviews emergencies not reviewed in time, in change id order
 * @param owedAtEnd entries the log owes at its end (the checkpoint was signed in the middle of a
 *     batch): descriptions, normally empty
 */
public record AuditReport(
        String origin,
        String logKey,
        long entries,
        Instant reviewReferenceTime,
        List<PolicyVersion> policies,
        List<ComponentHistory> components,
        List<OverdueReview> overdueReviews,
        List<String> owedAtEnd) {

    public AuditReport {
        Objects.requireNonNull(origin, "origin");
        policies = List.copyOf(policies);
        components = List.copyOf(components);
        overdueReviews = List.copyOf(overdueReviews);
        owedAtEnd = List.copyOf(owedAtEnd);
    }

    /**
     * One policy that was in force.
     *
     * @param version 1 for the genesis policy, +1 per activation
     * @param seq the entry that put it in force ({@code log.genesis} or {@code policy.activated})
     * @param change the change that brought it, null for the genesis policy
     */
    public record PolicyVersion(int version, String name, String sha256, long seq, Instant activatedAt, Long change) {
    }

    /**
     * A component's current state and history.
     *
     * @param inForce whether the policy in force still declares it
     * @param configSha256 hash of its current configuration, null if none
     * @param lastAppliedChange the change that took effect last, null if none
     */
    public record ComponentHistory(String name, boolean inForce, long version, String configSha256,
            Long lastAppliedChange, Instant lastAppliedAt, List<ChangeHistory> changes) {
        public ComponentHistory {
            changes = List.copyOf(changes);
        }
    }

    /**
     * One change.
     *
     * @param id the change id (seq of its {@code change.requested} entry)
     * @param requestedAt the time of the request entry
     * @param state its state at the end of the log ({@code applied}, {@code superseded}, ...)
     * @param decisions accepted decisions in log order (for an emergency, its review included)
     * @param approvedAt when the rule came to hold (signed {@code iat} of the completing approval), or null
     * @param appliedAt when it took effect (time of the applied report or the policy activation), or null
     * @param closedAt when it was closed (anything but requested or approved), or null
     * @param closeReason the reason of an expiry or supersession, or null
     * @param review the emergency review, null for an ordinary change
     */
    public record ChangeHistory(long id, String component, String requester, Instant requestedAt, String reason,
            boolean emergency, String state, String configSha256, List<DecisionEntry> decisions, Instant approvedAt,
            Instant appliedAt, Instant closedAt, String closeReason, ReviewStatus review) {
        public ChangeHistory {
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * An accepted decision.
     *
     * @param decision {@code approve} or {@code reject}
     * @param seq its entry
     * @param time its entry's time
     * @param iat the statement's signed issue time
     * @param review whether it was made after the emergency took effect (part of its review)
     */
    public record DecisionEntry(String principal, String decision, long seq, Instant time, Instant iat,
            boolean review) {
    }

    /**
     * The review of an emergency change.
     *
     * @param status {@code not-required} (never took effect), {@code pending}, {@code approved}, {@code rejected}
     * @param due review_within after it took effect, null if it never took effect
     * @param reviewedAt time of the entry that decided the review, null if none
     * @param inTime false if overdue at the reference time or reviewed at or after {@code due}
     */
    public record ReviewStatus(String status, Instant due, Instant reviewedAt, boolean inTime) {
    }

    /**
     * An emergency not reviewed in time.
     *
     * @param reviewedAt null if never reviewed (overdue), else the late review's time
     * @param message one line naming the change, the times and the reference time
     */
    public record OverdueReview(long change, String component, Instant tookEffectAt, Instant due, Instant reviewedAt,
            String message) {
    }

    /** Builds the report from a ledger that replayed the whole log. */
    static AuditReport of(Ledger ledger) {
        Instant ref = ledger.lastTime().orElseThrow();
        List<PolicyVersion> policies = new ArrayList<>();
        int v = 1;
        for (PolicyInForce p : ledger.policyHistory()) {
            policies.add(new PolicyVersion(v++, p.policy().name(), p.sha256(), p.activatedSeq(), p.activatedAt(),
                    p.change().orElse(null)));
        }
        Map<String, List<ChangeHistory>> byComponent = new LinkedHashMap<>();
        for (ComponentState c : ledger.components()) {
            byComponent.put(c.name(), new ArrayList<>());
        }
        List<OverdueReview> overdue = new ArrayList<>();
        for (ChangeRecord r : ledger.changes(null, null)) {
            ChangeHistory h = history(r, ref);
            byComponent.computeIfAbsent(r.component(), k -> new ArrayList<>()).add(h);
            if (h.review() != null && !h.review().inTime()) {
                overdue.add(overdue(r, h, ref));
            }
        }
        List<ComponentHistory> components = new ArrayList<>();
        for (Map.Entry<String, List<ChangeHistory>> e : byComponent.entrySet()) {
            boolean inForce = ledger.policy().policy().components().containsKey(e.getKey());
            Optional<ComponentState> cs = ledger.component(e.getKey());
            components.add(new ComponentHistory(e.getKey(), inForce, cs.map(ComponentState::version).orElse(0L),
                    cs.map(ComponentState::configSha256).orElse(null),
                    cs.map(ComponentState::lastAppliedChange).orElse(null),
                    cs.map(ComponentState::lastAppliedAt).orElse(null), e.getValue()));
        }
        List<String> owed = new ArrayList<>();
        ledger.owed().forEach(d -> owed.add(d.toString()));
        return new AuditReport(ledger.origin(), ledger.logKey().toString(), ledger.size(), ref, policies, components,
                overdue, owed);
    }

    private static ChangeHistory history(ChangeRecord r, Instant ref) {
        Map<Long, Instant> times = new HashMap<>();
        Instant reviewedAt = null;
        for (ChangeRecord.Event e : r.events()) {
            times.put(e.seq(), e.time());
            if (reviewedAt == null && e.type() == EntryType.CHANGE_DECIDED && "reviewed".equals(e.state())) {
                reviewedAt = e.time();
            }
        }
        Instant tookEffect = r.tookEffectAt().orElse(null);
        List<DecisionEntry> ds = new ArrayList<>();
        for (ChangeRecord.DecisionRecord d : r.decisions()) {
            Instant t = times.get(d.seq());
            boolean review = r.emergency() && tookEffect != null && d.seq() > appliedSeq(r);
            ds.add(new DecisionEntry(d.principal(), d.kind().word(), d.seq(), t, d.iat(), review));
        }
        ReviewStatus review = null;
        if (r.emergency()) {
            Instant due = r.reviewDue().orElse(null);
            String status = r.review().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            boolean inTime = due == null
                    || (reviewedAt == null ? ref.isBefore(due) : reviewedAt.isBefore(due));
            review = new ReviewStatus(status, due, reviewedAt, inTime);
        }
        return new ChangeHistory(r.id(), r.component(), r.requester(), r.requestedAt(), r.reason(), r.emergency(),
                r.state().word(), r.configSha256(), ds, r.approvedAt().orElse(null), tookEffect,
                r.closedAt().orElse(null), r.closeReason().orElse(null), review);
    }

    /** The seq of the entry with which the change took effect, or Long.MAX_VALUE. */
    private static long appliedSeq(ChangeRecord r) {
        for (ChangeRecord.Event e : r.events()) {
            if ((e.type() == EntryType.CHANGE_REPORTED || e.type() == EntryType.POLICY_ACTIVATED)
                    && ChangeState.APPLIED.word().equals(e.state())) {
                return e.seq();
            }
        }
        return Long.MAX_VALUE;
    }

    private static OverdueReview overdue(ChangeRecord r, ChangeHistory h, Instant ref) {
        ReviewStatus s = h.review();
        String what = "change " + r.id() + " (emergency to " + r.component() + " by " + r.requester()
                + ") took effect at " + h.appliedAt() + "; its review was due at " + s.due();
        String message = s.reviewedAt() == null
                ? what + " and it is still unreviewed at " + ref + ", the time of the log's last entry"
                : what + " but it was reviewed only at " + s.reviewedAt();
        return new OverdueReview(r.id(), r.component(), h.appliedAt(), s.due(), s.reviewedAt(), message);
    }
}
