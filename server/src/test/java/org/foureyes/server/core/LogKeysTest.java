package org.foureyes.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogKeysTest {
    static final String ORIGIN = "foureyes.example/tor-exit-log";

    @TempDir
    Path dir;

    @Test
    void loadOrCreate_absentFile_createsKeyNamedAfterOriginWithMode0600() throws Exception {
        Path file = dir.resolve("sub/log.key");
        SignerKey created = LogKeys.loadOrCreate(file, ORIGIN, null, 0);
        assertThat(created.name()).isEqualTo(ORIGIN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LogKeys.loadOrCreate(file, ORIGIN, null, 0)).isEqualTo(created);
    }

    @Test
    void loadOrCreate_keyOfAnotherName_refusesToStartNamingBoth() throws Exception {
        Path file = dir.resolve("log.key");
        SignerKeyFile.write(file, SignerKey.generate("someone-else"), null);
        assertThatThrownBy(() -> LogKeys.loadOrCreate(file, ORIGIN, null, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("someone-else").hasMessageContaining(ORIGIN)
                .hasMessageContaining("must equal the origin");
    }

    @Test
    void loadOrCreate_encryptedWithPassphrase_roundTrips() {
        Path file = dir.resolve("log.key");
        SignerKey created = LogKeys.loadOrCreate(file, ORIGIN, "pw".toCharArray(), 0);
        assertThat(LogKeys.loadOrCreate(file, ORIGIN, "pw".toCharArray(), 0)).isEqualTo(created);
        assertThatThrownBy(() -> LogKeys.loadOrCreate(file, ORIGIN, null, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("passphrase");
    }

    @Test
    void loadOrCreate_absentFileOnNonEmptyLog_refusesWithoutCreatingAKey() {
        Path file = dir.resolve("log.key");
        assertThatThrownBy(() -> LogKeys.loadOrCreate(file, ORIGIN, null, 7))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("7 entries")
                .hasMessageContaining("Restore the key file");
        assertThat(file).doesNotExist();
    }

    @Test
    void loadOrCreate_absentFileBesideAHighWaterMark_refusesWithoutCreatingAKey() throws Exception {
        Path file = dir.resolve("log.key");
        SignerHighWaterMark.open(SignerHighWaterMark.beside(file), ORIGIN).confirm(3, new byte[32]);
        assertThatThrownBy(() -> LogKeys.loadOrCreate(file, ORIGIN, null, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("high-water mark");
        assertThat(file).doesNotExist();
    }

    @Test
    void loadOrCreate_mode0000_refusesNamingTheFileAndTheFix() throws Exception {
        Path file = dir.resolve("log.key");
        SignerKeyFile.write(file, SignerKey.generate(ORIGIN), null);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> LogKeys.loadOrCreate(file, ORIGIN, null, 5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toAbsolutePath().toString()).hasMessageContaining("chmod 600");
    }

    @Test
    void logKeySigner_nameNotOrigin_isRefused() throws Exception {
        SignerKey key = SignerKey.generate("other");
        assertThatThrownBy(() -> new LogKeySigner(key, ORIGIN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be equal");
    }
}
