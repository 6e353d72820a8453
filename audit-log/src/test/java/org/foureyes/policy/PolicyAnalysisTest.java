package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.policy.TestPolicies.checked;
import static org.foureyes.policy.TestPolicies.unchecked;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PolicyAnalysisTest {

    private static final String DEFAULT_1 =
            "approvals:\n  default: {factors: [{count: 1, roles: [relay-operator, network-operator, analyst]}]}\n";
    private static final String POLICY_2 =
            "  policy:  {factors: [{count: 2, roles: [relay-operator, network-operator, analyst]}]}\n";
    private static final String PROTECT_3 =
            "separation:\n  - {name: widen-monitoring, components: [relay, switch, monitor], min_coalition: 3}\n";

    @Test
    void analyse_threeCustodians_coalitionIsThreeDirect() throws Exception {
        PolicyAnalysis a = PolicyAnalysis.analyse(checked(TestPolicies.custodians(DEFAULT_1 + POLICY_2, PROTECT_3)));
        assertThat(a.ok()).isTrue();
        PolicyAnalysis.Coalition c = a.coalitions().get(0);
        assertThat(c.size()).hasValue(3);
        assertThat(c.members()).containsExactly("rene", "nora", "anna");
        assertThat(c.via()).isEqualTo("direct");
        assertThat(c.ok()).isTrue();
    }

    /** One role that may request two of the three components: two people suffice. */
    private static final String TWO_SUFFICE = """
            policy: crafted
            components:
              relay: {}
              switch: {}
              monitor: {}
            roles:
              relay-operator:   {request: [relay, monitor, policy], approve: [switch, monitor, policy]}
              network-operator: {request: [switch, policy],  approve: [relay, monitor, policy]}
              analyst:          {request: [monitor, policy], approve: [relay, switch, policy]}
            principals:
              rene: {roles: [relay-operator], keys: [KEY(rene)]}
              nora: {roles: [network-operator], keys: [KEY(nora)]}
              anna: {roles: [analyst], keys: [KEY(anna)]}
            approvals:
              default: {factors: [{count: 1, roles: [relay-operator, network-operator, analyst]}]}
              policy:  {factors: [{count: 2, roles: [relay-operator, network-operator, analyst]}]}
            separation:
              - {name: widen-monitoring, components: [relay, switch, monitor], min_coalition: 3}
            timing: {pending_ttl: P7D, apply_ttl: PT24H}
            """;

    @Test
    void analyse_twoPeopleCanChangeEverything_violationNamesThem() throws Exception {
        PolicyAnalysis a = PolicyAnalysis.analyse(unchecked(TWO_SUFFICE));
        assertThat(a.ok()).isFalse();
        PolicyAnalysis.Coalition c = a.coalitions().get(0);
        assertThat(c.size()).hasValue(2);
        assertThat(c.members()).containsExactly("rene", "nora");
        assertThat(c.via()).isEqualTo("direct");
        assertThat(c.ok()).isFalse();
        assertThat(a.violations()).containsExactly(
                "protected set 'widen-monitoring' (relay, switch, monitor) can be changed by 2 principals (rene, nora)"
                        + " directly; min_coalition is 3");
    }

    @Test
    void load_twoPeopleSuffice_refusedWithLineAndNames() {
        assertThatThrownBy(() -> checked(TWO_SUFFICE))
                .isInstanceOf(PolicyException.class)
                .hasMessage("test.yml:18: separation[0]: policy refused: protected set 'widen-monitoring'"
                        + " (relay, switch, monitor) can be changed by 2 principals (rene, nora) directly;"
                        + " min_coalition is 3");
    }

    @Test
    void analyse_policyRuleNeedsOneApprover_policyChangePathIsCheaper() throws Exception {
        String approvals = DEFAULT_1 + "  policy:  {factors: [{count: 1, roles: [relay-operator, network-operator, analyst]}]}\n";
        PolicyAnalysis a = PolicyAnalysis.analyse(unchecked(TestPolicies.custodians(approvals, PROTECT_3)));
        PolicyAnalysis.Coalition c = a.coalitions().get(0);
        assertThat(c.direct().size()).hasValue(3);
        assertThat(c.policyChange().size()).hasValue(2);
        assertThat(c.via()).isEqualTo("policy change");
        assertThat(c.members()).containsExactly("rene", "nora");
        assertThat(a.violations()).containsExactly(
                "protected set 'widen-monitoring' (relay, switch, monitor) can be changed by 2 principals (rene, nora)"
                        + " by first changing the policy; min_coalition is 3");
    }

    @Test
    void analyse_policyNeedsTwoOfTwo_lockoutIsAViolation() throws Exception {
        // Only rene and nora hold approve:policy; whoever requests, one approver is left for two slots.
        String yaml = """
                policy: crafted
                components:
                  relay: {}
                roles:
                  operator: {request: [relay, policy], approve: [relay, policy]}
                  helper:   {approve: [relay]}
                principals:
                  rene: {roles: [operator], keys: [KEY(rene)]}
                  nora: {roles: [operator], keys: [KEY(nora)]}
                  hank: {roles: [helper], keys: [KEY(hank)]}
                approvals:
                  default: {factors: [{count: 1, roles: [operator, helper]}]}
                  policy:  {factors: [{count: 2, roles: [operator]}]}
                timing: {pending_ttl: P7D, apply_ttl: PT24H}
                """;
        PolicyAnalysis a = PolicyAnalysis.analyse(unchecked(yaml));
        assertThat(a.unchangeableComponents()).extracting(PolicyAnalysis.Unchangeable::component).containsExactly("policy");
        assertThat(a.violations()).containsExactly("nobody could ever change the policy again (lockout): no requester"
                + " (rene, nora) can gather the approvals its rule needs (2 approvers with role operator) from other"
                + " principals holding approve:policy");
        assertThatThrownBy(() -> checked(yaml)).isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("test.yml:13: approvals.policy: policy refused: nobody could ever change the policy");
    }

    @Test
    void analyse_componentWhoseRequesterHasNoOtherApprover_isUnchangeable() throws Exception {
        String yaml = """
                policy: crafted
                components:
                  relay: {}
                roles:
                  operator: {request: [relay, policy], approve: [relay, policy]}
                  other:    {request: [policy], approve: [policy]}
                principals:
                  rene: {roles: [operator], keys: [KEY(rene)]}
                  nora: {roles: [other], keys: [KEY(nora)]}
                approvals:
                  default: {factors: [{count: 1, roles: [operator, other]}]}
                separation:
                  - {name: relay-alone, components: [relay], min_coalition: 2}
                timing: {pending_ttl: P7D, apply_ttl: PT24H}
                """;
        PolicyAnalysis a = PolicyAnalysis.analyse(unchecked(yaml));
        assertThat(a.unchangeableComponents()).extracting(PolicyAnalysis.Unchangeable::component).containsExactly("relay");
        PolicyAnalysis.Coalition c = a.coalitions().get(0);
        assertThat(c.direct().exists()).isFalse();
        // ...but the policy can be changed by rene and nora, who could then grant themselves relay.
        assertThat(c.via()).isEqualTo("policy change");
        assertThat(c.size()).hasValue(2);
        assertThat(c.ok()).isTrue();
        assertThat(a.violations()).containsExactly("nobody could ever change component 'relay': no requester (rene)"
                + " can gather the approvals its rule needs (1 approver with role operator or other) from other"
                + " principals holding approve:relay");
    }

    @Test
    void analyse_principalWithTwoVantagePoints_sodViolationNamesPrincipalAndRights() throws Exception {
        String yaml = TestPolicies.custodians(DEFAULT_1 + POLICY_2,
                "separation:\n  - {name: one-vantage-point-each, rights: [request:relay, request:switch, request:monitor], at_most: 1}\n")
                .replace("rene: {roles: [relay-operator]", "rene: {roles: [relay-operator, network-operator]");
        PolicyAnalysis a = PolicyAnalysis.analyse(unchecked(yaml));
        assertThat(a.sodViolations()).singleElement().satisfies(v -> {
            assertThat(v.principal()).isEqualTo("rene");
            assertThat(v.holds()).extracting(Right::toString).containsExactly("request:relay", "request:switch");
        });
        assertThat(a.violations()).containsExactly("principal 'rene' holds 2 of the rights of separation set"
                + " 'one-vantage-point-each' (request:relay, request:switch), at most 1 allowed");
    }

    @Test
    void analyse_oneApproverCannotFillTwoFactors_matchingNeedsThird() throws Exception {
        // relay needs one approver with role a AND one with role b. bob holds both but counts once.
        String yaml = """
                policy: crafted
                components:
                  relay: {}
                roles:
                  req: {request: [relay, policy]}
                  a:   {approve: [relay, policy]}
                  b:   {approve: [relay]}
                principals:
                  rita: {roles: [req], keys: [KEY(rita)]}
                  bob:  {roles: [a, b], keys: [KEY(bob)]}
                  carl: {roles: [b], keys: [KEY(carl)]}
                approvals:
                  default: {factors: [{count: 1, roles: [a]}]}
                  relay:   {factors: [{count: 1, roles: [a]}, {count: 1, roles: [b]}]}
                separation:
                  - {name: relay, components: [relay], min_coalition: 3}
                timing: {pending_ttl: P7D, apply_ttl: PT24H}
                """;
        PolicyAnalysis a = PolicyAnalysis.analyse(unchecked(yaml));
        PolicyAnalysis.Coalition c = a.coalitions().get(0);
        assertThat(c.direct().size()).hasValue(3);
        assertThat(c.direct().members()).containsExactly("rita", "bob", "carl");
        assertThat(c.policyChange().members()).containsExactly("rita", "bob");
        assertThat(c.via()).isEqualTo("policy change");
        assertThat(a.ok()).isFalse();
    }

    @Test
    void analyse_emergencyRuleWithoutApprovals_doesNotCount() throws Exception {
        String yaml = TestPolicies.custodians(DEFAULT_1 + POLICY_2, PROTECT_3)
                .replace("  switch: {}", "  switch: {emergency: {set: {mirror.enabled: false}, approvals: {factors: []}, review_within: PT24H}}");
        PolicyAnalysis a = PolicyAnalysis.analyse(checked(yaml));
        assertThat(a.coalitions().get(0).size()).hasValue(3);
    }

    @Test
    void toJson_torLikePolicy_hasDocumentedShape() throws Exception {
        PolicyAnalysis a = PolicyAnalysis.analyse(checked(TestPolicies.custodians(DEFAULT_1 + POLICY_2, PROTECT_3)));
        JsonNode j = a.toJson();
        assertThat(j.path("ok").asBoolean()).isTrue();
        assertThat(j.path("rights").get(0).path("rights").path("policy").toString()).isEqualTo("[\"request\",\"approve\"]");
        JsonNode p = j.path("protected").get(0);
        assertThat(p.path("size").asInt()).isEqualTo(3);
        assertThat(p.path("members").toString()).isEqualTo("[\"rene\",\"nora\",\"anna\"]");
        assertThat(p.path("policy_change").path("size").asInt()).isEqualTo(3);
        assertThat(j.path("unchangeable").isArray()).isTrue();
        assertThat(j.path("violations").size()).isZero();
    }

    @Test
    void toText_violation_listsItAtTheEnd() throws Exception {
        String text = PolicyAnalysis.analyse(unchecked(TWO_SUFFICE)).toText();
        assertThat(text).contains("widen-monitoring (relay, switch, monitor): 2 (rene, nora) directly; min_coalition 3: TOO SMALL")
                .contains("  rene       R      A       RA       RA      -")
                .endsWith("1 violation:\n  - protected set 'widen-monitoring' (relay, switch, monitor) can be changed by 2"
                        + " principals (rene, nora) directly; min_coalition is 3\n");
    }

    /** The exact search agrees with brute force (every subset, every requester, every assignment) on random policies. */
    @Test
    void minimum_randomPolicies_equalsBruteForce() throws Exception {
        Random rnd = new Random(20261125L);
        int compared = 0;
        for (int round = 0; round < 300 && compared < 120; round++) {
            String yaml = randomPolicy(rnd);
            Policy p;
            try {
                p = unchecked(yaml);
            } catch (PolicyException e) {
                continue; // the generator may produce a policy the loader refuses (a factor nobody fills)
            }
            PolicyAnalysis a = PolicyAnalysis.analyse(p);
            for (PolicyAnalysis.Coalition c : a.coalitions()) {
                int direct = bruteForce(p, c.components());
                int policy = bruteForce(p, List.of("policy"));
                assertThat(c.direct().size().orElse(-1)).as(yaml).isEqualTo(direct);
                assertThat(c.policyChange().size().orElse(-1)).as(yaml).isEqualTo(policy);
                if (direct > 0) {
                    assertThat(canChangeAll(p, c.direct().members(), c.components())).isTrue();
                }
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(50);
    }

    private static String randomPolicy(Random rnd) {
        int nComp = 2 + rnd.nextInt(3);
        int nRoles = 2 + rnd.nextInt(4);
        int nPrin = 3 + rnd.nextInt(6);
        List<String> comps = new ArrayList<>();
        for (int i = 0; i < nComp; i++) {
            comps.add("c" + i);
        }
        List<String> all = new ArrayList<>(comps);
        all.add("policy");
        StringBuilder y = new StringBuilder("policy: random\ncomponents:\n");
        comps.forEach(c -> y.append("  ").append(c).append(": {}\n"));
        y.append("roles:\n");
        for (int r = 0; r < nRoles; r++) {
            List<String> req = new ArrayList<>();
            List<String> appr = new ArrayList<>();
            for (String c : all) {
                if (rnd.nextInt(3) == 0 || r == all.indexOf(c) % nRoles) {
                    req.add(c);
                }
                if (rnd.nextInt(2) == 0 || (r + 1) % nRoles == all.indexOf(c) % nRoles) {
                    appr.add(c);
                }
            }
            y.append("  r").append(r).append(": {request: ").append(req).append(", approve: ").append(appr).append("}\n");
        }
        y.append("principals:\n");
        for (int i = 0; i < nPrin; i++) {
            List<String> rs = new ArrayList<>();
            for (int r = 0; r < nRoles; r++) {
                if (rnd.nextInt(3) == 0) {
                    rs.add("r" + r);
                }
            }
            if (rs.isEmpty()) {
                rs.add("r" + rnd.nextInt(nRoles));
            }
            y.append("  p").append(i).append(": {roles: ").append(rs).append(", keys: [KEY(p").append(i).append(")]}\n");
        }
        y.append("approvals:\n");
        y.append("  default: {factors: [{count: ").append(1 + rnd.nextInt(2)).append(", roles: [r0, r1]}]}\n");
        y.append("  policy: {factors: [{count: 1, roles: [r").append(rnd.nextInt(nRoles)).append("]}, {count: 1, roles: [r")
                .append(rnd.nextInt(nRoles)).append("]}]}\n");
        y.append("separation:\n  - {name: s, components: ").append(comps.subList(0, 1 + rnd.nextInt(nComp)))
                .append(", min_coalition: 1}\n");
        y.append("timing: {pending_ttl: P7D, apply_ttl: PT24H}\n");
        return y.toString();
    }

    /** Smallest subset of all principals that changes every component, or -1. */
    private static int bruteForce(Policy p, List<String> components) {
        List<String> names = new ArrayList<>(p.principals().keySet());
        int best = -1;
        for (int mask = 1; mask < (1 << names.size()); mask++) {
            int size = Integer.bitCount(mask);
            if (best >= 0 && size >= best) {
                continue;
            }
            List<String> c = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    c.add(names.get(i));
                }
            }
            if (canChangeAll(p, c, components)) {
                best = size;
            }
        }
        return best;
    }

    private static boolean canChangeAll(Policy p, List<String> coalition, List<String> components) {
        for (String x : components) {
            boolean ok = false;
            for (String r : coalition) {
                if (p.holds(r, new Right(Right.Action.REQUEST, x))) {
                    List<String> others = new ArrayList<>(coalition);
                    others.remove(r);
                    List<String> slots = new ArrayList<>();
                    List<Factor> factors = p.approvalRule(x).factors();
                    for (int f = 0; f < factors.size(); f++) {
                        for (int k = 0; k < factors.get(f).count(); k++) {
                            slots.add(String.valueOf(f));
                        }
                    }
                    if (assign(p, x, slots, 0, others)) {
                        ok = true;
                        break;
                    }
                }
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Tries every assignment of distinct approvers to slots (exponential, for tests only). */
    private static boolean assign(Policy p, String x, List<String> slots, int i, List<String> free) {
        if (i == slots.size()) {
            return true;
        }
        Factor f = p.approvalRule(x).factors().get(Integer.parseInt(slots.get(i)));
        for (String a : free) {
            boolean eligible = p.holds(a, new Right(Right.Action.APPROVE, x))
                    && p.principals().get(a).roles().stream().anyMatch(f.roles()::contains);
            if (eligible) {
                List<String> rest = new ArrayList<>(free);
                rest.remove(a);
                if (assign(p, x, slots, i + 1, rest)) {
                    return true;
                }
            }
        }
        return false;
    }
}
