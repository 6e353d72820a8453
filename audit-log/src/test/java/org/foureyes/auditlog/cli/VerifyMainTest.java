package org.foureyes.auditlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.auditlog.verify.CliFixtures.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.foureyes.auditlog.verify.CliFixtures;
import org.foureyes.auditlog.verify.CliFixtures.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyMainTest {

    @TempDir
    static Path tmp;
    static CliFixtures fx;

    @BeforeAll
    static void setUp() throws IOException {
        fx = CliFixtures.create(tmp, 1000);
    }


    static void assertNoTrace(Run r) {
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("Exception").doesNotContain("at org.");
    }

    static void assertInputError(Run r, String messagePart) {
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(messagePart);
        assertNoTrace(r);
    }

    @Test
    void run_validExport_exits0AndPrintsSummary() {
        Run r = run("log", "--chain-only", "--key", fx.keyText(), fx.good().toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(0);
        assertThat(r.out().strip()).isEqualTo("verified 1000 entries; root " + fx.rootB64()
                + " matches checkpoint " + fx.origin() + " size 1000 signed by " + fx.keyName());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void run_keyFromFile_exits0() {
        Run r = run("log", "--chain-only", "--key", "@" + fx.keyFile(), fx.good().toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(0);
    }

    @Test
    void run_jsonOnSuccess_printsJsonObject() throws IOException {
        Run r = run("log", "--chain-only", "--json", "--key", fx.keyText(), "--since", fx.olderCheckpoint().toString(),
                fx.good().toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(0);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("verified").asBoolean()).isTrue();
        assertThat(j.get("entries").asLong()).isEqualTo(1000);
        assertThat(j.get("root").asText()).isEqualTo(fx.rootB64());
        assertThat(j.get("since").get("size").asLong()).isEqualTo(600);
        assertThat(j.get("since").get("consistency_proof").size()).isPositive();
    }

    @Test
    void run_sinceConsistent_exits0AndSaysSo() {
        Run r = run("log", "--chain-only", "--key", fx.keyText(), "--since", fx.olderCheckpoint().toString(), fx.good().toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("consistent with the saved checkpoint of size 600");
    }

    @Test
    void run_sinceFromOtherHistory_exits1() {
        Run r = run("log", "--chain-only", "--key", fx.keyText(), "--since", fx.forkCheckpoint().toString(), fx.good().toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED").contains("fork");
        assertNoTrace(r);
    }

    @Test
    void run_tamperedExport_exits1WithEvidence() {
        Run r = run("log", "--chain-only", "--key", fx.keyText(), fx.tampered().toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("foureyes-verify: FAILED: entry 517: ");
        assertThat(r.out()).isEmpty();
        assertNoTrace(r);
    }

    @Test
    void run_tamperedExportWithJson_printsFailureJson() throws IOException {
        Run r = run("log", "--chain-only", "--json", "--key", fx.keyText(), fx.tampered().toString());
        assertThat(r.code()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("verified").asBoolean()).isFalse();
        assertThat(j.get("failure").get("seq").asLong()).isEqualTo(517);
        assertThat(j.get("failure").get("kind").asText()).isEqualTo("prev_mismatch");
    }

    @Test
    void run_noArgs_exits2WithUsage() {
        Run r = run();
        assertInputError(r, "usage: foureyes-verify log");
        assertThat(r.err()).contains("exit codes");
    }

    @Test
    void run_help_exits0() {
        assertThat(run("--help").code()).isZero();
        assertThat(run("log", "--chain-only", "--help").out()).contains("--since");
    }

    @Test
    void run_unknownSubcommand_exits2() {
        assertInputError(run("frobnicate"), "unknown subcommand \"frobnicate\"");
    }

    @Test
    void run_unknownOption_exits2() {
        assertInputError(run("log", "--chain-only", "--key", fx.keyText(), "--bogus", fx.good().toString()), "unknown option --bogus");
    }

    @Test
    void run_missingKey_exits2() {
        assertInputError(run("log", "--chain-only", fx.good().toString()), "--key is required");
    }

    @Test
    void run_keyWithoutValue_exits2() {
        assertInputError(run("log", "--chain-only", "--key"), "--key needs a value");
    }

    @Test
    void run_unparsableKey_exits2() {
        assertInputError(run("log", "--chain-only", "--key", "not-a-key", fx.good().toString()), "--key: not a verifier key");
    }

    @Test
    void run_missingKeyFile_exits2() {
        assertInputError(run("log", "--chain-only", "--key", "@" + tmp.resolve("nokey"), fx.good().toString()), "does not exist");
    }

    @Test
    void run_privateKeyGiven_exits2() {
        assertInputError(run("log", "--chain-only", "--key", "PRIVATE+KEY+x+00000000+AAAA", fx.good().toString()), "private key");
    }

    @Test
    void run_noExportDir_exits2() {
        assertInputError(run("log", "--chain-only", "--key", fx.keyText()), "expected exactly one export directory");
    }

    @Test
    void run_missingDir_exits2() {
        assertInputError(run("log", "--chain-only", "--key", fx.keyText(), tmp.resolve("missing").toString()), "does not exist");
    }

    @Test
    void run_fileInsteadOfDir_exits2() {
        assertInputError(run("log", "--chain-only", "--key", fx.keyText(), fx.keyFile().toString()), "is not a directory");
    }

    @Test
    void run_missingEntriesFile_exits2() throws IOException {
        Path d = fx.copyOfGood("no-entries");
        Files.delete(d.resolve("entries.ndjson"));
        assertInputError(run("log", "--chain-only", "--key", fx.keyText(), d.toString()), "entries.ndjson");
    }

    @Test
    void run_missingCheckpoint_exits2() throws IOException {
        Path d = fx.copyOfGood("no-checkpoint");
        Files.delete(d.resolve("checkpoint"));
        assertInputError(run("log", "--chain-only", "--key", fx.keyText(), d.toString()), "checkpoint");
    }

    @Test
    void run_garbageLines_exits2() throws IOException {
        Path d = fx.copyOfGood("garbage");
        Files.writeString(d.resolve("entries.ndjson"), "hello\nworld\n\u0000\u0001binary\n");
        assertInputError(run("log", "--chain-only", "--key", fx.keyText(), d.toString()), "not a log export");
    }

    @Test
    void run_missingSinceFile_exits2() {
        assertInputError(run("log", "--chain-only", "--key", fx.keyText(), "--since", tmp.resolve("nope").toString(),
                fx.good().toString()), "saved checkpoint");
    }

    @Test
    void run_wrongKey_exits1NamingKeys() {
        Run r = run("log", "--chain-only", "--key", fx.otherKeyText(), fx.good().toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("checkpoint does not verify with the pinned key");
        assertNoTrace(r);
    }

    @Test
    void run_debugFlag_isAccepted() {
        assertThat(run("log", "--chain-only", "--debug", "--key", fx.keyText(), fx.good().toString()).code()).isZero();
    }

    @Test
    void run_progressFlag_printsProgressOnStderr() {
        Run r = run("log", "--chain-only", "--progress", "--key", fx.keyText(), fx.good().toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("progress: 1,000 entries").contains("(done)");
    }

    @Test
    void run_version_exits0AndNamesTheTool() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("foureyes-verify ");
        assertThat(r.err()).isEmpty();
    }
}
