package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentGuardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final JsonNode MONITOR_SCHEMA = json("""
            {'type': 'object',
             'required': ['capture'],
             'additionalProperties': false,
             'properties': {
               'capture': {'type': 'object', 'additionalProperties': false,
                 'required': ['enabled', 'exit_tos'],
                 'properties': {'enabled': {'type': 'boolean'}, 'exit_tos': {'type': 'integer'},
                                'keep': {'type': 'array', 'items': {'enum': ['port', 'asn', 'country']}}}},
               'retention_days': {'type': 'integer', 'minimum': 1, 'maximum': 30}}}
            """);

    private static final Guard ONLY_EXIT = new Guard("only-exit-traffic",
            "config.capture.exit_tos == 40",
            "the monitor may only capture traffic marked as exit traffic");
    private static final Guard NO_DESTINATIONS = new Guard("no-destination-addresses",
            "config.capture.keep.all(k, k in ['port', 'asn', 'country'])",
            "the monitor keeps only ports, AS numbers and countries");
    private static final Guard NO_LONGER_RETENTION = new Guard("retention-not-longer",
            "current == null || !has(current.retention_days) || config.retention_days <= current.retention_days",
            "retention may only be shortened");

    static Component component(Optional<JsonNode> schema, Guard... guards) {
        return new Component("monitor", "the monitor", schema, List.of(guards), Optional.empty());
    }

    private static final Map<String, Object> REQUEST = ContentGuards.request("anna", "monitor", "tighten", false);

    private static ContentGuards monitorGuards() throws GuardException {
        return ContentGuards.compile(component(Optional.of(MONITOR_SCHEMA), ONLY_EXIT, NO_DESTINATIONS, NO_LONGER_RETENTION));
    }

    @Test
    void check_validConfiguration_noViolations() throws Exception {
        JsonNode config = json("{'capture': {'enabled': true, 'exit_tos': 40, 'keep': ['port', 'asn']}, 'retention_days': 7}");
        JsonNode current = json("{'capture': {'enabled': true, 'exit_tos': 40, 'keep': ['port']}, 'retention_days': 14}");

        assertThat(monitorGuards().check(config, current, REQUEST)).isEmpty();
        assertThat(monitorGuards().check(config, null, REQUEST)).isEmpty();
    }

    @Test
    void check_schemaTypeError_reportsSchemaViolationWithPath() throws Exception {
        JsonNode config = json("{'capture': {'enabled': 'yes', 'exit_tos': 40, 'keep': []}}");

        List<GuardViolation> violations = monitorGuards().check(config, null, REQUEST);

        assertThat(violations).extracting(GuardViolation::guard).containsExactly("schema");
        assertThat(violations.get(0).message()).contains("$.capture.enabled").contains("boolean");
    }

    @Test
    void check_additionalProperty_reportsSchemaViolation() throws Exception {
        JsonNode config = json("{'capture': {'enabled': true, 'exit_tos': 40, 'keep': [], 'incoming': true}}");

        List<GuardViolation> violations = monitorGuards().check(config, null, REQUEST);

        assertThat(violations).extracting(GuardViolation::guard).containsExactly("schema");
        assertThat(violations.get(0).message()).contains("$.capture").contains("incoming");
    }

    @Test
    void check_guardFalse_reportsGuardNameAndMessage() throws Exception {
        JsonNode config = json("{'capture': {'enabled': true, 'exit_tos': 44, 'keep': ['port', 'dst']}}");

        List<GuardViolation> violations = monitorGuards().check(config, null, REQUEST);

        assertThat(violations).containsExactly(
                new GuardViolation("schema", violations.get(0).message()),
                new GuardViolation("only-exit-traffic", "the monitor may only capture traffic marked as exit traffic"),
                new GuardViolation("no-destination-addresses", "the monitor keeps only ports, AS numbers and countries"));
    }

    @Test
    void check_guardUsesCurrent_refusesLongerRetention() throws Exception {
        JsonNode current = json("{'capture': {'enabled': true, 'exit_tos': 40, 'keep': []}, 'retention_days': 7}");
        JsonNode config = json("{'capture': {'enabled': true, 'exit_tos': 40, 'keep': []}, 'retention_days': 8}");

        assertThat(monitorGuards().check(config, current, REQUEST))
                .containsExactly(new GuardViolation("retention-not-longer", "retention may only be shortened"));
    }

    @Test
    void check_runtimeErrorOnMissingField_isViolationNotPass() throws Exception {
        // no schema: the guard itself meets the missing field
        ContentGuards guards = ContentGuards.compile(component(Optional.empty(), ONLY_EXIT));

        List<GuardViolation> violations = guards.check(json("{'capture': {'enabled': true}}"), null, REQUEST);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).guard()).isEqualTo("only-exit-traffic");
        assertThat(violations.get(0).message())
                .startsWith("the monitor may only capture traffic marked as exit traffic (the expression could not be evaluated: ")
                .contains("exit_tos");
    }

    @Test
    void check_nonBooleanResult_isViolation() throws Exception {
        ContentGuards guards = ContentGuards.compile(component(Optional.empty(),
                new Guard("dyn", "config.flag", "flag must be set")));

        assertThat(guards.check(json("{'flag': true}"), null, REQUEST)).isEmpty();
        assertThat(guards.check(json("{'flag': 'true'}"), null, REQUEST))
                .extracting(GuardViolation::message).containsExactly("flag must be set (the expression gave true, not a bool)");
    }

    @Test
    void check_requestVariables_visibleToGuards() throws Exception {
        ContentGuards guards = ContentGuards.compile(component(Optional.empty(),
                new Guard("reason", "size(request.reason) >= 10 && request.component == 'monitor' && !request.emergency",
                        "give a reason of at least 10 characters"),
                new Guard("who", "request.iss != 'mallory'", "not mallory")));

        assertThat(guards.check(json("{}"), null, ContentGuards.request("anna", "monitor", "a long enough reason", false)))
                .isEmpty();
        assertThat(guards.check(json("{}"), null, ContentGuards.request("mallory", "monitor", "short", false)))
                .extracting(GuardViolation::guard).containsExactly("reason", "who");
    }

    @Test
    void check_jsonValueConversion_numbersNullsAndNesting() throws Exception {
        ContentGuards guards = ContentGuards.compile(component(Optional.empty(),
                new Guard("int", "config.port == 443 && type(config.port) == int", "int"),
                new Guard("double", "config.rate > 1 && config.rate < 2.0 && type(config.rate) == double", "double"),
                new Guard("null", "config.nothing == null", "null"),
                new Guard("list", "config.ports.exists(p, p == 80) && config.ports.map(p, p * 2)[1] == 886", "list"),
                new Guard("nested", "config.a.b.c == 'deep'", "nested"),
                new Guard("current-null", "current == null", "current-null")));

        assertThat(guards.check(json("{'port': 443, 'rate': 1.5, 'nothing': null, 'ports': [80, 443], 'a': {'b': {'c': 'deep'}}}"),
                null, REQUEST)).isEmpty();
    }

    @Test
    void compile_undeclaredReference_errorNamesGuardAndPosition() {
        Component c = component(Optional.empty(), new Guard("only-exit-traffic", "confg.capture.enabled", "m"));

        assertThatThrownBy(() -> ContentGuards.compile(c))
                .isInstanceOf(GuardException.class)
                .hasMessageStartingWith("guard 'only-exit-traffic': ERROR: <input>:1:1: undeclared reference to 'confg'")
                .satisfies(e -> assertThat(((GuardException) e).guardName()).isEqualTo("only-exit-traffic"));
    }

    @Test
    void compile_syntaxError_errorHasPosition() {
        Component c = component(Optional.empty(), new Guard("broken", "config.capture.enabled &&", "m"));

        assertThatThrownBy(() -> ContentGuards.compile(c))
                .isInstanceOf(GuardException.class)
                .hasMessageStartingWith("guard 'broken': ERROR: <input>:1:");
    }

    @Test
    void compile_nonBoolType_refused() {
        Component c = component(Optional.empty(), new Guard("count", "size(config)", "m"));

        assertThatThrownBy(() -> ContentGuards.compile(c))
                .isInstanceOf(GuardException.class)
                .hasMessage("guard 'count': the expression has type int, but a guard must be a bool");
    }

    @Test
    void compile_invalidSchema_refusedAsSchemaGuard() {
        Component c = component(Optional.of(json("{'type': 'objekt'}")));

        assertThatThrownBy(() -> ContentGuards.compile(c))
                .isInstanceOf(GuardException.class)
                .hasMessageStartingWith("guard 'schema': not a valid JSON Schema")
                .satisfies(e -> assertThat(((GuardException) e).guardName()).isEqualTo("schema"));
    }

    @Test
    void compile_unknownDialect_refused() {
        Component c = component(Optional.of(json("{'$schema': 'https://example.com/my-dialect', 'type': 'object'}")));

        assertThatThrownBy(() -> ContentGuards.compile(c))
                .isInstanceOf(GuardException.class)
                .hasMessageStartingWith("guard 'schema': unknown $schema");
    }

    @Test
    void compile_draft7Schema_usedForValidation() throws Exception {
        ContentGuards guards = ContentGuards.compile(component(Optional.of(json(
                "{'$schema': 'http://json-schema.org/draft-07/schema#', 'type': 'object', 'properties': {'n': {'type': 'integer'}}}"))));

        assertThat(guards.check(json("{'n': 1}"), null, REQUEST)).isEmpty();
        assertThat(guards.check(json("{'n': 'one'}"), null, REQUEST)).extracting(GuardViolation::guard).containsExactly("schema");
    }

    @Test
    void compile_remoteRef_refused() {
        Component c = component(Optional.of(json("{'$ref': 'https://example.com/schema.json'}")));

        assertThatThrownBy(() -> ContentGuards.compile(c))
                .isInstanceOf(GuardException.class)
                .hasMessageStartingWith("guard 'schema':");
    }

    @Test
    void compile_duplicateGuardName_refused() {
        Component c = component(Optional.empty(), new Guard("g", "true", "m"), new Guard("g", "true", "m"));

        assertThatThrownBy(() -> ContentGuards.compile(c)).hasMessageStartingWith("guard 'g': two guards");
    }

    @Test
    void check_notAnObject_refused() throws Exception {
        assertThat(monitorGuards().check(json("[1]"), null, REQUEST))
                .containsExactly(new GuardViolation("schema", "a configuration is a JSON object, not array"));
    }

    @Test
    void check_manyThreadsAtOnce_sameResultsAsOneThread() throws Exception {
        ContentGuards guards = monitorGuards();
        JsonNode good = json("{'capture': {'enabled': true, 'exit_tos': 40, 'keep': ['port']}, 'retention_days': 7}");
        JsonNode bad = json("{'capture': {'enabled': true, 'exit_tos': 44, 'keep': ['dst']}, 'retention_days': 9}");
        JsonNode current = json("{'capture': {'enabled': true, 'exit_tos': 40, 'keep': []}, 'retention_days': 8}");
        List<GuardViolation> expectedBad = guards.check(bad, current, REQUEST);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                JsonNode config = i % 2 == 0 ? good : bad;
                results.add(pool.submit(() -> config == good
                        ? guards.check(config, current, REQUEST).isEmpty()
                        : guards.check(config, current, REQUEST).equals(expectedBad)));
            }
            for (java.util.concurrent.Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expectedBad).extracting(GuardViolation::guard)
                .containsExactly("schema", "only-exit-traffic", "no-destination-addresses", "retention-not-longer");
    }

    @Test
    void check_requestValuesOfJavaTypes_converted() throws Exception {
        ContentGuards guards = ContentGuards.compile(component(Optional.empty(),
                new Guard("typed", "request.n == 3 && request.list[0] == 1 && request.none == null && !request.emergency", "m")));
        Map<String, Object> request = new java.util.HashMap<>();
        request.put("n", 3);
        request.put("list", List.of(1));
        request.put("none", null);

        assertThat(guards.check(json("{}"), null, request)).isEmpty();
    }
}
