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
    private void runFromSsh(Path pub, String name) throws Exception {
        Map<String, Object> args = new HashMap<>();
        args.put("name", name);
        args.put("fromSsh", pub.toString());
        args.put("passphrasePrompt", false);
        new KeygenCommand(Map.<String, String>of()::get, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(null, new Namespace(args));
    }

    private static String sshBlob(String type, byte[] key, String... more) {
        java.io.ByteArrayOutputStream w = new java.io.ByteArrayOutputStream();
        java.util.List<byte[]> parts = new java.util.ArrayList<>();
        parts.add(type.getBytes(StandardCharsets.US_ASCII));
        parts.add(key);
        for (String m : more) {
            parts.add(m.getBytes(StandardCharsets.US_ASCII));
        }
        for (byte[] p : parts) {
            w.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(p.length).array());
            w.writeBytes(p);
        }
        return java.util.Base64.getEncoder().encodeToString(w.toByteArray());
    }

    @Test
    void keygenFromSsh_ed25519PublicKey_printsTheVerifierKeyOfTheSameRawKeyAndWritesNothing() throws Exception {
        SignerKey key = SignerKey.generate("anna");
        Path pub = dir.resolve("id_ed25519.pub");
        Files.writeString(pub, "ssh-ed25519 " + sshBlob("ssh-ed25519", key.verifierKey().publicKey())
                + " anna@laptop\n");

        runFromSsh(pub, "anna");

        assertThat(printed.toString(StandardCharsets.UTF_8).strip()).isEqualTo(key.verifierKey().toString());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(pub);
        }
    }

    @Test
    void keygenFromSsh_fidoSkKey_isRefusedSayingWhy() throws Exception {
        Path pub = dir.resolve("id_ed25519_sk.pub");
        Files.writeString(pub, "sk-ssh-ed25519@openssh.com " + sshBlob("sk-ssh-ed25519@openssh.com", new byte[32],
                "ssh:") + " anna@yubikey\n");

        assertThatThrownBy(() -> runFromSsh(pub, "anna"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FIDO security-key")
                .hasMessageContaining("not a plain Ed25519 signature");
        assertThat(printed.size()).isZero();
    }

    @Test
    void keygenFromSsh_privateKeyFileGiven_asksForThePublicOne() throws Exception {
        Path priv = dir.resolve("id_ed25519");
        Files.writeString(priv, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n");

        assertThatThrownBy(() -> runFromSsh(priv, "anna")).hasMessageContaining("is a private key");
    }
}
