package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The coalition search at scale, its budget, and its determinism. */
class CoalitionSearchTest {

    /** Issue 13: more than 63 principals used to be refused outright; 500/50/100 must be analysed fast. */
    @Test
    void analyse_fiveHundredPrincipalsFiftyRolesHundredComponents_minimalWitnessWithinBudget() throws Exception {
        Policy p = TestPolicies.unchecked(Organisations.realistic(new Random(13L), 500, 50, 100));
        long start = System.nanoTime();
        PolicyAnalysis a = PolicyAnalysis.analyse(p);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("500x50x100 analysed in " + ms + " ms");
        assertThat(a.violations()).noneMatch(v -> v.startsWith("analysis budget exceeded"));
        assertThat(a.coalitions()).hasSize(5);
        for (PolicyAnalysis.Coalition c : a.coalitions()) {
            assertThat(c.direct().exists()).isTrue();
            assertThat(EngineOracle.canChangeAll(p, c.direct().members(), c.components())).as(c.set()).isTrue();
            // The witness is minimal (no member can be dropped); that it is minimum is checked by brute
            // force on small policies (CoalitionOracleTest) and against Sat4j at this size (benchmarks).
            for (String m : c.direct().members()) {
                List<String> fewer = c.direct().members().stream().filter(x -> !x.equals(m)).toList();
                assertThat(EngineOracle.canChangeAll(p, fewer, c.components())).isFalse();
            }
        }
        assertThat(ms).isLessThan(10_000);
    }

    /** Issue 13: rene's 60 principals by 40 components ran for minutes; now it ends within the budget. */
    @Test
    void analyse_adversarialSixtyPrincipalsFortyComponents_endsWithVerdictWithinSeconds() throws Exception {
        Policy p = TestPolicies.unchecked(Organisations.adversarial(new Random(60L), 60, 30, 40));
        PolicyAnalysis a = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PolicyAnalysis.analyse(p));
        PolicyAnalysis again = PolicyAnalysis.analyse(p);
        assertThat(again.toJson()).isEqualTo(a.toJson());
        System.out.println("adversarial 60x30x40: " + a.coalitions().get(0).via() + " " + a.coalitions().get(0).size());
    }

    @Test
    void analyse_budgetTooSmall_refusedWithStepsAndSetName() throws Exception {
        Policy p = TestPolicies.unchecked(Organisations.realistic(new Random(13L), 40, 10, 20));
        PolicyAnalysis a = PolicyAnalysis.analyse(p, 50);
        assertThat(a.ok()).isFalse();
        assertThat(a.violations()).anyMatch(v -> v.startsWith("analysis budget exceeded (50 steps): "));
        assertThat(a.coalitions()).extracting(PolicyAnalysis.Coalition::via).contains(PolicyAnalysis.UNDECIDED);
        assertThat(a.toJson()).isEqualTo(PolicyAnalysis.analyse(p, 50).toJson());
    }

    @Test
    void search_stepsForSamePolicy_identicalOnEveryRun() throws Exception {
        Policy p = TestPolicies.unchecked(Organisations.realistic(new Random(7L), 200, 20, 40));
        CoalitionSearch one = new CoalitionSearch(p);
        CoalitionSearch two = new CoalitionSearch(p);
        List<String> set = p.protectedSets().get(0).components();
        assertThat(one.minimum(set)).isEqualTo(two.minimum(set));
        assertThat(one.steps()).isEqualTo(two.steps()).isPositive();
    }

    @Test
    void minimum_budgetExhausted_throwsWithBudget() throws Exception {
        Policy p = TestPolicies.unchecked(Organisations.adversarial(new Random(60L), 60, 30, 40));
        CoalitionSearch s = new CoalitionSearch(p, 1_000);
        assertThatThrownBy(() -> s.minimum(p.protectedSets().get(0).components()))
                .isInstanceOf(CoalitionSearch.BudgetExceededException.class)
                .hasMessage("analysis budget exceeded (1000 steps)");
    }

    /** Beyond the budget: refused at load with the reason, in bounded time, identically every time. */
    @Test
    void parse_policyBeyondBudget_refusedWithBudgetReason() throws Exception {
        String yaml = TestPolicies.withKeys(Organisations.adversarial(new Random(1L), 300, 60, 100));
        PolicyException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> org.junit.jupiter.api.Assertions.assertThrows(PolicyException.class,
                        () -> PolicyLoader.parse(yaml, "big.yml")));
        assertThat(e.getMessage()).matches("big\\.yml:\\d+: separation\\[0\\]: policy refused: analysis budget exceeded"
                + " \\(5000000 steps\\): the smallest coalition of protected set 'everything' could not be determined; .*");
        PolicyLoader.Checked again = PolicyLoader.check(yaml, "big.yml");
        assertThat(again.refusal()).hasValueSatisfying(r -> assertThat(r.getMessage()).isEqualTo(e.getMessage()));
        assertThat(again.analysis().coalitions().get(0).via()).isEqualTo(PolicyAnalysis.UNDECIDED);
    }
}
