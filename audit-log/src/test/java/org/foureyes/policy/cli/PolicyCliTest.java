package org.foureyes.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
