package org.foureyes.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;
import org.foureyes.auditlog.KeyFileException;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.VerifierKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private void run(Map<String, String> env, String name, Path out, String passphraseEnv) throws Exception {
        Map<String, Object> args = new HashMap<>();
        args.put("name", name);
        args.put("out", out == null ? null : out.toString());
        args.put("passphraseEnv", passphraseEnv);
        args.put("passphrasePrompt", false);
        new KeygenCommand(env::get, new PrintStream(printed, true, StandardCharsets.UTF_8)).run(null, new Namespace(args));
    }

    @Test
    void keygen_plain_writesMode0600AndPrintsTheMatchingVerifierKey() throws Exception {
        Path file = dir.resolve("anna.key");
        run(Map.of(), "anna", file, null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SignerKey key = SignerKeyFile.read(file, null);
        VerifierKey printedKey = VerifierKey.parse(printed.toString(StandardCharsets.UTF_8).strip());
        assertThat(printedKey).isEqualTo(key.verifierKey());
        assertThat(printedKey.name()).isEqualTo("anna");
    }

    @Test
    void keygen_existingFile_refusesAndLeavesItUnchanged() throws Exception {
        Path file = dir.resolve("taken.key");
        Files.writeString(file, "precious");
        assertThatThrownBy(() -> run(Map.of(), "anna", file, null))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("refusing to overwrite");
        assertThat(Files.readString(file)).isEqualTo("precious");
        assertThat(printed.size()).isZero();
    }

    @Test
    void keygen_passphraseFromEnv_writesAnEncryptedFileThatNeedsIt() throws Exception {
        Path file = dir.resolve("log.key");
        run(Map.of("LOG_PASS", "correct horse battery staple"), "foureyes.example/tor-exit-log", file, "LOG_PASS");
        assertThat(Files.readString(file)).doesNotContain("PRIVATE+KEY");
        assertThatThrownBy(() -> SignerKeyFile.read(file, null)).isInstanceOf(KeyFileException.class);
        SignerKey key = SignerKeyFile.read(file, "correct horse battery staple".toCharArray());
        assertThat(key.name()).isEqualTo("foureyes.example/tor-exit-log");
    }

    @Test
    void keygen_passphraseEnvUnset_refusesWithoutWriting() {
        Path file = dir.resolve("x.key");
        assertThatThrownBy(() -> run(Map.of(), "anna", file, "NOPE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NOPE");
        assertThat(file).doesNotExist();
    }

    @Test
    void defaultFileName_originWithSlash_isAFileNameInTheCurrentDirectory() {
        assertThat(KeygenCommand.defaultFileName("foureyes.example/tor-exit-log"))
                .isEqualTo("foureyes.example_tor-exit-log.key");
    }
}
