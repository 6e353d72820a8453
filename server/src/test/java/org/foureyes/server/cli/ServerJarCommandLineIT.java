package org.foureyes.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What only the built jar shows: its version (from the manifest) and main's exit status. */
class ServerJarCommandLineIT {
    private static final Path JAR = Path.of(System.getProperty("foureyes.serverJar", "target/foureyes.jar"));

    private record Result(int code, String out, String err) {
    }

    private static Result java(String... args) throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "no " + JAR + ": run mvn verify (package comes first)");
        String[] cmd = new String[args.length + 3];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        cmd[1] = "-jar";
        cmd[2] = JAR.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void version_printsTheVersionFromTheManifest() throws Exception {
        Result r = java("--version");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).matches("\\d+\\.\\d+\\.\\d+\\S*\\n");
    }

    @Test
    void server_missingConfiguration_exits1WithOneLineOnStderr() throws Exception {
        Result r = java("server", "no-such-config.yml");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("foureyes server: the configuration file no-such-config.yml does not exist"
                + " (--debug for the stack trace)\n");
    }
}
