package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/** The documented maximum policy size, refused at load with a reason, from YAML and from JSON alike. */
class PolicyLimitsTest {

    private static String principals(int n) {
        StringBuilder y = new StringBuilder("policy: big\ncomponents:\n  c: {}\nroles:\n  r: {request: [c, policy], approve: [c, policy]}\n"
                + "principals:\n");
        for (int i = 0; i < n; i++) {
            y.append("  p").append(i).append(": {roles: [r], keys: [\"not-checked-yet\"]}\n");
        }
        return y.append("approvals:\n  default: {factors: [{count: 1, roles: [r]}]}\n"
                + "timing: {pending_ttl: P7D, apply_ttl: PT24H}\n").toString();
    }

    @Test
    void parse_moreThanMaxPrincipals_refusedWithCountAndLimit() {
        assertThatThrownBy(() -> PolicyLoader.parse(principals(PolicyLimits.MAX_PRINCIPALS + 1), "big.yml"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("big.yml:6: principals: policy too large: it has 2001 principals, at most 2000 allowed"
                        + " (docs/policy.md, Limits)");
    }

    @Test
    void fromJson_moreThanMaxPrincipals_sameRefusalWithoutLine() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(principals(PolicyLimits.MAX_PRINCIPALS + 1));
        assertThatThrownBy(() -> PolicyLoader.fromJson(doc, "requested policy"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("policy too large: it has 2001 principals, at most 2000 allowed");
    }

    @Test
    void parse_ruleWithTooManyFactors_refused() {
        String yaml = principals(3).replace("default: {factors: [{count: 1, roles: [r]}]}",
                "default: {factors: [" + "{count: 1, roles: [r]}, ".repeat(8) + "{count: 1, roles: [r]}]}");
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "f.yml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("approvals.default.factors: policy too large: approvals.default has 9 factors,"
                        + " at most 8 allowed");
    }

    @Test
    void parse_fileLargerThanMaxBytes_refusedBeforeParsing() {
        String yaml = principals(1) + "#" + "x".repeat(PolicyLimits.MAX_BYTES) + "\n";
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "huge.yml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("policy too large: the file has " + (yaml.length()) + " bytes, at most 1048576");
    }

    @Test
    void parse_tooManyKeysTogether_refused() {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            keys.append(i == 0 ? "" : ", ").append("\"k").append(i).append('"');
        }
        String yaml = principals(1700).replace("keys: [\"not-checked-yet\"]", "keys: [" + keys + "]");
        assertThatThrownBy(() -> PolicyLoader.parse(yaml, "k.yml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("principals: policy too large: its principals have 8500 keys together, at most 8000");
    }
}
