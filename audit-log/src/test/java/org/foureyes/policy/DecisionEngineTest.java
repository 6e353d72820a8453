package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.policy.PolicyFixture.factor;
import static org.foureyes.policy.PolicyFixture.rule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DecisionEngineTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final DecisionEngine TOR = new DecisionEngine(PolicyFixture.torExit());

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private static PendingChange relayChange() {
        return PendingChange.of("relay", "rudolf", false, T0);
    }

    private static PendingChange policyChange() {
        return PendingChange.of("policy", "rudolf", false, T0);
    }

    private static PendingChange monitorEmergency() {
        return PendingChange.of("monitor", "anna", true, T0);
    }

    // ------------------------------------------------------------- mayRequest

    @Test
    void mayRequest_operatorOnOwnComponent_allowed() {
        assertThat(TOR.mayRequest("rudolf", "relay", false)).isEqualTo(Verdict.ALLOWED);
        assertThat(TOR.mayRequest("anna", "policy", false).allowed()).isTrue();
    }

    @Test
    void mayRequest_withoutRequestRight_refusedNamingRoles() {
        assertThat(TOR.mayRequest("anna", "relay", false))
                .isEqualTo(Verdict.refused("anna (roles: analyst) holds no role with the request right on relay"));
        assertThat(TOR.mayRequest("relay-agent", "relay", false).reason())
                .isEqualTo("relay-agent (roles: relay-agent) holds no role with the request right on relay");
    }

    @Test
    void mayRequest_unknownPrincipalOrComponent_refused() {
        assertThat(TOR.mayRequest("mallory", "relay", false).reason()).isEqualTo("mallory is not a principal of policy tor-exit");
        assertThat(TOR.mayRequest("rudolf", "firewall", false).reason())
                .isEqualTo("there is no component firewall in policy tor-exit");
    }

    @Test
    void mayRequest_emergency_onlyWhereDeclared() {
        assertThat(TOR.mayRequest("anna", "monitor", true).allowed()).isTrue();
        assertThat(TOR.mayRequest("rudolf", "relay", true).reason())
                .isEqualTo("relay declares no emergency change; request an ordinary change");
    }

    // ------------------------------------------------------------- mayDecide

    @Test
    void mayDecide_selfApproval_refused() {
        // rudolf holds approve:policy, but requested this change
        assertThat(TOR.mayDecide(policyChange(), "rudolf", DecisionKind.APPROVE).reason())
                .isEqualTo("rudolf may not approve their own change");
        assertThat(TOR.mayDecide(policyChange(), "rudolf", DecisionKind.REJECT).reason())
                .isEqualTo("rudolf may not reject their own change (a requester withdraws it instead)");
    }

    @Test
    void mayDecide_wrongRole_refusedNamingRoles() {
        PendingChange change = PendingChange.of("monitor", "anna", false, T0);

        assertThat(TOR.mayDecide(change, "aude", DecisionKind.APPROVE).reason())
                .isEqualTo("aude (roles: auditor) holds no role with the approve right on monitor");
        assertThat(TOR.mayDecide(relayChange(), "rudolf", DecisionKind.APPROVE).reason())
                .isEqualTo("rudolf may not approve their own change");
        assertThat(TOR.mayDecide(PendingChange.of("monitor", "nora", false, T0), "anna", DecisionKind.APPROVE).reason())
                .isEqualTo("anna (roles: analyst) holds no role with the approve right on monitor");
    }

    @Test
    void mayDecide_eligiblePrincipal_allowed() {
        assertThat(TOR.mayDecide(relayChange(), "nora", DecisionKind.APPROVE)).isEqualTo(Verdict.ALLOWED);
        assertThat(TOR.mayDecide(relayChange(), "anna", DecisionKind.REJECT)).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void mayDecide_samePrincipalTwice_refused() {
        PendingChange change = policyChange().with(Decision.approve("nora", at(1)));

        assertThat(TOR.mayDecide(change, "nora", DecisionKind.APPROVE).reason())
                .isEqualTo("nora has already decided on this change (one person counts once)");
        assertThat(TOR.mayDecide(change, "nora", DecisionKind.REJECT).refused()).isTrue();
    }

    @Test
    void mayDecide_ineligibleReject_refused() {
        PendingChange change = PendingChange.of("monitor", "nora", false, T0);

        assertThat(TOR.mayDecide(change, "anna", DecisionKind.REJECT).reason())
                .isEqualTo("anna (roles: analyst) holds no role with the approve right on monitor; "
                        + "only an eligible principal may reject");
    }

    @Test
    void mayDecide_unknownPrincipal_refused() {
        assertThat(TOR.mayDecide(relayChange(), "mallory", DecisionKind.APPROVE).reason())
                .isEqualTo("mallory is not a principal of policy tor-exit");
    }

    @ParameterizedTest
    @EnumSource(value = ChangeState.class, names = {"WITHDRAWN", "EXPIRED", "SUPERSEDED", "APPLIED", "FAILED"})
    void mayDecide_closedChange_refused(ChangeState outcome) {
        PendingChange change = relayChange().withOutcome(outcome);

        assertThat(TOR.mayDecide(change, "nora", DecisionKind.APPROVE).reason())
                .isEqualTo("the change is " + outcome.word() + " and takes no more decisions");
    }

    @Test
    void mayDecide_rejectedChange_refused() {
        PendingChange change = policyChange().with(Decision.reject("nora", at(1)));

        assertThat(TOR.mayDecide(change, "anna", DecisionKind.APPROVE).reason())
                .isEqualTo("the change is rejected and takes no more decisions");
    }

    @Test
    void mayDecide_approvedOrdinaryChange_refused() {
        PendingChange change = relayChange().with(Decision.approve("nora", at(1)));

        assertThat(TOR.mayDecide(change, "anna", DecisionKind.REJECT).reason())
                .isEqualTo("the change is already approved and takes no more decisions");
    }

    // ------------------------------------------------------------- evaluate

    @Test
    void evaluate_noDecisions_explainsWhatIsMissing() {
        Evaluation e = TOR.evaluate(relayChange());

        assertThat(e.state()).isEqualTo(ChangeState.REQUESTED);
        assertThat(e.explanation()).isEqualTo("needs 1 more approval from relay-operator, network-operator or analyst");
        assertThat(e.missing()).containsExactly(new Evaluation.Missing(0, 1, Set.of("relay-operator", "network-operator", "analyst")));
    }

    @Test
    void evaluate_factorNotYetMet_explanationListsApprovalsAndMissing() {
        Evaluation e = TOR.evaluate(policyChange().with(Decision.approve("nora", at(1))));

        assertThat(e.state()).isEqualTo(ChangeState.REQUESTED);
        assertThat(e.explanation())
                .isEqualTo("approved by nora (network-operator); needs 1 more approval from relay-operator, network-operator or analyst");
    }

    @Test
    void evaluate_ruleMet_approvedAtLastApproval() {
        Evaluation e = TOR.evaluate(policyChange()
                .with(Decision.approve("nora", at(1)))
                .with(Decision.approve("anna", at(5))));

        assertThat(e.state()).isEqualTo(ChangeState.APPROVED);
        assertThat(e.explanation()).isEqualTo("approved by nora (network-operator) and anna (analyst)");
        assertThat(e.approvedAt()).contains(at(5));
        assertThat(e.missing()).isEmpty();
        assertThat(e.approvals()).extracting(Evaluation.Approval::matched).containsExactly(true, true);
    }

    @Test
    void evaluate_samePrincipalTwiceInLog_countsOnce() {
        Evaluation e = TOR.evaluate(policyChange()
                .with(Decision.approve("nora", at(1)))
                .with(Decision.approve("nora", at(2))));

        assertThat(e.state()).isEqualTo(ChangeState.REQUESTED);
        assertThat(e.approvals()).hasSize(1);
        assertThat(e.ignoredDecisions()).isEqualTo(1);
    }

    @Test
    void evaluate_selfApprovalAndStrangersInLog_ignored() {
        Evaluation e = TOR.evaluate(policyChange()
                .with(Decision.approve("rudolf", at(1)))
                .with(Decision.approve("mallory", at(2)))
                .with(Decision.approve("aude", at(3))));

        assertThat(e.state()).isEqualTo(ChangeState.REQUESTED);
        assertThat(e.ignoredDecisions()).isEqualTo(3);
        assertThat(e.explanation()).isEqualTo("needs 2 more approvals from relay-operator, network-operator or analyst");
    }

    @Test
    void evaluate_principalWithTwoRoles_countsOnceAcrossFactors() {
        Policy p = new PolicyFixture("two-hats")
                .component("monitor")
                .role("relay-operator", "approve:monitor")
                .role("network-operator", "approve:monitor", "request:monitor")
                .principal("dora", "relay-operator", "network-operator")
                .principal("nick", "network-operator")
                .principal("rene", "relay-operator")
                .rule("monitor", rule(factor(1, "relay-operator"), factor(1, "network-operator")))
                .build();
        DecisionEngine engine = new DecisionEngine(p);
        PendingChange change = PendingChange.of("monitor", "nick", false, T0).with(Decision.approve("dora", at(1)));

        Evaluation e = engine.evaluate(change);

        assertThat(e.state()).isEqualTo(ChangeState.REQUESTED);
        assertThat(e.explanation()).isEqualTo("approved by dora (relay-operator); needs 1 more approval from network-operator");
        assertThat(engine.mayDecide(change, "dora", DecisionKind.APPROVE).refused()).isTrue();
        // a second person completes it: dora moves to whichever slot is left
        assertThat(engine.evaluate(change.with(Decision.approve("rene", at(2)))).explanation())
                .isEqualTo("approved by dora (network-operator) and rene (relay-operator)");
    }

    /** Factor 0 takes role a or b, factor 1 only a. Greedy puts the first approver (a) into factor 0. */
    private static Policy greedyTrap() {
        return new PolicyFixture("greedy-trap")
                .component("x")
                .role("a", "approve:x")
                .role("b", "approve:x")
                .role("requester", "request:x")
                .principal("alice", "a")
                .principal("bob", "b")
                .principal("rita", "requester")
                .rule("x", rule(factor(1, "a", "b"), factor(1, "a")))
                .build();
    }

    /** First-fit assignment in decision order, as a naive implementation would do it. */
    private static boolean greedyHolds(Policy p, String component, List<String> approvers) {
        List<Factor> factors = p.approvalRule(component).factors();
        int[] load = new int[factors.size()];
        int filled = 0;
        for (String a : approvers) {
            for (int f = 0; f < factors.size(); f++) {
                if (load[f] < factors.get(f).count()
                        && p.principals().get(a).roles().stream().anyMatch(factors.get(f).roles()::contains)) {
                    load[f]++;
                    filled++;
                    break;
                }
            }
        }
        return filled == p.approvalRule(component).approversNeeded();
    }

    @Test
    void evaluate_greedyAssignmentFails_matchingFindsApproval() {
        Policy p = greedyTrap();
        assertThat(greedyHolds(p, "x", List.of("alice", "bob"))).as("greedy").isFalse();

        Evaluation e = new DecisionEngine(p).evaluate(PendingChange.of("x", "rita", false, T0)
                .with(Decision.approve("alice", at(1)))
                .with(Decision.approve("bob", at(2))));

        assertThat(e.state()).isEqualTo(ChangeState.APPROVED);
        assertThat(e.approvals()).extracting(Evaluation.Approval::principal, Evaluation.Approval::factor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", 1), org.assertj.core.groups.Tuple.tuple("bob", 0));
        assertThat(e.explanation()).isEqualTo("approved by alice (a) and bob (b)");
    }

    @Test
    void evaluate_rejection_endsChange() {
        Evaluation e = TOR.evaluate(policyChange()
                .with(Decision.approve("anna", at(1)))
                .with(Decision.reject("nora", at(2)))
                .with(Decision.approve("aude", at(3))));

        assertThat(e.state()).isEqualTo(ChangeState.REJECTED);
        assertThat(e.rejection()).contains(Decision.reject("nora", at(2)));
        assertThat(e.explanation()).isEqualTo("rejected by nora (network-operator) after approval by anna (analyst)");
        assertThat(e.approvedAt()).isEmpty();
    }

    @Test
    void evaluate_ineligibleRejectInLog_ignored() {
        Evaluation e = TOR.evaluate(PendingChange.of("monitor", "nora", false, T0).with(Decision.reject("anna", at(1))));

        assertThat(e.state()).isEqualTo(ChangeState.REQUESTED);
        assertThat(e.ignoredDecisions()).isEqualTo(1);
    }

    @Test
    void evaluate_outcome_overridesDerivedState() {
        Evaluation e = TOR.evaluate(relayChange().withOutcome(ChangeState.WITHDRAWN));

        assertThat(e.state()).isEqualTo(ChangeState.WITHDRAWN);
        assertThat(e.explanation())
                .isEqualTo("withdrawn by rudolf; needs 1 more approval from relay-operator, network-operator or analyst");
        assertThat(TOR.evaluate(relayChange().with(Decision.approve("anna", at(1))).withOutcome(ChangeState.APPLIED))
                .explanation()).isEqualTo("applied; approved by anna (analyst)");
    }

    @Test
    void evaluate_multipleUnmetFactors_eachListed() {
        Policy p = new PolicyFixture("two-factors")
                .component("monitor")
                .role("op", "approve:monitor", "request:monitor")
                .role("auditor", "approve:monitor")
                .principal("o1", "op").principal("o2", "op").principal("o3", "op").principal("au", "auditor")
                .rule("monitor", rule(factor(2, "op"), factor(1, "auditor")))
                .build();

        Evaluation e = new DecisionEngine(p).evaluate(PendingChange.of("monitor", "o1", false, T0));

        assertThat(e.explanation()).isEqualTo("needs 2 more approvals from op and 1 more approval from auditor");
    }

    // ------------------------------------------------------------- emergencies

    @Test
    void evaluate_emergencyWithZeroApprovals_approvedAtOnceAndReviewPending() {
        Evaluation e = TOR.evaluate(monitorEmergency());

        assertThat(e.state()).isEqualTo(ChangeState.APPROVED);
        assertThat(e.approvedAt()).contains(T0);
        assertThat(e.review()).isEqualTo(Evaluation.Review.PENDING);
        assertThat(e.explanation()).isEqualTo("approved as an emergency (its rule needs no approval); review within PT24H "
                + "of taking effect, needs 1 more approval from relay-operator, network-operator or analyst");
    }

    @Test
    void evaluate_emergencyDecisionAfterApproval_isReview() {
        PendingChange applied = monitorEmergency().withOutcome(ChangeState.APPLIED);
        assertThat(TOR.mayDecide(applied, "rudolf", DecisionKind.APPROVE)).isEqualTo(Verdict.ALLOWED);

        Evaluation e = TOR.evaluate(applied.with(Decision.approve("rudolf", at(60))));

        assertThat(e.state()).isEqualTo(ChangeState.APPLIED);
        assertThat(e.review()).isEqualTo(Evaluation.Review.APPROVED);
        assertThat(e.approvals()).isEmpty();
        assertThat(e.reviewApprovals()).extracting(Evaluation.Approval::principal).containsExactly("rudolf");
        assertThat(e.explanation()).isEqualTo("applied; approved as an emergency (its rule needs no approval); "
                + "reviewed by rudolf (relay-operator)");
    }

    @Test
    void evaluate_emergencyReviewRejected_flaggedNotUndone() {
        Evaluation e = TOR.evaluate(monitorEmergency().with(Decision.reject("nora", at(5))));

        assertThat(e.state()).isEqualTo(ChangeState.APPROVED);
        assertThat(e.review()).isEqualTo(Evaluation.Review.REJECTED);
        assertThat(e.explanation()).endsWith("; review rejected by nora (network-operator)");
    }

    @Test
    void evaluate_emergencyWithApprovalRule_waitsForIt() {
        Policy p = new PolicyFixture("strict-emergency")
                .emergencyComponent("monitor", "capture.enabled", rule(factor(1, "op")), Duration.ofHours(1))
                .role("op", "approve:monitor", "request:monitor")
                .principal("o1", "op").principal("o2", "op").principal("o3", "op")
                .defaultRule(rule(factor(2, "op")))
                .build();
        DecisionEngine engine = new DecisionEngine(p);
        PendingChange change = PendingChange.of("monitor", "o1", true, T0);

        assertThat(engine.evaluate(change).explanation()).isEqualTo("emergency: needs 1 more approval from op");
        Evaluation approved = engine.evaluate(change.with(Decision.approve("o2", at(1))));
        assertThat(approved.state()).isEqualTo(ChangeState.APPROVED);
        assertThat(approved.approvedAt()).contains(at(1));
        // the review is the ordinary rule (2 of op); o2 already decided, o3 is the only reviewer left
        assertThat(approved.review()).isEqualTo(Evaluation.Review.PENDING);
        assertThat(approved.explanation()).isEqualTo("approved as an emergency by o2 (op); review within PT1H of taking "
                + "effect, needs 2 more approvals from op");
    }

    @Test
    void evaluate_emergencyOnComponentWithout_throws() {
        assertThatThrownBy(() -> TOR.evaluate(PendingChange.of("relay", "rudolf", true, T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("relay declares no emergency change");
    }

    @Test
    void reviewOverdue_boundaries() {
        PendingChange applied = monitorEmergency().withOutcome(ChangeState.APPLIED);
        Instant tookEffect = at(10);
        Instant deadline = tookEffect.plus(Duration.ofHours(24));

        assertThat(TOR.reviewDeadline(applied, tookEffect)).contains(deadline);
        assertThat(TOR.reviewOverdue(applied, tookEffect, deadline.minusNanos(1))).isFalse();
        assertThat(TOR.reviewOverdue(applied, tookEffect, deadline)).isTrue();
        assertThat(TOR.reviewOverdue(applied.with(Decision.approve("nora", at(20))), tookEffect, deadline)).isFalse();
        assertThat(TOR.reviewOverdue(relayChange(), tookEffect, deadline)).isFalse();
    }

    // ------------------------------------------------------------- expiry

    @Test
    void pendingExpired_boundaries() {
        Instant limit = T0.plus(Duration.ofDays(7));

        assertThat(TOR.pendingExpired(policyChange(), limit.minusNanos(1))).isFalse();
        assertThat(TOR.pendingExpired(policyChange(), limit)).isTrue();
        assertThat(TOR.pendingExpired(policyChange().with(Decision.approve("nora", at(1))), limit)).isTrue();
        assertThat(TOR.pendingExpired(relayChange().with(Decision.approve("nora", at(1))), limit))
                .as("approved, not pending").isFalse();
        assertThat(TOR.pendingExpired(relayChange().withOutcome(ChangeState.WITHDRAWN), limit)).isFalse();
    }

    @Test
    void approvalExpired_boundaries() {
        Instant approvedAt = at(30);
        Instant limit = approvedAt.plus(Duration.ofHours(24));
        PendingChange approved = relayChange().with(Decision.approve("nora", approvedAt));

        assertThat(TOR.approvalExpired(approvedAt, limit.minusNanos(1))).isFalse();
        assertThat(TOR.approvalExpired(approvedAt, limit)).isTrue();
        assertThat(TOR.approvalExpired(approved, limit.minusNanos(1))).isFalse();
        assertThat(TOR.approvalExpired(approved, limit)).isTrue();
        assertThat(TOR.approvalExpired(approved.withOutcome(ChangeState.APPLIED), limit)).isFalse();
        assertThat(TOR.approvalExpired(relayChange(), limit)).as("never approved").isFalse();
    }

    @Test
    void state_matchesEvaluate() {
        PendingChange c = policyChange().with(Decision.approve("nora", at(1)));
        assertThat(TOR.state(c)).isEqualTo(TOR.evaluate(c).state()).isEqualTo(ChangeState.REQUESTED);
    }

    @Test
    void pendingChange_outcomeDerivedFromDecisions_refused() {
        assertThatThrownBy(() -> relayChange().withOutcome(ChangeState.APPROVED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------- matching against brute force

    /**
     * For random rules and approvers (seeded, so reproducible), the engine approves exactly when some
     * assignment of distinct approvers to slots exists, found here by exhaustive search.
     */
    @Test
    void evaluate_randomRules_agreesWithExhaustiveSearch() {
        Random random = new Random(20261125L);
        String[] roleNames = {"r0", "r1", "r2", "r3"};
        for (int round = 0; round < 400; round++) {
            PolicyFixture fx = new PolicyFixture("random").component("c").role("req", "request:c").principal("req", "req");
            for (String r : roleNames) {
                fx.role(r, "approve:c");
            }
            int nPrincipals = 1 + random.nextInt(5);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < nPrincipals; i++) {
                List<String> held = new ArrayList<>();
                for (String r : roleNames) {
                    if (random.nextInt(3) == 0) {
                        held.add(r);
                    }
                }
                if (held.isEmpty()) {
                    held.add(roleNames[random.nextInt(roleNames.length)]);
                }
                fx.principal("p" + i, held.toArray(new String[0]));
                names.add("p" + i);
            }
            int nFactors = 1 + random.nextInt(3);
            Factor[] factors = new Factor[nFactors];
            for (int f = 0; f < nFactors; f++) {
                List<String> roles = new ArrayList<>();
                for (String r : roleNames) {
                    if (random.nextBoolean()) {
                        roles.add(r);
                    }
                }
                if (roles.isEmpty()) {
                    roles.add(roleNames[random.nextInt(roleNames.length)]);
                }
                factors[f] = factor(1 + random.nextInt(2), roles.toArray(new String[0]));
            }
            Policy p = fx.rule("c", rule(factors)).build();
            PendingChange change = PendingChange.of("c", "req", false, T0);
            java.util.Collections.shuffle(names, random);
            for (int i = 0; i < names.size(); i++) {
                change = change.with(Decision.approve(names.get(i), at(i + 1)));
            }

            boolean expected = exhaustive(p, names, factors);
            Evaluation e = new DecisionEngine(p).evaluate(change);

            // approved iff a perfect assignment exists among all approvers (once approved, later ones are ignored)
            assertThat(e.state() == ChangeState.APPROVED).as("round %d: %s %s", round, Arrays.toString(factors), names)
                    .isEqualTo(expected);
            if (!expected) {
                int matched = (int) e.approvals().stream().filter(Evaluation.Approval::matched).count();
                int missing = e.missing().stream().mapToInt(Evaluation.Missing::count).sum();
                assertThat(matched + missing).isEqualTo(p.approvalRule("c").approversNeeded());
                assertThat(matched).isEqualTo(maxAssigned(p, names, factors, 0, new int[factors.length]));
            }
        }
    }

    private static boolean exhaustive(Policy p, List<String> approvers, Factor[] factors) {
        int needed = Arrays.stream(factors).mapToInt(Factor::count).sum();
        return maxAssigned(p, approvers, factors, 0, new int[factors.length]) == needed;
    }

    /** The most slots distinct approvers can fill, trying every approver in every fitting factor or none. */
    private static int maxAssigned(Policy p, List<String> approvers, Factor[] factors, int i, int[] load) {
        if (i == approvers.size()) {
            return 0;
        }
        int best = maxAssigned(p, approvers, factors, i + 1, load);
        List<String> roles = p.principals().get(approvers.get(i)).roles();
        for (int f = 0; f < factors.length; f++) {
            if (load[f] < factors[f].count() && roles.stream().anyMatch(factors[f].roles()::contains)) {
                load[f]++;
                best = Math.max(best, 1 + maxAssigned(p, approvers, factors, i + 1, load));
                load[f]--;
            }
        }
        return best;
    }
}
