package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.foureyes.policy.ContentGuards;
import org.foureyes.policy.GuardViolation;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.testing.TorExitFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's adversarial suite, injection part: every string (and number) of the tor-exit example
 * configurations is replaced by values carrying control characters, quotes, shell and filter
 * operators, or too many characters. Each one must either be refused by the policy (schema and
 * guards, what the server checks when the request arrives), in which case the hook refuses it too;
 * or, where the policy accepts it, the real hook must render it as the same single value in the same
 * line, with no extra line, directive or argument.
 */
class ConfigInjectionTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Payloads by name; each is tried appended to, prepended to and instead of a field's value. */
    static final Map<String, String> PAYLOADS = new LinkedHashMap<>();

    static {
        PAYLOADS.put("LF", "\n");
        PAYLOADS.put("CR", "\r");
        PAYLOADS.put("CRLF", "\r\n");
        PAYLOADS.put("NUL", "\u0000");
        PAYLOADS.put("SOH", "\u0001");
        PAYLOADS.put("TAB", "\t");
        PAYLOADS.put("VT", "\u000b");
        PAYLOADS.put("FF", "\f");
        PAYLOADS.put("ESC", "\u001b");
        PAYLOADS.put("US", "\u001f");
        PAYLOADS.put("DEL", "\u007f");
        PAYLOADS.put("NEL", "\u0085");
        PAYLOADS.put("LS", "\u2028");
        PAYLOADS.put("PS", "\u2029");
        PAYLOADS.put("non-ASCII", "\u00e9");
        PAYLOADS.put("double quote", "\"");
        PAYLOADS.put("single quote", "'");
        PAYLOADS.put("backslash", "\\");
        PAYLOADS.put("command substitution", "$(reboot)");
        PAYLOADS.put("variable", "${IFS}");
        PAYLOADS.put("backticks", "`reboot`");
        PAYLOADS.put("semicolon", ";reboot");
        PAYLOADS.put("pipe", "|reboot");
        PAYLOADS.put("and-and", " && reboot");
        PAYLOADS.put("BPF or", " or ip");
        PAYLOADS.put("BPF or in parentheses", ")or(ip");
        PAYLOADS.put("or-or", "||ip");
        PAYLOADS.put("hash", "#x");
        PAYLOADS.put("space", " ");
        PAYLOADS.put("inner space", "a b");
        PAYLOADS.put("torrc directive", "\nExitPolicy accept *:*");
        PAYLOADS.put("torrc continuation", " \\");
        PAYLOADS.put("nft string end", "\" accept; }");
        PAYLOADS.put("heredoc end", "\nNFT\n");
        PAYLOADS.put("comma list", ",accept *:22");
    }

    /**
     * The payloads also run through the hook (appended, and the overlong value) when the policy refuses
     * them: the hook must refuse too. A few, since each run starts a shell and jq (OpsHooksTest has more).
     */
    static final List<String> HOOK_PAYLOADS = List.of("LF", "LS", "double quote", "BPF or");

    enum Position { APPEND, PREPEND, ALONE, OVERLONG }

    static Policy policy;
    static final Map<String, ContentGuards> GUARDS = new LinkedHashMap<>();
    static final AtomicInteger REFUSED = new AtomicInteger();
    static final AtomicInteger ACCEPTED = new AtomicInteger();
    static final AtomicInteger HOOK_RUNS = new AtomicInteger();
    static final Map<Path, OpsHookRunner.Result> BASELINES = new java.util.HashMap<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void load() throws Exception {
        policy = PolicyLoader.load(TorExitFixtures.TOR_EXIT);
        for (String c : List.of("relay", "switch", "monitor")) {
            GUARDS.put(c, ContentGuards.compile(policy.components().get(c)));
        }
    }

    @AfterAll
    static void summary() {
        System.out.printf("ConfigInjectionTest: %d mutated configurations refused by the policy, %d accepted and "
                + "rendered as one value, %d hook runs%n", REFUSED.get(), ACCEPTED.get(), HOOK_RUNS.get());
    }

    /** The examples operators start from, plus the optional fields they leave out. */
    static Map<String, List<String>> variants() {
        String monitor = TorExitFixtures.example("monitor");
        return Map.of(
                "relay", List.of(TorExitFixtures.example("relay")),
                "switch", List.of(TorExitFixtures.example("switch")),
                "monitor", List.of(monitor, monitor.replace("\"exit_tos\": 40}",
                        "\"exit_tos\": 40, \"narrow\": {\"protocols\": [\"tcp\", \"udp\"], \"dst_ports\": [443], \"src_ports\": [1024]}}")));
    }

    static List<GuardViolation> policyCheck(String component, JsonNode config, JsonNode current) {
        return GUARDS.get(component).check(config, current, ContentGuards.request("rene", component, "test", false));
    }

    @TestFactory
    List<DynamicTest> everyField_everyPayload_refusedByPolicyAndHookOrRenderedAsOneValue() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        int variantNo = 0;
        for (Map.Entry<String, List<String>> e : variants().entrySet()) {
            for (String text : e.getValue()) {
                String component = e.getKey();
                JsonNode example = JSON.readTree(text);
                assertThat(policyCheck(component, example, example)).as(component + " example").isEmpty();
                Path dir = tmp.resolve("v" + variantNo++);
                for (Map.Entry<JsonPointer, JsonNode> leaf : leaves(example).entrySet()) {
                    tests.add(DynamicTest.dynamicTest(component + leaf.getKey(),
                            () -> checkField(component, example, leaf.getKey(), leaf.getValue(), dir)));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(25);
        return tests;
    }

    private static void checkField(String component, JsonNode example, JsonPointer at, JsonNode original, Path dir)
            throws Exception {
        String value = original.asText();
        OpsHookRunner.Result baseline = baseline(component, example, dir);
        SoftAssertions soft = new SoftAssertions();
        int n = 0;
        for (Map.Entry<String, String> p : PAYLOADS.entrySet()) {
            for (Position pos : Position.values()) {
                if (pos == Position.OVERLONG && !p.getKey().equals("LF")) {
                    continue; // one overlong value per field is enough
                }
                String mutated = switch (pos) {
                    case APPEND -> value + p.getValue();
                    case PREPEND -> p.getValue() + value;
                    case ALONE -> p.getValue();
                    case OVERLONG -> value.repeat(1 + 1000 / Math.max(1, value.length()));
                };
                JsonNode config = with(example, at, mutated);
                String what = component + at + " = " + JSON.writeValueAsString(mutated) + " (" + p.getKey() + ", " + pos + ")";
                Path runDir = dir.resolve("r" + at.toString().replace('/', '_') + "-" + n++);
                if (!policyCheck(component, config, example).isEmpty()) {
                    REFUSED.incrementAndGet();
                    if (pos == Position.APPEND && HOOK_PAYLOADS.contains(p.getKey()) || pos == Position.OVERLONG) {
                        OpsHookRunner.Result r = OpsHookRunner.run(component, config.toString(), runDir);
                        HOOK_RUNS.incrementAndGet();
                        soft.assertThat(r.exit()).as("the hook must refuse what the policy refuses: " + what).isEqualTo(3);
                        soft.assertThat(r.files().keySet()).as("nothing written for " + what).isEmpty();
                    }
                    continue;
                }
                ACCEPTED.incrementAndGet();
                // Accepted: printable ASCII only, and rendered exactly where the original value was.
                soft.assertThat(mutated.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)).as(what).isTrue();
                soft.assertThat(mutated).as(what).doesNotContain("\"", "\\", "#");
                OpsHookRunner.Result r = OpsHookRunner.run(component, config.toString(), runDir);
                HOOK_RUNS.incrementAndGet();
                soft.assertThat(r.exit()).as(what + ": " + r.output()).isZero();
                soft.assertThat(r.files().keySet()).as(what).isEqualTo(baseline.files().keySet());
                for (Map.Entry<String, String> f : baseline.files().entrySet()) {
                    soft.assertThat(body(r.files().get(f.getKey())))
                            .as(what + " in " + f.getKey())
                            .isEqualTo(body(f.getValue()).replace(value, mutated));
                }
            }
        }
        soft.assertAll();
    }

    /** What the hook renders for the unchanged example (once per example). */
    private static synchronized OpsHookRunner.Result baseline(String component, JsonNode example, Path dir) throws Exception {
        OpsHookRunner.Result r = BASELINES.get(dir);
        if (r == null) {
            r = OpsHookRunner.run(component, example.toString(), dir.resolve("baseline"));
            assertThat(r.exit()).as(r.output()).isZero();
            BASELINES.put(dir, r);
        }
        return r;
    }

    /** A rendered file without its header line, which carries the configuration's hash. */
    private static String body(String file) {
        return file == null ? null : file.replaceAll("(?m)^# Written by foureyes .*\n", "");
    }

    /** Every string and number in {@code node}, by JSON pointer. */
    static Map<JsonPointer, JsonNode> leaves(JsonNode node) {
        Map<JsonPointer, JsonNode> out = new LinkedHashMap<>();
        collect(node, JsonPointer.empty(), out);
        return out;
    }

    private static void collect(JsonNode node, JsonPointer at, Map<JsonPointer, JsonNode> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> collect(f.getValue(), at.appendProperty(f.getKey()), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), at.appendIndex(i), out);
            }
        } else if (node.isTextual() || node.isNumber()) {
            out.put(at, node);
        }
    }

    /** A copy of {@code config} with the value at {@code at} replaced by the string {@code value}. */
    static JsonNode with(JsonNode config, JsonPointer at, String value) {
        JsonNode copy = config.deepCopy();
        JsonNode parent = copy.at(at.head());
        if (parent instanceof ObjectNode o) {
            o.set(at.last().getMatchingProperty(), TextNode.valueOf(value));
        } else {
            ((ArrayNode) parent).set(at.last().getMatchingIndex(), TextNode.valueOf(value));
        }
        return copy;
    }

    @Test
    void schemas_valueWithTrailingLineBreak_refused() throws Exception {
        // A JSON Schema pattern "^...$" runs with Java's regex here, where $ also matches before a
        // final line break: the tor-exit patterns end in (?![\s\S]) instead.
        Map<String, JsonPointer> fields = Map.of(
                "relay", JsonPointer.compile("/nickname"),
                "switch", JsonPointer.compile("/mirror/sessions/0/name"));
        for (Map.Entry<String, JsonPointer> f : fields.entrySet()) {
            JsonNode example = JSON.readTree(TorExitFixtures.example(f.getKey()));
            String value = example.at(f.getValue()).asText();
            for (String end : List.of("\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029")) {
                assertThat(policyCheck(f.getKey(), with(example, f.getValue(), value + end), example))
                        .as(f.getKey() + f.getValue() + " + " + JSON.writeValueAsString(end))
                        .extracting(GuardViolation::guard).contains(ContentGuards.SCHEMA);
            }
        }
    }

    @Test
    void schemas_unknownFieldAnywhere_refused() throws Exception {
        for (String c : List.of("relay", "switch", "monitor")) {
            JsonNode example = JSON.readTree(TorExitFixtures.example(c));
            List<JsonPointer> objects = new ArrayList<>();
            objects.add(JsonPointer.empty());
            leaves(example).keySet().forEach(p -> {
                for (JsonPointer q = p.head(); q != null && !q.toString().isEmpty(); q = q.head()) {
                    if (example.at(q).isObject() && !objects.contains(q)) {
                        objects.add(q);
                    }
                }
            });
            for (JsonPointer at : objects) {
                JsonNode copy = example.deepCopy();
                ((ObjectNode) copy.at(at)).put("filter\nExitPolicy accept *:*", "ip or tcp");

                assertThat(policyCheck(c, copy, example)).as(c + at).extracting(GuardViolation::guard)
                        .contains(ContentGuards.SCHEMA);
                OpsHookRunner.Result r = OpsHookRunner.run(c, copy.toString(), tmp.resolve("unknown-" + c + at.toString().replace('/', '_')));
                assertThat(r.exit()).as(c + at + ": " + r.output()).isEqualTo(3);
                assertThat(r.files()).as(c + at).isEmpty();
            }
        }
    }
}
