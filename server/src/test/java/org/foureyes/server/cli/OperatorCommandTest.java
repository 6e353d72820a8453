package org.foureyes.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesApplication;
import org.foureyes.server.FoureyesConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands' argument parsing and the errors an operator sees before any request
 * reaches a server: what argparse refuses, a missing key, a key file that needs a passphrase, a
 * server that does not answer. The commands' logic against a running server is OperatorAppTest.
 */
class OperatorCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Optional<Throwable> run(Map<String, String> env, String... args) {
        Bootstrap<FoureyesConfiguration> bootstrap = new Bootstrap<>(new FoureyesApplication());
        PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
        for (OperatorCommand.Kind kind : OperatorCommand.Kind.values()) {
            bootstrap.addCommand(new OperatorCommand(kind, env::get, printed));
        }
        bootstrap.addCommand(new ExportCommand(printed));
        return new Cli(new JarLocation(FoureyesApplication.class), bootstrap, out, err).run(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A URL where nothing listens (a port just released). */
    private static String deadUrl() throws Exception {
        return "http://127.0.0.1:" + AppTestSupport.freePort();
    }

    @Test
    void initialize_registersAllSixOperatorCommands() {
        FoureyesApplication app = new FoureyesApplication();
        Bootstrap<FoureyesConfiguration> bootstrap = new Bootstrap<>(app);
        app.initialize(bootstrap);
        assertThat(bootstrap.getCommands()).filteredOn(c -> c instanceof OperatorCommand)
                .extracting(c -> c.getName())
                .containsExactlyInAnyOrder("request", "approve", "reject", "withdraw", "status", "history");
    }

    @Test
    void approve_idThatIsNotANumber_isRefusedByTheParserWithTheArgumentNamed() {
        assertThat(run(Map.of(), "approve", "seven")).isPresent();
        assertThat(stderr()).contains("argument id: could not convert 'seven'");
        assertThat(out.size()).isZero();
    }

    @Test
    void request_withoutReason_isRefusedByTheParser() {
        assertThat(run(Map.of(), "request", "relay", "relay.yml")).isPresent();
        assertThat(stderr()).contains("--reason", "required");
    }

    @Test
    void request_withoutFile_isRefusedByTheParser() {
        assertThat(run(Map.of(), "request", "relay", "--reason", "r")).isPresent();
        assertThat(stderr()).contains("FILE");
    }

    @Test
    void approve_withoutKey_saysKeyIsRequiredBeforeContactingTheServer() throws Exception {
        assertThat(run(Map.of(), "approve", "5", "--yes", "--url", deadUrl())).isPresent();
        assertThat(stderr()).isEqualTo("approve: --key is required to sign\n");
    }

    @Test
    void status_serverNotRunning_namesTheUrlAndTheOption() throws Exception {
        String url = deadUrl();
        assertThat(run(Map.of(), "status", "--url", url)).isPresent();
        assertThat(stderr()).startsWith("status: cannot reach " + url).contains("is the server running? (--url)");
    }

    @Test
    void withdraw_encryptedKeyWithoutPassphrase_saysTheKeyNeedsOne() throws Exception {
        Path key = dir.resolve("rene.key");
        SignerKeyFile.write(key, SignerKey.generate("rene"), "a passphrase".toCharArray());
        assertThat(run(Map.of(), "withdraw", "3", "--yes", "--key", key.toString(), "--url", deadUrl()))
                .isPresent();
        assertThat(stderr()).startsWith("withdraw: key file " + key + " is encrypted")
                .contains("environment variable FOUREYES_KEY_PASSPHRASE", "--passphrase-env");
    }

    @Test
    void withdraw_passphraseFromTheNamedVariable_unlocksTheKeyAndGoesOnToTheServer() throws Exception {
        Path key = dir.resolve("rene.key");
        SignerKeyFile.write(key, SignerKey.generate("rene"), "a passphrase".toCharArray());
        String url = deadUrl();
        assertThat(run(Map.of("MY_PASS", "a passphrase"), "withdraw", "3", "--yes", "--key", key.toString(),
                "--passphrase-env", "MY_PASS", "--url", url)).isPresent();
        // Past the key: the next step is the server, which is not there.
        assertThat(stderr()).startsWith("withdraw: cannot reach " + url);
    }
    @Test
    void status_nameWithKeyFile_isRefusedBecauseTheFileNamesItsPrincipal() throws Exception {
        Path key = dir.resolve("rene.key");
        SignerKeyFile.write(key, SignerKey.generate("rene"), null);
        assertThat(run(Map.of(), "status", "--key", key.toString(), "--name", "nora", "--url", deadUrl()))
                .isPresent();
        assertThat(stderr()).startsWith("status: --name is for --key ssh:");
    }

    @Test
    void approve_sshKeyWithoutSelector_saysToGiveFingerprintOrComment() throws Exception {
        assertThat(run(Map.of("SSH_AUTH_SOCK", dir.resolve("none.sock").toString()), "approve", "3", "--yes",
                "--key", "ssh:", "--url", deadUrl())).isPresent();
        assertThat(stderr()).contains("--key ssh: needs the key's fingerprint");
    }

    @Test
    void approve_sshAuthSockWithNoAgent_saysTheAgentCannotBeReached() throws Exception {
        Path sock = dir.resolve("none.sock");
        assertThat(run(Map.of("SSH_AUTH_SOCK", sock.toString()), "approve", "3", "--yes", "--key", "ssh:me",
                "--url", deadUrl())).isPresent();
        assertThat(stderr()).contains("cannot reach the ssh-agent at " + sock, "is the agent running?");
    }

    @Test
    void status_urlWithoutScheme_saysDidYouMeanHttp() {
        assertThat(run(Map.of(), "status", "--url", "127.0.0.1:8080")).isPresent();
        assertThat(stderr()).isEqualTo("status: --url 127.0.0.1:8080 has no scheme; did you mean http://127.0.0.1:8080 ?\n");
    }

    @Test
    void status_adminPort_saysTheApiIsOnTheApplicationPort() throws Exception {
        com.sun.net.httpserver.HttpServer admin = fakeAdminPort();
        try {
            String url = "http://127.0.0.1:" + admin.getAddress().getPort();
            assertThat(run(Map.of(), "status", "--url", url)).isPresent();
            assertThat(stderr()).startsWith("status: GET /v1/changes at " + url + " answered 404")
                    .contains("this looks like the server's admin port; the API is on the application port");
        } finally {
            admin.stop(0);
        }
    }

    @Test
    void export_withoutUrl_usesTheDefaultLikeTheOtherCommands() throws Exception {
        run(Map.of(), "export", "--out", dir.resolve("export").toString());
        assertThat(stderr()).doesNotContain("--url is required").doesNotContain("usage:");
    }

    @Test
    void export_serverNotRunning_saysCannotReach() throws Exception {
        String url = deadUrl();
        assertThat(run(Map.of(), "export", "--url", url, "--out", dir.resolve("export").toString())).isPresent();
        assertThat(stderr()).startsWith("export: cannot reach " + url).contains("is the server running? (--url)");
    }

    @Test
    void approve_keyFileThatDoesNotExist_saysWhichFileBeforeContactingTheServer() throws Exception {
        Path key = dir.resolve("no-such.key");
        assertThat(run(Map.of(), "approve", "3", "--yes", "--key", key.toString(), "--url", deadUrl())).isPresent();
        assertThat(stderr()).contains(key.toString(), "does not exist").doesNotContain("cannot reach");
    }

    /** Like Dropwizard's admin connector: 404 JSON from Jetty for API paths, "pong" at /ping. */
    private static com.sun.net.httpserver.HttpServer fakeAdminPort() throws Exception {
        com.sun.net.httpserver.HttpServer s = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", x -> {
            boolean ping = x.getRequestURI().getPath().equals("/ping");
            byte[] body = (ping ? "pong\n" : "{\"message\":\"Not Found\",\"status\":\"404\"}")
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", ping ? "text/plain" : "application/json");
            x.sendResponseHeaders(ping ? 200 : 404, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        s.start();
        return s;
    }
}
