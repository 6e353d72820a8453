package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.policy.ContentGuardsTest.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmergencyCheckTest {

    private static final Emergency CAPTURE_OFF = new Emergency(
            Map.of("capture.enabled", BooleanNode.FALSE), new ApprovalRule(List.of()), Duration.ofHours(24));

    private static final JsonNode CURRENT = json(
            "{'capture': {'enabled': true, 'exit_tos': 40, 'keep': ['port', 'asn']}, 'retention_days': 7}");

    @Test
    void check_declaredFieldSetToDeclaredValue_allowed() {
        JsonNode proposed = json(
                "{'capture': {'enabled': false, 'exit_tos': 40, 'keep': ['port', 'asn']}, 'retention_days': 7}");

        assertThatCode(() -> EmergencyCheck.check(CAPTURE_OFF, CURRENT, proposed)).doesNotThrowAnyException();
    }

    @Test
    void check_numbersComparedByValue_allowed() {
        JsonNode proposed = json(
                "{'capture': {'enabled': false, 'exit_tos': 40, 'keep': ['port', 'asn']}, 'retention_days': 7.0}");

        assertThatCode(() -> EmergencyCheck.check(CAPTURE_OFF, CURRENT, proposed)).doesNotThrowAnyException();
    }

    @Test
    void check_otherFieldChangedToo_refusedNamingTheField() {
        JsonNode proposed = json(
                "{'capture': {'enabled': false, 'exit_tos': 44, 'keep': ['port', 'asn']}, 'retention_days': 7}");

        assertThatThrownBy(() -> EmergencyCheck.check(CAPTURE_OFF, CURRENT, proposed))
                .isInstanceOf(EmergencyException.class)
                .hasMessage("field capture.exit_tos differs from the current configuration; "
                        + "an emergency may only set capture.enabled to false");
    }

    @Test
    void check_severalDifferences_allListed() {
        JsonNode proposed = json(
                "{'capture': {'enabled': false, 'keep': ['port', 'asn', 'dst']}, 'retention_days': 7, 'extra': 1}");

        assertThatThrownBy(() -> EmergencyCheck.check(CAPTURE_OFF, CURRENT, proposed))
                .isInstanceOf(EmergencyException.class)
                .hasMessage("field capture.exit_tos is removed; field capture.keep differs from the current configuration; "
                        + "field extra is added; an emergency may only set capture.enabled to false")
                .satisfies(e -> assertThat(((EmergencyException) e).differences()).hasSize(3));
    }

    @Test
    void check_declaredFieldWrongValue_refused() {
        JsonNode proposed = json(
                "{'capture': {'enabled': 'off', 'exit_tos': 40, 'keep': ['port', 'asn']}, 'retention_days': 7}");

        assertThatThrownBy(() -> EmergencyCheck.check(CAPTURE_OFF, CURRENT, proposed))
                .hasMessage("field capture.enabled is set to \"off\", not to false; "
                        + "an emergency may only set capture.enabled to false");
    }

    @Test
    void check_undeclaredFieldSet_refused() {
        JsonNode proposed = json(
                "{'capture': {'enabled': true, 'exit_tos': 40, 'keep': ['port', 'asn']}, 'retention_days': 1}");

        assertThatThrownBy(() -> EmergencyCheck.check(CAPTURE_OFF, CURRENT, proposed))
                .hasMessage("field retention_days differs from the current configuration; "
                        + "an emergency may only set capture.enabled to false");
    }

    @Test
    void check_noCurrentConfiguration_refused() {
        JsonNode proposed = json("{'capture': {'enabled': false}}");

        assertThatThrownBy(() -> EmergencyCheck.check(CAPTURE_OFF, null, proposed))
                .isInstanceOf(EmergencyException.class)
                .hasMessageStartingWith("the component has no current configuration");
    }

    @Test
    void check_nothingChanged_refused() {
        assertThatThrownBy(() -> EmergencyCheck.check(CAPTURE_OFF, CURRENT, CURRENT.deepCopy()))
                .hasMessageStartingWith("the proposed configuration equals the current one");
    }

    @Test
    void check_someOfSeveralDeclaredFields_allowed() throws Exception {
        Map<String, JsonNode> set = new LinkedHashMap<>();
        set.put("capture.enabled", BooleanNode.FALSE);
        set.put("mirror.enabled", BooleanNode.FALSE);
        Emergency both = new Emergency(set, new ApprovalRule(List.of()), Duration.ofHours(1));
        JsonNode current = json("{'capture': {'enabled': true}, 'mirror': {'enabled': true, 'port': 3}}");

        EmergencyCheck.check(both, current, json("{'capture': {'enabled': true}, 'mirror': {'enabled': false, 'port': 3}}"));
        EmergencyCheck.check(both, current, json("{'capture': {'enabled': false}, 'mirror': {'enabled': false, 'port': 3}}"));
        assertThatThrownBy(() -> EmergencyCheck.check(both, current,
                json("{'capture': {'enabled': false}, 'mirror': {'enabled': false, 'port': 4}}")))
                .hasMessage("field mirror.port differs from the current configuration; "
                        + "an emergency may only set capture.enabled to false and mirror.enabled to false");
    }

    @Test
    void check_declaredFieldMissingFromCurrent_mayBeAddedWithDeclaredValue() throws Exception {
        JsonNode current = json("{'capture': {'exit_tos': 40}}");

        EmergencyCheck.check(CAPTURE_OFF, current, json("{'capture': {'exit_tos': 40, 'enabled': false}}"));
        assertThatThrownBy(() -> EmergencyCheck.check(CAPTURE_OFF, json("{}"), json("{'capture': {'enabled': false}}")))
                .hasMessage("field capture is added; an emergency may only set capture.enabled to false");
    }

    // ---- issue 13 item 7: fields are member-name lists, not dot-joined text ----

    private static final Emergency MIRROR_OFF = new Emergency(
            Map.of("mirror.enabled", BooleanNode.FALSE), new ApprovalRule(List.of()), Duration.ofHours(24));

    @Test
    void check_literalDottedTopLevelKey_notTheDeclaredField() {
        // no schema with additionalProperties: false here, so only the structural comparison stops it
        JsonNode current = json("{'mirror': {'enabled': true}}");
        JsonNode proposed = json("{'mirror': {'enabled': true}, 'mirror.enabled': false}");

        assertThatThrownBy(() -> EmergencyCheck.check(MIRROR_OFF, current, proposed))
                .isInstanceOf(EmergencyException.class)
                .hasMessage("field /mirror.enabled is added; an emergency may only set mirror.enabled to false");
    }

    @Test
    void check_existingLiteralDottedKeyChanged_refusedAsDifference() {
        JsonNode current = json("{'mirror': {'enabled': true}, 'mirror.enabled': true}");
        JsonNode proposed = json("{'mirror': {'enabled': true}, 'mirror.enabled': false}");

        assertThatThrownBy(() -> EmergencyCheck.check(MIRROR_OFF, current, proposed))
                .hasMessageStartingWith("field /mirror.enabled differs from the current configuration");
    }

    @Test
    void check_nestedLiteralDottedKey_notTheDeclaredField() {
        Emergency deep = new Emergency(Map.of("a.b.c", BooleanNode.FALSE), new ApprovalRule(List.of()),
                Duration.ofHours(1));
        JsonNode current = json("{'a': {'b': {'c': true}}}");

        assertThatThrownBy(() -> EmergencyCheck.check(deep, current, json("{'a': {'b': {'c': true}, 'b.c': false}}")))
                .hasMessageStartingWith("field /a/b.c is added");
        assertThatThrownBy(() -> EmergencyCheck.check(deep, current, json("{'a.b': {'c': false}, 'a': {'b': {'c': true}}}")))
                .hasMessageStartingWith("field /a.b is added");
    }

    @Test
    void check_jsonPointerPathToMemberWithDot_allowed() throws Exception {
        Emergency e = new Emergency(Map.of("/mirror.v2/enabled", BooleanNode.FALSE), new ApprovalRule(List.of()),
                Duration.ofHours(1));
        JsonNode current = json("{'mirror.v2': {'enabled': true}, 'mirror': {'v2': {'enabled': true}}}");

        EmergencyCheck.check(e, current, json("{'mirror.v2': {'enabled': false}, 'mirror': {'v2': {'enabled': true}}}"));
        assertThatThrownBy(() -> EmergencyCheck.check(e, current,
                json("{'mirror.v2': {'enabled': true}, 'mirror': {'v2': {'enabled': false}}}")))
                .hasMessage("field mirror differs from the current configuration; "
                        + "an emergency may only set /mirror.v2/enabled to false");
    }
}
