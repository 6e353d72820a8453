package org.foureyes.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, for one policy, who may request and decide on changes and what the decisions on a
 * change add up to (Invariant 1 and the change lifecycle of the design).
 *
 * <p>The server enforces with this class, and the offline verifier and the agents replay the log
 * with it, so it is pure and deterministic: no clock (times are passed in and are always the signed
 * {@code iat}s of statements, or the time of a log entry), no I/O, no randomness, and results that
 * depend on the policy and the arguments only. An instance is immutable and safe to share between
 * threads. Everything that depends only on the policy (who may request or approve what, which
 * principal fits which factor of which rule) is computed once in the constructor.
 *
 * <h2>How a change's state follows from its decisions</h2>
 *
 * Decisions are taken in log order. A decision counts only if {@link #mayDecide} would allow it at
 * that point (its author is a principal, is not the requester, holds the approve right on the
 * component through some role, and has not decided on the change before); others are counted in
 * {@link Evaluation#ignoredDecisions()} and change nothing. While the change is requested, a
 * rejection ends it ({@link ChangeState#REJECTED}), and approvals are matched to the rule's factor
 * slots by a maximum bipartite matching (augmenting paths): the change is approved as soon as every
 * slot is filled. An emergency is judged by its component's emergency rule, which may need no
 * approval at all (approved at once); decisions after an emergency is approved are its review,
 * judged by the component's ordinary rule. An outcome recorded outside the decisions (withdrawn,
 * expired, superseded, applied, failed) overrides the derived state.
 */
public final class DecisionEngine {

    /** The most factors a rule may have (slots are tracked in a 64-bit mask per principal). */
    public static final int MAX_FACTORS = 64;

    private final Policy policy;
    private final Map<String, Integer> principalIds;
    private final String[] principalNames;
    private final Map<String, ComponentIndex> components;

    /** A rule, prepared for matching: slots per factor, and the factors each principal fits. */
    static final class RuleIndex {
        final ApprovalRule rule;
        final int[] capacity;
        final long[] fits; // per principal id: bit f set iff the principal fits factor f
        final String[][] slotRole; // [factor][principal]: the role through which the principal fits
        final int needed;

        RuleIndex(ApprovalRule rule, Policy policy, String[] principals, boolean[] canApprove, String component) {
            List<Factor> factors = rule.factors();
            if (factors.size() > MAX_FACTORS) {
                throw new IllegalArgumentException("the approval rule for " + component + " has " + factors.size()
                        + " factors; at most " + MAX_FACTORS + " are supported");
            }
            this.rule = rule;
            this.capacity = new int[factors.size()];
            this.fits = new long[principals.length];
            this.slotRole = new String[factors.size()][principals.length];
            int sum = 0;
            for (int f = 0; f < factors.size(); f++) {
                Factor factor = factors.get(f);
                if (factor.count() < 0) {
                    throw new IllegalArgumentException("a factor of the rule for " + component + " has a negative count");
                }
                capacity[f] = factor.count();
                sum += factor.count();
                for (int p = 0; p < principals.length; p++) {
                    if (!canApprove[p]) {
                        continue;
                    }
                    for (String role : policy.principals().get(principals[p]).roles()) {
                        if (factor.roles().contains(role)) {
                            fits[p] |= 1L << f;
                            slotRole[f][p] = role;
                            break;
                        }
                    }
                }
            }
            this.needed = sum;
        }
    }

    /** Everything about one component that decisions need, by principal id. */
    static final class ComponentIndex {
        final String name;
        final boolean[] canRequest;
        final boolean[] canApprove;
        final String[] approveRole; // the principal's first role with the approve right, for explanations
        final RuleIndex ordinary;
        final RuleIndex emergency; // null if the component declares no emergency
        final Duration reviewWithin;

        ComponentIndex(Component c, Policy policy, String[] principals) {
            this.name = c.name();
            int n = principals.length;
            canRequest = new boolean[n];
            canApprove = new boolean[n];
            approveRole = new String[n];
            Right request = new Right(Right.Action.REQUEST, name);
            Right approve = new Right(Right.Action.APPROVE, name);
            for (int p = 0; p < n; p++) {
                Principal principal = policy.principals().get(principals[p]);
                canRequest[p] = policy.holds(principal.name(), request);
                for (String role : principal.roles()) {
                    if (policy.roles().get(role).grants(approve)) {
                        canApprove[p] = true;
                        approveRole[p] = role;
                        break;
                    }
                }
            }
            ordinary = new RuleIndex(policy.approvalRule(name), policy, principals, canApprove, name);
            emergency = c.emergency()
                    .map(e -> new RuleIndex(e.approvals(), policy, principals, canApprove, name + " (emergency)"))
                    .orElse(null);
            reviewWithin = c.emergency().map(Emergency::reviewWithin).orElse(null);
        }
    }

    public DecisionEngine(Policy policy) {
        this.policy = policy;
        this.principalNames = policy.principals().keySet().toArray(new String[0]);
        this.principalIds = new HashMap<>(principalNames.length * 2);
        for (int i = 0; i < principalNames.length; i++) {
            principalIds.put(principalNames[i], i);
        }
        this.components = new HashMap<>(policy.components().size() * 2);
        for (Component c : policy.components().values()) {
            components.put(c.name(), new ComponentIndex(c, policy, principalNames));
        }
    }

    public Policy policy() {
        return policy;
    }

    // ---------------------------------------------------------------- rights

    /**
     * Whether the principal holds the right through one of its roles (the precomputed equivalent
     * of {@link Policy#holds}); false for an unknown principal or component.
     */
    public boolean holds(String principal, Right.Action action, String component) {
        ComponentIndex ci = components.get(component);
        Integer p = principalIds.get(principal);
        if (ci == null || p == null) {
            return false;
        }
        return switch (action) {
            case REQUEST -> ci.canRequest[p];
            case APPROVE -> ci.canApprove[p];
            case REPORT -> policy.holds(principal, new Right(Right.Action.REPORT, component));
        };
    }

    /**
     * Whether the principal may request a change to the component: it is a principal of the
     * policy, holds {@code request} on the component, and, for an emergency, the component declares
     * one. (Whether the configuration is acceptable is for {@link ContentGuards} and, for an
     * emergency, {@link EmergencyCheck}.)
     */
    public Verdict mayRequest(String principal, String component, boolean emergency) {
        Integer p = principalIds.get(principal);
        if (p == null) {
            return Verdict.refused(unknownPrincipal(principal));
        }
        ComponentIndex ci = components.get(component);
        if (ci == null) {
            return Verdict.refused(unknownComponent(component));
        }
        if (!ci.canRequest[p]) {
            return Verdict.refused(lacksRight(principal, "request", component));
        }
        if (emergency && ci.emergency == null) {
            return Verdict.refused(component + " declares no emergency change; request an ordinary change");
        }
        return Verdict.ALLOWED;
    }

    /**
     * Whether the principal may now approve or reject the change. Refused: an unknown principal,
     * a change that takes no decisions in its state (closed, or an ordinary change already
     * approved), the requester, a principal without the approve right on the component (only an
     * eligible principal may reject, too), and a second decision by the same person.
     *
     * <p>Decisions on an approved or applied emergency are allowed: they are its review.
     */
    public Verdict mayDecide(PendingChange change, String principal, DecisionKind kind) {
        ComponentIndex ci = components.get(change.component());
        if (ci == null) {
            return Verdict.refused(unknownComponent(change.component()));
        }
        Integer p = principalIds.get(principal);
        if (p == null) {
            return Verdict.refused(unknownPrincipal(principal));
        }
        ChangeState state = state(change, ci);
        boolean open = state == ChangeState.REQUESTED
                || (change.emergency() && (state == ChangeState.APPROVED || state == ChangeState.APPLIED));
        if (!open) {
            return Verdict.refused(state == ChangeState.APPROVED
                    ? "the change is already approved and takes no more decisions"
                    : "the change is " + state.word() + " and takes no more decisions");
        }
        if (principal.equals(change.requester())) {
            return Verdict.refused(kind == DecisionKind.APPROVE
                    ? principal + " may not approve their own change"
                    : principal + " may not reject their own change (a requester withdraws it instead)");
        }
        if (!ci.canApprove[p]) {
            return Verdict.refused(lacksRight(principal, "approve", change.component())
                    + (kind == DecisionKind.REJECT ? "; only an eligible principal may reject" : ""));
        }
        List<Decision> decisions = change.decisions();
        for (int i = 0, n = decisions.size(); i < n; i++) {
            if (decisions.get(i).principal().equals(principal)) {
                return Verdict.refused(principal + " has already decided on this change (one person counts once)");
            }
        }
        return Verdict.ALLOWED;
    }

    // ---------------------------------------------------------------- evaluation

    /** The state, matching, what is missing and the explanation of a change. */
    public Evaluation evaluate(PendingChange change) {
        ComponentIndex ci = component(change.component());
        return (Evaluation) run(change, ci, true);
    }

    /** The change's state only (what {@link #evaluate} would say), without building the details. */
    public ChangeState state(PendingChange change) {
        return state(change, component(change.component()));
    }

    private ChangeState state(PendingChange change, ComponentIndex ci) {
        return (ChangeState) run(change, ci, false);
    }

    private ComponentIndex component(String name) {
        ComponentIndex ci = components.get(name);
        if (ci == null) {
            throw new IllegalArgumentException(unknownComponent(name));
        }
        return ci;
    }

    /**
     * Replays the decisions. Returns the state, or (when {@code full}) the whole evaluation, so the
     * fast path ({@link #mayDecide}) shares the very logic that {@link #evaluate} uses.
     */
    private Object run(PendingChange change, ComponentIndex ci, boolean full) {
        RuleIndex rule;
        if (change.emergency()) {
            if (ci.emergency == null) {
                throw new IllegalArgumentException(ci.name + " declares no emergency change");
            }
            rule = ci.emergency;
        } else {
            rule = ci.ordinary;
        }
        List<Decision> decisions = change.decisions();
        int n = decisions.size();
        Integer requesterId = principalIds.get(change.requester());
        int requester = requesterId == null ? -1 : requesterId;

        Matching matching = new Matching(rule, n);
        Matching review = null;
        int[] counted = new int[n];
        int countedSize = 0;
        int ignored = 0;
        ChangeState state = ChangeState.REQUESTED;
        Instant approvedAt = null;
        Decision rejection = null;
        Decision reviewRejection = null;
        int[] approvalDecision = full ? new int[n] : null; // decision index per matching entry
        int[] reviewDecision = null;
        if (rule.needed == 0) {
            state = ChangeState.APPROVED;
            approvedAt = change.requestIat();
        }
        for (int i = 0; i < n; i++) {
            Decision d = decisions.get(i);
            Integer idBox = principalIds.get(d.principal());
            if (idBox == null) {
                ignored++;
                continue;
            }
            int id = idBox;
            if (id == requester || !ci.canApprove[id] || contains(counted, countedSize, id)) {
                ignored++;
                continue;
            }
            if (state == ChangeState.REQUESTED) {
                counted[countedSize++] = id;
                if (d.kind() == DecisionKind.REJECT) {
                    state = ChangeState.REJECTED;
                    rejection = d;
                } else {
                    if (full) {
                        approvalDecision[matching.size()] = i;
                    }
                    matching.add(id);
                    if (matching.matched() == rule.needed) {
                        state = ChangeState.APPROVED;
                        approvedAt = d.iat();
                    }
                }
            } else if (state == ChangeState.APPROVED && change.emergency()) {
                counted[countedSize++] = id;
                if (d.kind() == DecisionKind.REJECT) {
                    if (reviewRejection == null) {
                        reviewRejection = d;
                    }
                } else {
                    if (review == null) {
                        review = new Matching(ci.ordinary, n);
                        reviewDecision = new int[n];
                    }
                    reviewDecision[review.size()] = i;
                    review.add(id);
                }
            } else {
                ignored++;
            }
        }
        ChangeState derived = state;
        ChangeState finalState = change.outcome().orElse(derived);
        if (!full) {
            return finalState;
        }

        Evaluation.Review reviewState = Evaluation.Review.NOT_REQUIRED;
        boolean tookEffectOrMay = derived == ChangeState.APPROVED
                && (change.outcome().isEmpty() || change.outcome().get() == ChangeState.APPLIED);
        if (change.emergency() && tookEffectOrMay) {
            if (reviewRejection != null) {
                reviewState = Evaluation.Review.REJECTED;
            } else if (review != null && review.matched() == ci.ordinary.needed || ci.ordinary.needed == 0) {
                reviewState = Evaluation.Review.APPROVED;
            } else {
                reviewState = Evaluation.Review.PENDING;
            }
        }
        List<Evaluation.Approval> approvals = approvals(matching, approvalDecision, decisions, rule, ci);
        List<Evaluation.Missing> missing = derived == ChangeState.REQUESTED ? missing(matching, rule) : List.of();
        List<Evaluation.Approval> reviewApprovals = review == null
                ? List.of() : approvals(review, reviewDecision, decisions, ci.ordinary, ci);
        List<Evaluation.Missing> reviewMissing = reviewState != Evaluation.Review.PENDING
                ? List.of() : review == null ? missing(new Matching(ci.ordinary, 0), ci.ordinary) : missing(review, ci.ordinary);
        return new Evaluation(finalState, change, rule.rule, approvals, missing, approvedAt, rejection, reviewState,
                reviewApprovals, reviewMissing, reviewRejection,
                rejection == null ? null : ci.approveRole[principalIds.get(rejection.principal())],
                reviewRejection == null ? null : ci.approveRole[principalIds.get(reviewRejection.principal())],
                ci.reviewWithin, ignored);
    }

    private static boolean contains(int[] a, int size, int v) {
        for (int i = 0; i < size; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    private List<Evaluation.Approval> approvals(Matching m, int[] decisionIndex, List<Decision> decisions,
            RuleIndex rule, ComponentIndex ci) {
        List<Evaluation.Approval> out = new ArrayList<>(m.size());
        for (int k = 0; k < m.size(); k++) {
            int id = m.who[k];
            int f = m.assign[k];
            String role = f >= 0 ? rule.slotRole[f][id] : ci.approveRole[id];
            out.add(new Evaluation.Approval(principalNames[id], decisions.get(decisionIndex[k]).iat(), f, role));
        }
        return List.copyOf(out);
    }

    private static List<Evaluation.Missing> missing(Matching m, RuleIndex rule) {
        List<Evaluation.Missing> out = new ArrayList<>();
        List<Factor> factors = rule.rule.factors();
        for (int f = 0; f < factors.size(); f++) {
            int short_ = rule.capacity[f] - m.load[f];
            if (short_ > 0) {
                out.add(new Evaluation.Missing(f, short_, factors.get(f).roles()));
            }
        }
        return List.copyOf(out);
    }

    /**
     * A maximum matching of approvers to factor slots, grown one approver at a time by augmenting
     * paths. All slots of a factor are alike, so a factor is a vertex with capacity {@code count};
     * an augmenting path visits each factor at most once.
     */
    static final class Matching {
        private final RuleIndex rule;
        final int[] who;
        final int[] assign;
        final int[] load;
        private int size;
        private int matched;
        private long visited;

        Matching(RuleIndex rule, int maxApprovers) {
            this.rule = rule;
            this.who = new int[maxApprovers];
            this.assign = new int[maxApprovers];
            this.load = new int[rule.capacity.length];
        }

        int size() {
            return size;
        }

        int matched() {
            return matched;
        }

        /** Adds an approver (a principal id) and grows the matching if an augmenting path exists. */
        void add(int principal) {
            int k = size++;
            who[k] = principal;
            assign[k] = -1;
            if (matched < rule.needed) {
                visited = 0L;
                if (augment(k)) {
                    matched++;
                }
            }
        }

        private boolean augment(int k) {
            long candidates = rule.fits[who[k]] & ~visited;
            while (candidates != 0) {
                int f = Long.numberOfTrailingZeros(candidates);
                candidates &= candidates - 1;
                if ((visited & (1L << f)) != 0) {
                    continue;
                }
                visited |= 1L << f;
                if (load[f] < rule.capacity[f]) {
                    place(k, f);
                    return true;
                }
                for (int j = 0; j < size; j++) {
                    if (j != k && assign[j] == f && augment(j)) {
                        place(k, f);
                        return true;
                    }
                }
            }
            return false;
        }

        private void place(int k, int f) {
            if (assign[k] >= 0) {
                load[assign[k]]--;
            }
            assign[k] = f;
            load[f]++;
        }
    }

    // ---------------------------------------------------------------- time limits

    /**
     * Whether a requested change has expired: {@code now >= iat + pending_ttl} and it is still
     * waiting for approvals. {@code now} is the signed time the judgement is made at (the server's
     * entry time, or a later entry's time when replaying), never a checker's own clock.
     */
    public boolean pendingExpired(PendingChange change, Instant now) {
        return state(change) == ChangeState.REQUESTED
                && !now.isBefore(change.requestIat().plus(policy.timing().pendingTtl()));
    }

    /** Whether an approval given at {@code lastApprovingIat} is too old to apply: {@code now >= last + apply_ttl}. */
    public boolean approvalExpired(Instant lastApprovingIat, Instant now) {
        return !now.isBefore(lastApprovingIat.plus(policy.timing().applyTtl()));
    }

    /** Whether an approved, not yet applied change has expired (apply_ttl after {@link Evaluation#approvedAt()}). */
    public boolean approvalExpired(PendingChange change, Instant now) {
        Evaluation e = evaluate(change);
        return e.state() == ChangeState.APPROVED && approvalExpired(e.approvedAt().orElseThrow(), now);
    }

    /** When the review of an emergency that took effect at {@code tookEffect} is due (empty if not an emergency). */
    public Optional<Instant> reviewDeadline(PendingChange change, Instant tookEffect) {
        if (!change.emergency()) {
            return Optional.empty();
        }
        return Optional.of(tookEffect.plus(component(change.component()).reviewWithin));
    }

    /**
     * Whether an emergency that took effect at {@code tookEffect} is still unreviewed at
     * {@code now >= tookEffect + review_within} (to be flagged on the page and by the verifier). A
     * rejected review is not overdue: it is a review, and flagged as disputed instead.
     */
    public boolean reviewOverdue(PendingChange change, Instant tookEffect, Instant now) {
        if (!change.emergency()) {
            return false;
        }
        Evaluation e = evaluate(change);
        return e.review() == Evaluation.Review.PENDING && !now.isBefore(reviewDeadline(change, tookEffect).get());
    }

    // ---------------------------------------------------------------- refusals

    private String unknownPrincipal(String principal) {
        return principal + " is not a principal of policy " + policy.name();
    }

    private String unknownComponent(String component) {
        return "there is no component " + component + " in policy " + policy.name();
    }

    private String lacksRight(String principal, String right, String component) {
        List<String> roles = policy.principals().get(principal).roles();
        return principal + " (roles: " + (roles.isEmpty() ? "none" : String.join(", ", roles)) + ") holds no role with the "
                + right + " right on " + component;
    }
}
