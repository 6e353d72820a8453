package org.foureyes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.PolicyLoader;
import org.junit.jupiter.api.Test;

class RequestedPoliciesTest {
    private static JsonNode torExit() throws Exception {
        return PolicyLoader.load(Path.of("../policies/tor-exit.yml")).document();
    }

    @Test
    void load_sameDocumentTwice_returnsTheVerdictOfTheFirstLoad() throws Exception {
        RequestedPolicies cache = new RequestedPolicies(4);
        Policy first = cache.load(torExit());
        Policy second = cache.load(new ObjectMapper().readTree(torExit().toString()));
        assertThat(second).isSameAs(first);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(second.document()).isEqualTo(PolicyLoader.fromJson(torExit(), "x").document());
    }

    @Test
    void load_refusedDocument_sameRefusalEachTime() throws Exception {
        RequestedPolicies cache = new RequestedPolicies(4);
        ObjectNode bad = (ObjectNode) torExit().deepCopy();
        ((ObjectNode) bad.get("separation").get(1)).put("min_coalition", 4);
        PolicyException e = null;
        try {
            cache.load(bad);
        } catch (PolicyException pe) {
            e = pe;
        }
        assertThat(e).isNotNull();
        String message = e.getMessage();
        assertThatThrownBy(() -> cache.load(bad)).isSameAs(e);
        assertThatThrownBy(() -> PolicyLoader.fromJson(bad, Ledger.REQUESTED_POLICY_SOURCE)).hasMessage(message);
    }

    @Test
    void load_moreDocumentsThanCapacity_staysBounded() throws Exception {
        RequestedPolicies cache = new RequestedPolicies(2);
        for (int i = 0; i < 5; i++) {
            ObjectNode doc = (ObjectNode) torExit().deepCopy();
            doc.put("description", "version " + i);
            cache.load(doc);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(2);
    }
}
