package org.foureyes.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.foureyes.auditlog.ssh.SshKey;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesApplication;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.Principals;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands with {@code --key ssh:...}: a real ssh-agent signs, the running service accepts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorSshAgentAppTest {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private WorkflowClient api;
    private Path tmp;
    private String url;

    @TempDir
    Path agentDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        tmp = AppTestSupport.tempDir("foureyes-operator-ssh");
        db = TestDatabase.sqlite();
        app = new DropwizardAppExtension<>(TestApp.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("dataDir", tmp.toString()),
                ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", tmp.resolve("log.key").toString()),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url()));
        app.before();
        api = new WorkflowClient(app.client(), app.getLocalPort());
        url = "http://127.0.0.1:" + app.getLocalPort();
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.after();
        }
        if (db != null) {
            db.close();
        }
    }

    private Optional<Throwable> run(Map<String, String> env, String... args) {
        Bootstrap<FoureyesConfiguration> bootstrap = new Bootstrap<>(new FoureyesApplication());
        PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
        for (OperatorCommand.Kind kind : OperatorCommand.Kind.values()) {
            bootstrap.addCommand(new OperatorCommand(kind, env::get, printed));
        }
        return new Cli(new JarLocation(FoureyesApplication.class), bootstrap, out, err).run(args);
    }

    private Path relayYaml(String nickname) throws Exception {
        Path f = tmp.resolve(nickname + ".yml");
        Files.writeString(f, """
                nickname: %s
                contact: ops@example.org
                exit_policy: ["accept *:443", "reject *:*"]
                exit_tos: 32
                outbound_bind_address_exit: 192.0.2.10
                outbound_bind_address_or: 192.0.2.11
                """.formatted(nickname));
        return f;
    }

    @Test
    void request_keyInSshAgentByFingerprint_isSignedAsThePrincipalThePolicyListsAndAccepted() throws Exception {
        try (SshAgentForTests agent = SshAgentForTests.start(agentDir)) {
            SshKey rene = agent.add(Files.readString(Principals.keyFile("rene")), "rene@laptop");

            Optional<Throwable> failure = run(Map.of("SSH_AUTH_SOCK", agent.socket.toString()), "request", "relay",
                    relayYaml("viaAgent").toString(), "--reason", "signed by ssh-agent", "--url", url,
                    "--key", "ssh:" + rene.fingerprint());

            assertThat(failure).as(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("change request for relay by rene",
                    "request accepted: change ");
            long id = Long.parseLong(out.toString(StandardCharsets.UTF_8)
                    .replaceAll("(?s).*request accepted: change (\\d+).*", "$1"));
            assertThat(api.change(id).get("requester").asText()).isEqualTo("rene");
        }
    }

    @Test
    void status_sshKeyThePolicyDoesNotList_isRefusedSayingKeygenFromSsh() throws Exception {
        try (SshAgentForTests agent = SshAgentForTests.start(agentDir)) {
            agent.generateAndAdd("stranger@laptop");

            Optional<Throwable> failure = run(Map.of("SSH_AUTH_SOCK", agent.socket.toString()), "status", "--url",
                    url, "--key", "ssh:stranger@laptop");

            assertThat(failure).isPresent();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("lists no principal with the ssh key",
                    "keygen --from-ssh");
        }
    }

    @Test
    void request_noSshAuthSock_saysThereIsNoAgentAndSignsNothing() throws Exception {
        long before = api.logSize();

        Optional<Throwable> failure = run(Map.of(), "request", "relay", relayYaml("noAgent").toString(), "--reason",
                "r", "--url", url, "--key", "ssh:rene@laptop");

        assertThat(failure).isPresent();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("request: SSH_AUTH_SOCK is not set");
        assertThat(api.logSize()).isEqualTo(before);
    }
}
