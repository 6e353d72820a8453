package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Adversarial suite, coalitions: principals trying by brute force to push changes through every
 * component of each protected set, directly and through a policy change, decided by the
 * {@link DecisionEngine} ({@link EngineOracle}), against what {@link PolicyAnalysis} claims.
 */
class CoalitionOracleTest {
    private static final Path TOR_EXIT = Path.of("../policies/tor-exit.yml");

    @Test
    void torExit_everyPair_cannotChangeAnyProtectedSetDirectlyOrThroughPolicy() throws Exception {
        Policy p = PolicyLoader.load(TOR_EXIT);
        DecisionEngine engine = new DecisionEngine(p);
        List<String> names = new ArrayList<>(p.principals().keySet());
        assertThat(p.protectedSets()).isNotEmpty();
        int pairs = 0;
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                List<String> pair = List.of(names.get(i), names.get(j));
                assertThat(EngineOracle.canChange(engine, pair, Policy.POLICY_COMPONENT)).as("policy by %s", pair).isFalse();
                for (ProtectedSet set : p.protectedSets()) {
                    assertThat(EngineOracle.canChangeAll(p, pair, set.components())).as("%s by %s", set.name(), pair)
                            .isFalse();
                }
                pairs++;
            }
        }
        assertThat(pairs).isEqualTo(names.size() * (names.size() - 1) / 2);
    }

    @Test
    void torExit_reportedTriple_changesEveryComponentAndThePolicy() throws Exception {
        Policy p = PolicyLoader.load(TOR_EXIT);
        PolicyAnalysis a = PolicyAnalysis.analyse(p);
        for (PolicyAnalysis.Coalition c : a.coalitions()) {
            assertThat(c.size()).hasValue(3);
            assertThat(EngineOracle.canChangeAll(p, c.direct().members(), c.components())).isTrue();
            assertThat(EngineOracle.canChangeAll(p, c.policyChange().members(), List.of(Policy.POLICY_COMPONENT)))
                    .isTrue();
            assertThat(EngineOracle.minimum(p, c.components())).hasValue(3);
            assertThat(EngineOracle.minimum(p, List.of(Policy.POLICY_COMPONENT))).hasValue(3);
        }
    }

    /** Random small policies (several factors, shared role sets): the analysis equals brute force. */
    @Test
    void minimum_generatedSmallPolicies_equalsEngineBruteForce() throws Exception {
        Random rnd = new Random(20261203L);
        int compared = 0;
        for (int round = 0; round < 1500 && compared < 150; round++) {
            Policy p;
            try {
                p = TestPolicies.unchecked(randomPolicy(rnd));
            } catch (PolicyException e) {
                continue; // the generator may write a rule nobody can fill: the loader refuses it
            }
            PolicyAnalysis a = PolicyAnalysis.analyse(p);
            Optional<Integer> policyMin = EngineOracle.minimum(p, List.of(Policy.POLICY_COMPONENT));
            for (PolicyAnalysis.Coalition c : a.coalitions()) {
                Optional<Integer> direct = EngineOracle.minimum(p, c.components());
                assertThat(c.direct().size().isPresent() ? Optional.of(c.direct().size().getAsInt()) : Optional.empty())
                        .as("direct %s in\n%s", c.set(), p.document()).isEqualTo(direct);
                assertThat(c.policyChange().size().isPresent() ? Optional.of(c.policyChange().size().getAsInt())
                        : Optional.empty()).as("policy in\n%s", p.document()).isEqualTo(policyMin);
                if (direct.isPresent()) {
                    assertThat(EngineOracle.canChangeAll(p, c.direct().members(), c.components())).isTrue();
                }
                if (policyMin.isPresent()) {
                    assertThat(EngineOracle.canChangeAll(p, c.policyChange().members(),
                            List.of(Policy.POLICY_COMPONENT))).isTrue();
                }
            }
            for (PolicyAnalysis.Unchangeable u : a.unchangeableComponents()) {
                assertThat(EngineOracle.canChangeAll(p, new ArrayList<>(p.principals().keySet()),
                        List.of(u.component()))).isFalse();
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(100);
    }

    private static String randomPolicy(Random rnd) {
        int nComp = 2 + rnd.nextInt(4);
        int nRoles = 2 + rnd.nextInt(4);
        int nPrin = 3 + rnd.nextInt(8);
        List<String> all = new ArrayList<>();
        StringBuilder y = new StringBuilder("policy: random\ncomponents:\n");
        for (int i = 0; i < nComp; i++) {
            y.append("  c").append(i).append(": {}\n");
            all.add("c" + i);
        }
        all.add("policy");
        y.append("roles:\n");
        for (int r = 0; r < nRoles; r++) {
            List<String> req = new ArrayList<>();
            List<String> appr = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (rnd.nextInt(3) == 0 || i % nRoles == r) {
                    req.add(all.get(i));
                }
                if (rnd.nextInt(2) == 0 || (i + 1) % nRoles == r) {
                    appr.add(all.get(i));
                }
            }
            y.append("  r").append(r).append(": {request: ").append(req).append(", approve: ").append(appr).append("}\n");
        }
        // Few distinct role sets, so several principals are interchangeable (the search's classes).
        List<Set<String>> sets = new ArrayList<>();
        for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
            Set<String> rs = new LinkedHashSet<>();
            for (int r = 0; r < nRoles; r++) {
                if (rnd.nextInt(3) == 0) {
                    rs.add("r" + r);
                }
            }
            if (rs.isEmpty()) {
                rs.add("r" + rnd.nextInt(nRoles));
            }
            sets.add(rs);
        }
        y.append("principals:\n");
        for (int i = 0; i < nPrin; i++) {
            Set<String> rs = rnd.nextBoolean() ? sets.get(rnd.nextInt(sets.size())) : Set.of("r" + rnd.nextInt(nRoles));
            y.append("  p").append(i).append(": {roles: ").append(new ArrayList<>(rs)).append(", keys: [KEY(p").append(i)
                    .append(")]}\n");
        }
        y.append("approvals:\n");
        y.append("  default: ").append(rule(rnd, nRoles)).append('\n');
        for (int i = 0; i < nComp; i++) {
            if (rnd.nextInt(3) == 0) {
                y.append("  c").append(i).append(": ").append(rule(rnd, nRoles)).append('\n');
            }
        }
        y.append("  policy: ").append(rule(rnd, nRoles)).append('\n');
        y.append("separation:\n");
        y.append("  - {name: s, components: ").append(all.subList(0, 1 + rnd.nextInt(nComp))).append(", min_coalition: 1}\n");
        y.append("  - {name: t, components: [c").append(rnd.nextInt(nComp)).append(", policy], min_coalition: 1}\n");
        y.append("timing: {pending_ttl: P7D, apply_ttl: PT24H}\n");
        return y.toString();
    }

    /** One to three factors of one or two approvers, each naming one or two roles. */
    private static String rule(Random rnd, int nRoles) {
        List<String> factors = new ArrayList<>();
        for (int f = 0; f < 1 + rnd.nextInt(3); f++) {
            Set<String> roles = new LinkedHashSet<>();
            roles.add("r" + rnd.nextInt(nRoles));
            if (rnd.nextBoolean()) {
                roles.add("r" + rnd.nextInt(nRoles));
            }
            factors.add("{count: " + (1 + rnd.nextInt(2)) + ", roles: " + new ArrayList<>(roles) + "}");
        }
        return "{factors: " + factors + "}";
    }
}
