package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent configurations in {@code ops/agents} pin the hash of the policy that ships beside them:
 * an agent installed from them must accept the log that {@code policies/tor-exit.yml} starts, and a
 * policy edit that forgets the pins is caught here rather than by an agent refusing every round.
 */
class ShippedAgentConfigsTest {
    private static final Pattern PIN = Pattern.compile("(?m)^genesis_policy_sha256:\\s*([0-9a-f]{64})\\s*$");

    @ParameterizedTest
    @ValueSource(strings = {"relay", "switch", "monitor"})
    void agentConfig_pinsTheShippedPolicyHash(String component) throws Exception {
        String expected = PolicyHash.sha256Hex(PolicyLoader.load(Path.of("../policies/tor-exit.yml")));
        Matcher m = PIN.matcher(Files.readString(Path.of("../ops/agents/" + component + ".yml")));

        assertThat(m.find()).as("ops/agents/%s.yml has a genesis_policy_sha256 line", component).isTrue();
        assertThat(m.group(1)).as("ops/agents/%s.yml pins policies/tor-exit.yml", component).isEqualTo(expected);
    }
}
