package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PolicyHashTest {
    static final Path SMALL = Path.of("src/test/resources/policies/valid-small.yml");

    @Test
    void sha256Hex_reformattedAndReordered_sameHash() throws Exception {
        String yaml = Files.readString(SMALL);
        Policy a = PolicyLoader.parse(yaml, "a.yml");
        // move timing to the top and add a comment: same JSON tree up to key order
        String timing = "timing: {pending_ttl: P7D, apply_ttl: PT24H}\n";
        String moved = "# a comment\n" + timing + yaml.replace(timing, "");
        Policy b = PolicyLoader.parse(moved, "b.yml");
        assertThat(PolicyHash.sha256Hex(b)).isEqualTo(PolicyHash.sha256Hex(a)).hasSize(64);
    }

    @Test
    void sha256Hex_changedValue_differentHash() throws Exception {
        String yaml = Files.readString(SMALL);
        Policy a = PolicyLoader.parse(yaml, "a.yml");
        Policy b = PolicyLoader.parse(yaml.replace("pending_ttl: P7D", "pending_ttl: P6D"), "b.yml");
        assertThat(PolicyHash.sha256Hex(b)).isNotEqualTo(PolicyHash.sha256Hex(a));
    }

    @Test
    void canonical_document_isJcsSortedKeys() throws Exception {
        Policy a = PolicyLoader.parse(Files.readString(SMALL), "a.yml");
        String jcs = new String(PolicyHash.canonical(a), StandardCharsets.UTF_8);
        assertThat(jcs).startsWith("{\"approvals\":{\"default\":{\"factors\":[{\"count\":1,");
        assertThat(jcs).endsWith("\"timing\":{\"apply_ttl\":\"PT24H\",\"pending_ttl\":\"P7D\"}}");
    }
}
