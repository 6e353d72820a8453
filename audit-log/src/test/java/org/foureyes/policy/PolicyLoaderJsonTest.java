package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** {@link PolicyLoader#fromJson}: the policy as the log carries it, with the checks of the YAML loader. */
class PolicyLoaderJsonTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fromJson_torExitDocument_samePolicyAndHash() throws Exception {
        Policy yaml = PolicyLoader.load(TorExitPolicyTest.TOR_EXIT);
        Policy json = PolicyLoader.fromJson(yaml.document(), "genesis policy");
        assertThat(json.document()).isEqualTo(yaml.document());
        assertThat(PolicyHash.sha256Hex(json)).isEqualTo(PolicyHash.sha256Hex(yaml));
        assertThat(json.principals().keySet()).containsExactlyElementsOf(yaml.principals().keySet());
        assertThat(json.components().keySet()).containsExactlyElementsOf(yaml.components().keySet());
    }

    @Test
    void fromJson_serialisedAndParsedAgain_sameHash() throws Exception {
        Policy yaml = PolicyLoader.load(TorExitPolicyTest.TOR_EXIT);
        String text = JSON.writeValueAsString(yaml.document());
        Policy json = PolicyLoader.fromJson(JSON.readTree(text), "from text");
        assertThat(PolicyHash.sha256Hex(json)).isEqualTo(PolicyHash.sha256Hex(yaml));
    }

    @Test
    void fromJson_malformedField_refusedNamingFieldWithoutLine() throws Exception {
        ObjectNode doc = PolicyLoader.load(TorExitPolicyTest.TOR_EXIT).document().deepCopy();
        doc.with("timing").put("apply_ttl", 24);
        assertThatThrownBy(() -> PolicyLoader.fromJson(doc, "requested policy"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("requested policy: timing.apply_ttl: ")
                .satisfies(e -> assertThat(((PolicyException) e).line()).isZero());
    }

    @Test
    void fromJson_coalitionBelowMinimum_refusedByAnalysis() throws Exception {
        ObjectNode doc = PolicyLoader.load(TorExitPolicyTest.TOR_EXIT).document().deepCopy();
        doc.with("approvals").set("policy", doc.with("approvals").get("default").deepCopy());
        assertThatThrownBy(() -> PolicyLoader.fromJson(doc, "requested policy"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("widen-monitoring")
                .satisfies(e -> assertThat(((PolicyException) e).violations()).isNotEmpty());
    }
}
