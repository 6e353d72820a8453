package org.foureyes.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.foureyes.server.FoureyesApplication;
import org.foureyes.server.FoureyesConfiguration;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dropwizard command parses its arguments, delegates to PolicyCli and exits with its code. */
class PolicyCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Integer> exits = new ArrayList<>();

    private Optional<Throwable> run(String... args) {
        FoureyesApplication app = new FoureyesApplication();
        Bootstrap<FoureyesConfiguration> bootstrap = new Bootstrap<>(app);
        bootstrap.addCommand(new PolicyCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), exits::add));
        Cli cli = new Cli(new JarLocation(FoureyesApplication.class), bootstrap, out, err);
        return cli.run(args);
    }

    @Test
    void initialize_registersPolicyCommand() {
        FoureyesApplication app = new FoureyesApplication();
        Bootstrap<FoureyesConfiguration> bootstrap = new Bootstrap<>(app);
        app.initialize(bootstrap);
        assertThat(bootstrap.getCommands()).anyMatch(c -> c instanceof PolicyCommand && c.getName().equals("policy"));
    }

    @Test
    void policyCheck_torExit_printsAnalysisAndDoesNotExit() {
        assertThat(run("policy", "check", "../policies/tor-exit.yml")).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("widen-monitoring (relay, switch, monitor): 3 (rene, nora, anna)");
        assertThat(exits).isEmpty();
    }

    @Test
    void policyCheckJson_malformed_exitsTwoWithMessage() {
        assertThat(run("policy", "check", "--json",
                "../audit-log/src/test/resources/policies/malformed/missing-timing.yml")).isEmpty();
        assertThat(exits).containsExactly(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing-timing.yml:2: timing: required field missing\n");
    }

    @Test
    void policyDiff_sameFile_noChanges() {
        assertThat(run("policy", "diff", "../policies/tor-exit.yml", "../policies/tor-exit.yml")).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no changes: the documents are identical");
        assertThat(exits).isEmpty();
    }

    @Test
    void policyCheck_torExitWithPublishedTestKeys_warnsOnStderrNamingThePrincipals() {
        assertThat(run("policy", "check", "../policies/tor-exit.yml")).isEmpty();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("WARNING", "TEST KEYS",
                "rene, nora, anna, agent-relay, agent-switch, agent-monitor, ines");
        assertThat(exits).isEmpty();
    }

    @Test
    void policyCheckJson_torExit_keepsStdoutJsonAndWarnsOnStderr() throws Exception {
        assertThat(run("policy", "check", "--json", "../policies/tor-exit.yml")).isEmpty();

        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("TEST KEYS");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TEST KEYS");
    }

    @Test
    void policyCheck_policyWithOwnKeys_doesNotWarn() throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("../policies/tor-exit.yml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([a-z-]+)\\+[0-9a-f]{8}\\+[A-Za-z0-9+/=]+\"")
                .matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, "\"" + java.util.regex.Matcher.quoteReplacement(
                    org.foureyes.auditlog.SignerKey.generate(m.group(1)).verifierKey().toString()) + "\"");
        }
        m.appendTail(b);
        java.nio.file.Path own = java.nio.file.Files.createTempFile("own-keys", ".yml");
        java.nio.file.Files.writeString(own, b);

        assertThat(run("policy", "check", own.toString())).isEmpty();

        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("TEST KEYS");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("rene");
        java.nio.file.Files.delete(own);
    }

    @Test
    void policyDiff_guardDroppedAndAddressRecordable_namesBothAsWideningAndExitsThree(@TempDir Path tmp)
            throws Exception {
        Path proposed = tmp.resolve("proposed.yml");
        Files.writeString(proposed, WideningPolicy.guardDroppedAddressRecordable(
                new YAMLMapper().readTree(Path.of("../policies/tor-exit.yml").toFile())).toPrettyString());
        assertThat(run("policy", "diff", "../policies/tor-exit.yml", proposed.toString())).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("WIDENS",
                "[widens] monitor: guard coarse-time-buckets removed",
                "[widens] monitor: schema record.fields[]: enum value \"src_addr\" added");
        assertThat(exits).containsExactly(3);
    }
}
