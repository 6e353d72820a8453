package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.foureyes.testing.TorExitFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The content guards of policies/tor-exit.yml let the intended configurations through and nothing wider. */
class TorExitGuardsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Policy policy;

    static final String RELAY = TorExitFixtures.example("relay");
    static final String SWITCH = TorExitFixtures.example("switch");
    static final String MONITOR = TorExitFixtures.example("monitor");

    @BeforeAll
    static void load() throws Exception {
        policy = PolicyLoader.load(TorExitPolicyTest.TOR_EXIT);
    }

    private static List<String> check(String component, String config, String current) throws Exception {
        ContentGuards g = ContentGuards.compile(policy.components().get(component));
        JsonNode cur = current == null ? null : JSON.readTree(current);
        return g.check(JSON.readTree(config), cur, ContentGuards.request("rene", component, "test", false))
                .stream().map(GuardViolation::guard).toList();
    }

    @Test
    void guards_intendedConfigurations_pass() throws Exception {
        assertThat(check("relay", RELAY, null)).isEmpty();
        assertThat(check("switch", SWITCH, null)).isEmpty();
        assertThat(check("monitor", MONITOR, null)).isEmpty();
        assertThat(check("monitor", MONITOR.replace("\"exit_tos\": 40}",
                "\"exit_tos\": 40, \"narrow\": {\"protocols\": [\"tcp\"], \"dst_ports\": [443]}}"), MONITOR)).isEmpty();
    }

    @Test
    void monitorGuards_filterText_refused() throws Exception {
        // Issue 13: a free-form filter that string matching took for a narrowing captured everything.
        assertThat(check("monitor", MONITOR.replace("\"exit_tos\": 40}",
                "\"exit_tos\": 40, \"filter\": \"ip[1] & 0xfc == 40 and (tcp)or(ip)\"}"), MONITOR))
                .containsExactly("schema", "only-marked-exit-traffic");
        assertThat(check("monitor", MONITOR.replace("\"exit_tos\": 40}",
                "\"exit_tos\": 40, \"narrow\": {\"protocols\": [\"tcp or ip\"]}}"), MONITOR))
                .containsExactly("schema", "only-marked-exit-traffic");
    }

    @Test
    void monitorGuards_addressesOrLongRetention_refused() throws Exception {
        assertThat(check("monitor", MONITOR.replace("\"asn\"", "\"dst_addr\""), MONITOR)).contains("schema", "no-addresses-recorded");
        assertThat(check("monitor", MONITOR.replace("\"retention_days\": 30", "\"retention_days\": 90"), MONITOR))
                .contains("schema", "short-retention");
        assertThat(check("monitor", MONITOR.replace("40", "44"), MONITOR)).contains("exit-mark-unchanged");
    }

    @Test
    void switchGuards_otherSourceOrDestination_refused() throws Exception {
        assertThat(check("switch", SWITCH.replace("\"source\": \"swp1\"", "\"source\": \"swp2\""), SWITCH))
                .contains("schema", "mirror-source-is-relay-egress");
        assertThat(check("switch", SWITCH.replace("\"destination\": \"swp8\"", "\"destination\": \"swp3\""), SWITCH))
                .contains("schema", "mirror-destination-is-monitor");
    }

    @Test
    void relayGuards_sharedAddressOrOpenPolicyOrNewMark_refused() throws Exception {
        assertThat(check("relay", RELAY.replace("192.0.2.11", "192.0.2.10"), RELAY)).containsExactly("exit-traffic-has-own-address");
        assertThat(check("relay", RELAY.replace(", \"reject *:*\"", ""), RELAY)).containsExactly("exit-policy-ends-with-reject-all");
        assertThat(check("relay", RELAY.replace("\"exit_tos\": 40", "\"exit_tos\": 44"), RELAY)).containsExactly("exit-mark-unchanged");
    }

    @Test
    void relaySchema_realisticTorrcValues_accepted() throws Exception {
        // The patterns are tight, but must not refuse what a real exit relay's torrc says.
        String relay = RELAY
                .replace("\"ops@example.org\"", "\"email:ops[]example.org url:https://example.org ciissversion:2 <ops@example.org>\"")
                .replace("\"accept *:80\"", "\"reject private:*\", \"reject6 [2001:db8::]/32:*\", \"accept6 *6:443\", "
                        + "\"accept 198.51.100.0/24:20-23\", \"accept *4:80\", \"reject [::ffff:0:0]/96:*\", \"accept *:65535\"")
                .replace("\"192.0.2.11\"", "\"[2001:db8::11]\"");

        assertThat(check("relay", relay, RELAY)).isEmpty();
    }

    @Test
    void relaySchema_entryThatIsNotOneTorrcToken_refused() throws Exception {
        for (String[] swap : new String[][] {
                {"\"accept *:80\"", "\"accept *:80,accept *:22\""},
                {"\"accept *:80\"", "\"accept *:80 \""},
                {"\"accept *:80\"", "\"accept  *:80\""},
                {"\"accept *:80\"", "\"accept *:65536\""},
                {"\"accept *:80\"", "\"accept 256.0.0.1:80\""},
                {"\"accept *:80\"", "\"accept [1::2::3]:80\""},
                {"\"accept *:80\"", "\"Accept *:80\""},
                {"\"192.0.2.11\"", "\"2001:db8::11\""},
                {"\"192.0.2.11\"", "\"192.0.2.011 \""},
                {"\"ops@example.org\"", "\"ops@example.org \\\\\""},
                {"\"ops@example.org\"", "\"\\\"ops\\\"\""},
                {"\"ops@example.org\"", "\"ops # comment\""},
                {"\"ops@example.org\"", "\" ops@example.org\""},
                {"\"ops@example.org\"", "\"ops\\u00e9\""}}) {
            assertThat(check("relay", RELAY.replace(swap[0], swap[1]), RELAY)).as(swap[1]).contains("schema");
        }
    }

    @Test
    void emergencies_switchOffMirrorAndCapture_declared() {
        assertThat(policy.components().get("switch").emergency().orElseThrow().set()).containsOnlyKeys("mirror.enabled");
        assertThat(policy.components().get("monitor").emergency().orElseThrow().set()).containsOnlyKeys("capture.enabled");
        assertThat(policy.components().get("monitor").emergency().orElseThrow().approvals().factors()).isEmpty();
        assertThat(policy.components().get("relay").emergency()).isEmpty();
    }
}
