package org.foureyes.auditlog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerKeyFileTest {
    static SignerKey key;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        key = SignerKey.parse(KeysTest.SKEY);
    }

    @Test
    void write_plain_createsMode0600FileWithKeyLine() throws Exception {
        Path f = dir.resolve("log.key");
        SignerKeyFile.write(f, key, null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(Files.readString(f)).isEqualTo(KeysTest.SKEY + "\n");
        assertThat(SignerKeyFile.read(f, null)).isEqualTo(key);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f); // no temporary file left behind
        }
    }

    @Test
    void write_encrypted_roundTripsAndHidesSeed() throws Exception {
        Path f = dir.resolve("log.key");
        SignerKeyFile.write(f, key, "correct horse".toCharArray());
        String content = Files.readString(f);
        assertThat(content).startsWith("foureyes-encrypted-key/v1\nscrypt 15 8 1 ")
                .doesNotContain("AYEKFALVFGyNhPJEMzD1QIDr").doesNotContain("PRIVATE");
        assertThat(content.split("\n")).hasSize(4);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(SignerKeyFile.read(f, "correct horse".toCharArray())).isEqualTo(key);
    }

    @Test
    void isEncrypted_tellsEncryptedFromPlainAndShortFiles() throws Exception {
        Path plain = dir.resolve("plain.key");
        Path encrypted = dir.resolve("encrypted.key");
        Path tiny = dir.resolve("tiny.key");
        SignerKeyFile.write(plain, key, null);
        SignerKeyFile.write(encrypted, key, "correct horse".toCharArray());
        Files.writeString(tiny, "foureyes");
        assertThat(SignerKeyFile.isEncrypted(plain)).isFalse();
        assertThat(SignerKeyFile.isEncrypted(encrypted)).isTrue();
        assertThat(SignerKeyFile.isEncrypted(tiny)).isFalse();
    }

    @Test
    void read_wrongPassphrase_rejectedNamingFile() throws Exception {
        Path f = dir.resolve("log.key");
        SignerKeyFile.write(f, key, "correct horse".toCharArray());
        assertThatThrownBy(() -> SignerKeyFile.read(f, "correct hors".toCharArray()))
                .isInstanceOf(KeyFileException.class)
                .hasMessage("wrong passphrase or corrupted key file " + f);
    }

    @Test
    void read_tamperedCiphertextOrNonce_rejected() throws Exception {
        Path f = dir.resolve("log.key");
        SignerKeyFile.write(f, key, "pw".toCharArray());
        String[] lines = Files.readString(f).split("\n");
        byte[] ct = Base64.getDecoder().decode(lines[3]);
        ct[0] ^= 1;
        writeOwnerOnly(f, lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n" + Base64.getEncoder().encodeToString(ct) + "\n");
        assertThatThrownBy(() -> SignerKeyFile.read(f, "pw".toCharArray()))
                .isInstanceOf(KeyFileException.class).hasMessageStartingWith("wrong passphrase or corrupted");
    }

    @Test
    void read_excessiveScryptParameters_refusedBeforeDerivation() throws Exception {
        Path f = dir.resolve("log.key");
        SignerKeyFile.write(f, key, "pw".toCharArray());
        writeOwnerOnly(f, Files.readString(f).replace("scrypt 15 8 1", "scrypt 30 8 1"));
        assertThatThrownBy(() -> SignerKeyFile.read(f, "pw".toCharArray()))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("unsupported scrypt parameters");
    }

    @Test
    void read_encryptedWithoutPassphrase_saysPassphraseNeeded() throws Exception {
        Path f = dir.resolve("log.key");
        SignerKeyFile.write(f, key, "pw".toCharArray());
        assertThatThrownBy(() -> SignerKeyFile.read(f, null))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("a passphrase is needed");
    }

    @Test
    void read_plainWithPassphrase_rejected() throws Exception {
        Path f = dir.resolve("log.key");
        SignerKeyFile.write(f, key, null);
        assertThatThrownBy(() -> SignerKeyFile.read(f, "pw".toCharArray()))
                .isInstanceOf(KeyFileException.class).hasMessageContaining("not encrypted");
    }

    @Test
    void read_groupReadableFile_refusedNamingModeAndChmod() throws Exception {
        Path f = dir.resolve("log.key");
        SignerKeyFile.write(f, key, null);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> SignerKeyFile.read(f, null))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("mode 0640").hasMessageContaining("chmod 600 " + f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw----r--"));
        assertThatThrownBy(() -> SignerKeyFile.read(f, null)).hasMessageContaining("mode 0604");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        assertThat(SignerKeyFile.read(f, null)).isEqualTo(key);
    }

    @Test
    void write_existingFile_refusedAndLeftUnchanged() throws Exception {
        Path f = dir.resolve("log.key");
        Files.writeString(f, "precious");
        assertThatThrownBy(() -> SignerKeyFile.write(f, key, null)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(f)).isEqualTo("precious");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void read_plainFileWithBadKey_rejectedWithoutSeed() throws Exception {
        Path f = dir.resolve("log.key");
        writeOwnerOnly(f, KeysTest.SKEY.replace("c74f20a3", "00000000") + "\n");
        assertThatThrownBy(() -> SignerKeyFile.read(f, null))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("computed c74f20a3")
                .message().doesNotContain("AYEKFALVFGyNhPJEMzD1QIDr");
    }

    @Test
    void write_emptyPassphrase_refusedWithoutCreatingFile() {
        Path f = dir.resolve("log.key");
        assertThatThrownBy(() -> SignerKeyFile.write(f, key, new char[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat(f).doesNotExist();
    }

    @Test
    void read_mode0000_refusedAsKeyFileExceptionNamingModeAndChmod() throws Exception {
        Path f = dir.resolve("log.key");
        SignerKeyFile.write(f, key, null);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        // Before: IllegalArgumentException "Collection is empty" from EnumSet.copyOf.
        assertThatThrownBy(() -> SignerKeyFile.read(f, null))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("0000")
                .hasMessageContaining("chmod 600 " + f);
    }

    @Test
    void read_emptyFile_refusedSayingEmpty() throws Exception {
        Path f = dir.resolve("log.key");
        writeOwnerOnly(f, "");
        assertThatThrownBy(() -> SignerKeyFile.read(f, null))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("is empty");
    }

    @Test
    void read_garbage_refusedSayingNoSignerKeyWithoutContent() throws Exception {
        Path f = dir.resolve("log.key");
        writeOwnerOnly(f, "secret-looking garbage\n");
        assertThatThrownBy(() -> SignerKeyFile.read(f, null))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("does not hold a signer key")
                .message().doesNotContain("secret-looking");
    }

    @Test
    void read_missingFile_refusedAsKeyFileException() {
        Path f = dir.resolve("absent.key");
        assertThatThrownBy(() -> SignerKeyFile.read(f, null))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("does not exist");
    }

    private static void writeOwnerOnly(Path f, String content) throws Exception {
        Files.deleteIfExists(f);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(f, content.getBytes(UTF_8));
    }

    @Test
    void read_directory_saysItIsADirectoryNotChmod() throws Exception {
        assertThatThrownBy(() -> SignerKeyFile.read(dir, null)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining(dir + " is a directory").hasMessageContaining("PRIVATE+KEY")
                .hasMessageNotContaining("chmod");
    }

    @Test
    void read_verifierKeyFileReadableByOthers_saysItIsThePublicHalfNotChmod() throws Exception {
        Path pub = dir.resolve("rene.pub");
        Files.writeString(pub, key.verifierKey() + "\n");
        Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> SignerKeyFile.read(pub, null)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("holds a verifier key").hasMessageContaining("not a private key")
                .hasMessageNotContaining("chmod");
    }

    @Test
    void read_verifierKeyFileOfMode0600_saysItIsThePublicHalf() throws Exception {
        Path pub = dir.resolve("rene-600.pub");
        Files.writeString(pub, key.verifierKey() + "\n");
        Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> SignerKeyFile.read(pub, null)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("holds a verifier key");
    }

    @Test
    void read_sshPublicKey_saysItIsAnSshPublicKeyAndPointsToTheAgent() throws Exception {
        Path pub = dir.resolve("id_ed25519.pub");
        Files.writeString(pub, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB5zQ6nSy8Ld2rzfQvEDRlJYSxfDDsaK7sR3D4rIEaTX me@host\n");
        Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> SignerKeyFile.read(pub, null)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("holds an SSH public key").hasMessageContaining("--key ssh:");
    }
}
