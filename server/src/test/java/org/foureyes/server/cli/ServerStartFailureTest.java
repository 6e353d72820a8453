package org.foureyes.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesApplication;
import org.foureyes.server.FoureyesConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server} and {@code check} that cannot start: one line on standard error and a failure
 * (the jar's main exits 1 on it), the stack trace only with {@code --debug} or FOUREYES_DEBUG=1.
 * Also the command line itself: one-line help per command, no {@code db drop-all}/{@code rollback}.
 */
class ServerStartFailureTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** As the jar's main does: the default commands (ours), then initialize(). */
    private Optional<Throwable> run(Map<String, String> env, String... args) {
        FoureyesApplication app = new FoureyesApplication();
        Bootstrap<FoureyesConfiguration> bootstrap = new Bootstrap<>(app);
        bootstrap.addCommand(ServeCommand.server(app, env::get));
        bootstrap.addCommand(ServeCommand.check(app, env::get));
        app.initialize(bootstrap);
        return new Cli(new JarLocation(FoureyesApplication.class), bootstrap, out, err).run(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path config(Path policy, int port, int adminPort) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path f = dir.resolve("config.yml");
        Files.writeString(f, AppTestSupport.serverJarConfig(data, policy, AppTestSupport.ORIGIN, port, adminPort, 4));
        return f;
    }

    private static void assertOneLine(String text) {
        assertThat(text.strip()).doesNotContain("\n").doesNotContain("\tat ");
    }

    @Test
    void server_configFileMissing_saysWhichFileDoesNotExistInOneLine() {
        assertThat(run(Map.of(), "server", dir.resolve("nope.yml").toString())).isPresent();
        assertThat(stderr()).startsWith("foureyes server: the configuration file " + dir.resolve("nope.yml")
                + " does not exist");
        assertOneLine(stderr());
    }

    @Test
    void check_unknownConfigurationField_namesTheFieldInOneLine() throws Exception {
        Path f = dir.resolve("bad.yml");
        Files.writeString(f, "server:\n  bogus: 1\n");
        assertThat(run(Map.of(), "check", f.toString())).isPresent();
        assertThat(stderr()).startsWith("foureyes check: " + f + " has an error: Unrecognized field at: server.bogus");
        assertOneLine(stderr());
    }

    @Test
    void server_portInUse_namesTheAddressInOneLine() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            Path cfg = config(AppTestSupport.policyFile(), port, AppTestSupport.freePort());
            assertThat(run(Map.of(), "server", cfg.toString())).isPresent();
            assertThat(stderr()).startsWith("foureyes server: cannot listen on 127.0.0.1:" + port + ": Address already in use");
            assertOneLine(stderr());
        }
    }

    @Test
    void server_brokenPolicy_saysWhereInThePolicyInOneLine_andTheTraceWithDebug() throws Exception {
        Path policy = dir.resolve("policy.yml");
        Files.writeString(policy, Files.readString(AppTestSupport.policyFile()) + "\ncomponents: [\n");
        Path cfg = config(policy, AppTestSupport.freePort(), AppTestSupport.freePort());
        assertThat(run(Map.of(), "server", cfg.toString())).isPresent();
        assertThat(stderr()).startsWith("foureyes server: the log is empty and needs its initial policy, but "
                + policy.toAbsolutePath()).contains("policy.yml:", "(--debug for the stack trace)");
        assertOneLine(stderr());

        err.reset();
        assertThat(run(Map.of("FOUREYES_DEBUG", "1"), "server", cfg.toString())).isPresent();
        assertThat(stderr()).contains("\tat ");
    }

    @Test
    void check_debugFlag_printsTheStackTrace() {
        assertThat(run(Map.of(), "check", "--debug", dir.resolve("nope.yml").toString())).isPresent();
        assertThat(stderr()).contains("does not exist", "java.io.FileNotFoundException", "\tat ");
    }

    @Test
    void help_listsEveryCommandWithItsOneLineDescription() {
        assertThat(run(Map.of(), "--help")).isEmpty();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"server", "check", "policy", "db", "keygen", "export", "export-db",
                "request", "approve", "reject", "withdraw", "status", "history"}) {
            assertThat(help).containsPattern("(?m)^    " + command + " +\\S");
        }
    }

    @Test
    void db_dropAllAndRollback_areNotOffered() {
        assertThat(run(Map.of(), "db", "drop-all", "config.yml")).isPresent();
        assertThat(stderr()).contains("invalid choice: 'drop-all'").doesNotContain("'rollback'");
        err.reset();
        assertThat(run(Map.of(), "db", "rollback", "config.yml")).isPresent();
        assertThat(stderr()).contains("invalid choice: 'rollback'");
    }
}
