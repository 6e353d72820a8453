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
        SignerKey created = LogKeys.loadOrCreate(file, ORIGIN, null);
        assertThat(created.name()).isEqualTo(ORIGIN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LogKeys.loadOrCreate(file, ORIGIN, null)).isEqualTo(created);
    }

    @Test
    void loadOrCreate_keyOfAnotherName_refusesToStartNamingBoth() throws Exception {
        Path file = dir.resolve("log.key");
        SignerKeyFile.write(file, SignerKey.generate("someone-else"), null);
        assertThatThrownBy(() -> LogKeys.loadOrCreate(file, ORIGIN, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("someone-else").hasMessageContaining(ORIGIN)
                .hasMessageContaining("must equal the origin");
    }

    @Test
    void loadOrCreate_encryptedWithPassphrase_roundTrips() {
        Path file = dir.resolve("log.key");
        SignerKey created = LogKeys.loadOrCreate(file, ORIGIN, "pw".toCharArray());
        assertThat(LogKeys.loadOrCreate(file, ORIGIN, "pw".toCharArray())).isEqualTo(created);
        assertThatThrownBy(() -> LogKeys.loadOrCreate(file, ORIGIN, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("passphrase");
    }

    @Test
    void logKeySigner_nameNotOrigin_isRefused() throws Exception {
        SignerKey key = SignerKey.generate("other");
        assertThatThrownBy(() -> new LogKeySigner(key, ORIGIN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be equal");
    }
}
