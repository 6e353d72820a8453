package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.foureyes.auditlog.WitnessKey;
import org.foureyes.statement.Statement;
import org.foureyes.statement.StatementType;
import org.foureyes.statement.StatementVerifier;
import org.foureyes.statement.VerifyMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A log, a fake host, a hook script that records its runs, and an agent for the relay. */
abstract class AgentTestSupport {
    static final String HOOK = String.join("\n",
            "#!/bin/sh",
            "echo \"$FOUREYES_COMPONENT $FOUREYES_CHANGE $FOUREYES_RESTORED $FOUREYES_CONFIG_SHA256 $FOUREYES_CONFIG\" >> \"$HOOK_DIR/runs\"",
            "if [ \"$FOUREYES_RESTORED\" = 0 ] && [ -f \"$HOOK_DIR/fail\" ]; then echo 'tor refused the torrc' >&2; exit 3; fi",
            "if [ \"$FOUREYES_RESTORED\" = 0 ] && [ -f \"$HOOK_DIR/hang\" ]; then sleep 30; fi",
            "exit 0",
            "");

    @TempDir
    Path tmp;
    AgentLog log;
    FakeHost host;
    Path target;
    Path stateDir;
    Path hookDir;
    Path hook;
    Duration hookTimeout = Duration.ofSeconds(20);
    List<WitnessKey> witnesses = List.of();
    int quorum;
    String pinnedPolicy = AgentLog.POLICY_SHA;

    /** The log the fake host serves; at the fixed time {@link AgentLog#T0} unless a test class needs another. */
    AgentLog newLog() {
        return new AgentLog();
    }

    @BeforeEach
    void setUpHost() throws IOException {
        log = newLog();
        host = new FakeHost(log);
        target = tmp.resolve("etc/relay.json");
        Files.createDirectories(target.getParent());
        stateDir = tmp.resolve("state");
        hookDir = Files.createDirectories(tmp.resolve("hook"));
        hook = hookDir.resolve("hook.sh");
        Files.writeString(hook, HOOK);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void stopHost() {
        host.close();
    }

    AgentConfig config() {
        return new AgentConfig("relay", tmp.resolve("agent.key"), null, host.uri(), AgentLog.LOG_KEY.verifierKey(),
                pinnedPolicy, target, List.of(hook.toString()), hookTimeout, Map.of("HOOK_DIR", hookDir.toString()),
                witnesses, quorum, stateDir, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    Agent agent() throws AgentException {
        return new Agent(config(), AgentLog.key("agent-relay"), new HostClient(host.uri(), Duration.ofSeconds(10)),
                log.clock());
    }

    List<String> hookRuns() {
        try {
            Path runs = hookDir.resolve("runs");
            return Files.exists(runs) ? Files.readAllLines(runs) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String targetText() throws IOException {
        return Files.readString(target);
    }

    /** Every file the agent could write: the state directory, the target, the hook's record. */
    Map<String, String> snapshot() {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                try {
                    m.put(tmp.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        m.put("<reports>", String.join("\n", host.reports));
        return m;
    }

    /** The round is refused for {@code check}, and nothing at all was written. */
    AgentException assertRefusedWritingNothing(Agent agent, AgentException.Check check) {
        Map<String, String> before = snapshot();
        AgentException e = catchThrowableOfType(AgentException.class, agent::round);
        assertThat(e).as("round should be refused").isNotNull();
        assertThat(e.check()).as(e.toString()).isEqualTo(check);
        assertThat(snapshot()).isEqualTo(before);
        return e;
    }

    /** Verifies a posted report as the server and every auditor would. */
    Statement verifiedReport(String compact) throws Exception {
        return new StatementVerifier().verify(compact, AgentLog.POLICY, AgentLog.ORIGIN, log.now,
                VerifyMode.offline(StatementType.REPORT));
    }
}
