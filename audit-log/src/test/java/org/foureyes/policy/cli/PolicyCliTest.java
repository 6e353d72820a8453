package org.foureyes.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCliTest {
    static final Path TOR_EXIT = Path.of("../policies/tor-exit.yml");
    static final Path MALFORMED = Path.of("src/test/resources/policies/malformed/key-name-not-principal.yml");

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PolicyCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** tor-exit.yml with nora also allowed to request relay changes: two people can then widen monitoring. */
    private Path widened() throws Exception {
        String yaml = Files.readString(TOR_EXIT).replace("network-operator: {request: [switch, policy],",
                "network-operator: {request: [switch, relay, policy],");
        Path p = tmp.resolve("tor-exit-widened.yml");
        Files.writeString(p, yaml);
        return p;
    }

    /**
     * Issue 13 item 9: tor-exit.yml without the coarse-time-buckets guard and with src_addr added to
     * the recordable fields. Derived from the parsed current file (not a copy of it), so it follows
     * the file's other changes.
     */
    static ObjectNode guardDroppedAddressRecordable(JsonNode torExit) {
        ObjectNode doc = torExit.deepCopy();
        JsonNode monitor = doc.path("components").path("monitor");
        ArrayNode guards = (ArrayNode) monitor.path("guards");
        int before = guards.size();
        for (int i = guards.size() - 1; i >= 0; i--) {
            if (guards.get(i).path("name").asText().equals("coarse-time-buckets")) {
                guards.remove(i);
            }
        }
        assertThat(guards.size()).as("tor-exit.yml has the guard coarse-time-buckets").isEqualTo(before - 1);
        JsonNode fields = monitor.path("schema").path("properties").path("record").path("properties").path("fields")
                .path("items").path("enum");
        assertThat(fields.isArray()).as("tor-exit.yml: monitor record.fields is an enum").isTrue();
        ((ArrayNode) fields).add("src_addr");
        return doc;
    }

    private Path guardDroppedFile() throws Exception {
        JsonNode torExit = new YAMLMapper().readTree(TOR_EXIT.toFile());
        Path p = tmp.resolve("tor-exit-coarse-dropped.yml");
        // JSON is YAML: the loader reads it like the file it came from.
        Files.writeString(p, guardDroppedAddressRecordable(torExit).toPrettyString());
        return p;
    }

    @Test
    void diff_guardDroppedAndAddressRecordable_printsWidensFirstAndExitsThree() throws Exception {
        assertThat(run("diff", TOR_EXIT.toString(), guardDroppedFile().toString())).isEqualTo(3);
        String text = out();
        assertThat(text).contains("\nWIDENS: the new policy accepts configurations the old one refused\n"
                + "  [widens] monitor: guard coarse-time-buckets removed (it required: config.record.bucket_minutes >= 60)\n"
                + "  [widens] monitor: schema record.fields[]: enum value \"src_addr\" added\n");
        assertThat(text.indexOf("WIDENS")).isLessThan(text.indexOf("Protected sets"));
        assertThat(text).doesNotContain("no change in principals");
        assertThat(err()).contains("widens", "exit 3");
    }

    @Test
    void diff_guardDroppedAndAddressRecordableJson_listsContentChanges() throws Exception {
        assertThat(run("diff", TOR_EXIT.toString(), guardDroppedFile().toString(), "--json")).isEqualTo(3);
        JsonNode j = new ObjectMapper().readTree(out());
        assertThat(j.path("widens").asBoolean()).isTrue();
        assertThat(j.path("content").toString()).isEqualTo("[{\"scope\":\"monitor\",\"what\":\"guard coarse-time-buckets"
                + " removed (it required: config.record.bucket_minutes >= 60)\",\"verdict\":\"widens\"},"
                + "{\"scope\":\"monitor\",\"what\":\"schema record.fields[]: enum value \\\"src_addr\\\" added\","
                + "\"verdict\":\"widens\"}]");
    }

    @Test
    void check_torExit_exitsZeroAndPrintsCoalition() {
        assertThat(run("check", TOR_EXIT.toString())).isZero();
        assertThat(out()).contains("widen-monitoring (relay, switch, monitor): 3 (rene, nora, anna) directly; min_coalition 3: ok")
                .contains("ok: no violations").startsWith("file ../policies/tor-exit.yml\nsha256 ");
        assertThat(err()).isEmpty();
    }

    @Test
    void check_torExitJson_hasCoalitionAndHash() throws Exception {
        assertThat(run("check", TOR_EXIT.toString(), "--json")).isZero();
        JsonNode j = new ObjectMapper().readTree(out());
        assertThat(j.path("ok").asBoolean()).isTrue();
        assertThat(j.path("sha256").asText()).hasSize(64);
        assertThat(j.path("protected").get(0).path("size").asInt()).isEqualTo(3);
    }

    @Test
    void check_violation_exitsOneWithReportAndRefusal() throws Exception {
        Path p = widened();
        assertThat(run("check", p.toString())).isEqualTo(1);
        assertThat(out()).contains("2 violations:")
                .contains("principal 'nora' holds 2 of the rights of separation set 'one-vantage-point-each' (request:relay, request:switch), at most 1 allowed")
                .contains("can be changed by 2 principals (nora, anna) directly; min_coalition is 3");
        assertThat(err()).startsWith("tor-exit-widened.yml:");
        assertThat(err()).contains(": separation[0]: policy refused, 2 violations: 1) principal 'nora'");
    }

    @Test
    void check_malformedFile_exitsTwoWithOneLineNoStackTrace() {
        assertThat(run("check", MALFORMED.toString())).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("key-name-not-principal.yml:15: principals.rene.keys[0]: key name 'bob' is not the principal's name 'rene'\n");
    }

    @Test
    void check_missingFile_exitsTwo() {
        assertThat(run("check", "no/such/policy.yml")).isEqualTo(2);
        assertThat(err()).isEqualTo("no/such/policy.yml: no such file\n");
    }

    @Test
    void run_badArguments_exitsTwoWithUsage() {
        assertThat(run("check")).isEqualTo(2);
        assertThat(err()).contains("usage: policy check FILE");
        assertThat(run("frobnicate", "x")).isEqualTo(2);
        assertThat(run("check", "x", "--yaml")).isEqualTo(2);
    }

    @Test
    void diff_widenedPolicy_showsGainedRightAndSmallerCoalitionAndExitsOne() throws Exception {
        assertThat(run("diff", TOR_EXIT.toString(), widened().toString())).isEqualTo(1);
        assertThat(out()).contains("Rights\n  nora: +request:relay\n")
                .contains("Protected sets (cheapest coalition, before -> after)\n  widen-monitoring: 3 -> 2 (min_coalition 3) TOO SMALL\n")
                .contains("the new policy would be refused:");
        assertThat(err()).contains("policy refused");
    }

    @Test
    void diff_widenedPolicyJson_hasStableShape() throws Exception {
        run("diff", TOR_EXIT.toString(), widened().toString(), "--json");
        JsonNode j = new ObjectMapper().readTree(out());
        assertThat(j.path("rights").toString()).isEqualTo("[{\"principal\":\"nora\",\"gained\":[\"request:relay\"],\"lost\":[]}]");
        assertThat(j.path("coalitions").toString())
                .isEqualTo("[{\"set\":\"widen-monitoring\",\"old\":3,\"new\":2,\"min_coalition\":3,\"ok\":false}]");
        assertThat(j.path("new_violations").size()).isEqualTo(2);
    }

    @Test
    void diff_sameFile_saysNoChangesAndExitsZero() {
        assertThat(run("diff", TOR_EXIT.toString(), TOR_EXIT.toString())).isZero();
        assertThat(out()).endsWith("no changes: the documents are identical\n");
    }

    @Test
    void diff_principalAndKeyChanges_listed() throws Exception {
        String yaml = Files.readString(TOR_EXIT);
        String ines = yaml.lines().filter(l -> l.startsWith("  ines:")).findFirst().orElseThrow();
        Path p = tmp.resolve("no-auditor.yml");
        Files.writeString(p, yaml.replace(ines + "\n", "").replace("approvals:\n  default: {factors: [{count: 1,",
                "approvals:\n  default: {factors: [{count: 2,")
                .replace("  relay:   {", "  relay:   {"));
        int code = run("diff", TOR_EXIT.toString(), p.toString());
        assertThat(out()).contains("Principals\n  - ines\n").contains("Rights\n  ines: -read\n")
                .contains("relay: 1 approver with role relay-operator or network-operator or analyst -> 2 approvers with role relay-operator or network-operator or analyst");
        assertThat(code).isZero();
    }
}
