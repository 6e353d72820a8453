package org.foureyes.auditlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.verify.CliFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real shaded jar, as an auditor would (maven-failsafe-plugin, after package). */
class VerifyJarIT {

    @TempDir
    static Path tmp;
    static CliFixtures fx;
    static Path jar;

    @BeforeAll
    static void setUp() throws IOException {
        jar = Path.of(System.getProperty("foureyes.verifyJar", "target/foureyes-verify.jar"));
        assumeTrue(Files.isRegularFile(jar), "no " + jar + ": run mvn verify (package comes first)");
        fx = CliFixtures.create(tmp, 1000);
    }

    record Result(int code, String out, String err) {
    }

    static Result java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jar finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void jar_goodExport_exits0() throws Exception {
        Result r = java("log", "--chain-only", "--key", "@" + fx.keyFile(), "--since", fx.olderCheckpoint().toString(),
                fx.good().toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("verified 1000 entries; root " + fx.rootB64());
        assertThat(r.err()).isEmpty(); // stderr is a file, not a terminal: no progress
    }

    @Test
    void jar_version_printsTheVersionFromTheManifest() throws Exception {
        Result r = java("--version");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).matches("foureyes-verify \\d+\\.\\d+\\.\\d+\\S*\\n");
    }

    @Test
    void jar_tamperedExport_exits1() throws Exception {
        Result r = java("log", "--chain-only", "--key", fx.keyText(), fx.tampered().toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("entry 517");
    }

    @Test
    void jar_badInput_exits2WithoutStackTrace() throws Exception {
        Result r = java("log", "--chain-only", "--key", "garbage", fx.good().toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("not a verifier key").doesNotContain("Exception").doesNotContain("\tat ");
        Result none = java();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("usage:");
    }
}
