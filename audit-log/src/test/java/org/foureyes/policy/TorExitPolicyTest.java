package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real policy of the design's setup, read from the repository's policies/ folder. */
class TorExitPolicyTest {
    static final Path TOR_EXIT = Path.of("../policies/tor-exit.yml");

    @Test
    void load_torExit_passesWithCoalitionOfThreeNamed() throws Exception {
        Policy policy = PolicyLoader.load(TOR_EXIT);
        PolicyAnalysis a = PolicyAnalysis.analyse(policy);
        System.out.println(a.toText());
        assertThat(a.ok()).isTrue();
        assertThat(a.coalitions()).hasSize(1);
        PolicyAnalysis.Coalition c = a.coalitions().get(0);
        assertThat(c.set()).isEqualTo("widen-monitoring");
        assertThat(c.size()).hasValue(3);
        assertThat(c.members()).containsExactly("rene", "nora", "anna");
        assertThat(c.via()).isEqualTo("direct");
        assertThat(c.policyChange().size()).hasValue(3);
    }
}
