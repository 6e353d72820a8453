package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.cli.VerifyMain;
import org.junit.jupiter.api.Test;

/** {@code foureyes-verify agent --config FILE --once}: configuration file, exit codes, messages. */
class AgentMainTest extends AgentTestSupport {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return VerifyMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /**
     * The command line agent reads the machine's clock, and refuses an approval older than the
     * policy's apply_ttl (24 hours): so this log starts an hour ago, not at the fixed
     * {@link AgentLog#T0}, which had made this test fail from a day after it was written.
     */
    @Override
    AgentLog newLog() {
        return new AgentLog(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1)));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path writeConfig(String pinnedLogKey) throws Exception {
        Path key = tmp.resolve("agent-relay.key");
        SignerKeyFile.write(key, AgentLog.key("agent-relay"), null);
        Path cfg = tmp.resolve("relay.yml");
        Files.writeString(cfg, String.join("\n",
                "component: relay",
                "key_file: agent-relay.key",
                "server: " + host.uri(),
                "log_key: \"" + pinnedLogKey + "\"",
                "genesis_policy_sha256: " + AgentLog.POLICY_SHA,
                "target: etc/relay.json",
                "hook:",
                "  command: [hook/hook.sh]",
                "  timeout: PT20S",
                "  env: {HOOK_DIR: " + hookDir + "}",
                "state_dir: state",
                "poll_interval: PT30S",
                ""));
        return cfg;
    }

    @Test
    void agentOnce_approvedChange_appliesAndExitsZero() throws Exception {
        long change = log.approvedRelay("exit1");
        Path cfg = writeConfig(AgentLog.LOG_KEY.verifierKey().toString());

        int code = run("agent", "--config", cfg.toString(), "--once");

        assertThat(code).as(stderr()).isEqualTo(AgentMain.OK);
        assertThat(stderr()).contains("foureyes-agent relay: applied change " + change)
                .contains("applied change " + change);
        assertThat(target).exists();
        assertThat(hookRuns()).hasSize(1);
    }

    @Test
    void agentOnce_checkpointByAnotherKey_exitsOneNamingTheCheck() throws Exception {
        log.approvedRelay("exit1");
        host.checkpointKey = AgentLog.seeded(AgentLog.ORIGIN, 7);
        Path cfg = writeConfig(AgentLog.LOG_KEY.verifierKey().toString());

        int code = run("agent", "--config", cfg.toString(), "--once");

        assertThat(code).isEqualTo(AgentMain.REFUSED);
        assertThat(stderr()).contains("REFUSED [checkpoint-signature]");
        assertThat(target).doesNotExist();
    }

    @Test
    void agentOnce_serverUnreachable_exitsFour() throws Exception {
        Path cfg = writeConfig(AgentLog.LOG_KEY.verifierKey().toString());
        host.close();

        int code = run("agent", "--config", cfg.toString(), "--once");

        assertThat(code).isEqualTo(AgentMain.UNREACHABLE);
        assertThat(stderr()).contains("REFUSED [fetch]");
    }

    @Test
    void agent_configWithUnknownField_exitsTwoNamingTheField() throws Exception {
        Path cfg = writeConfig(AgentLog.LOG_KEY.verifierKey().toString());
        Files.writeString(cfg, Files.readString(cfg) + "pol_interval: PT1S\n");

        assertThat(run("agent", "--config", cfg.toString(), "--once")).isEqualTo(AgentMain.USAGE);
        assertThat(stderr()).contains("[config]").contains("unknown field pol_interval");
    }

    @Test
    void agent_keyFileReadableByOthers_exitsTwo() throws Exception {
        Path cfg = writeConfig(AgentLog.LOG_KEY.verifierKey().toString());
        Files.setPosixFilePermissions(tmp.resolve("agent-relay.key"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(run("agent", "--config", cfg.toString(), "--once")).isEqualTo(AgentMain.USAGE);
        assertThat(stderr()).contains("chmod 600");
    }

    @Test
    void agent_missingConfigOption_exitsTwo() {
        assertThat(run("agent", "--once")).isEqualTo(AgentMain.USAGE);
        assertThat(stderr()).contains("--config is required");
    }

    @Test
    void load_witnessesAndRelativePaths_resolvedAgainstTheFile() throws Exception {
        Path cfg = writeConfig(AgentLog.LOG_KEY.verifierKey().toString());
        String w = org.foureyes.auditlog.WitnessKey.forSigner(AgentLog.seeded("witness.example.net/w1", 11)).toString();
        Files.writeString(cfg, Files.readString(cfg) + "witnesses:\n  keys: [\"" + w + "\"]\n  quorum: 1\n");

        AgentConfig c = AgentConfig.load(cfg);

        assertThat(c.target()).isEqualTo(tmp.resolve("etc/relay.json"));
        assertThat(c.stateDir()).isEqualTo(tmp.resolve("state"));
        assertThat(c.hookCommand()).containsExactly(tmp.resolve("hook/hook.sh").toString());
        assertThat(c.witnesses()).hasSize(1);
        assertThat(c.witnessQuorum()).isEqualTo(1);
        assertThat(c.pollInterval()).hasSeconds(30);
    }
}
