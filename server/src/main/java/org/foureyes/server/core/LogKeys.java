package org.foureyes.server.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.foureyes.auditlog.KeyFileException;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the log key at start, creating it on the first start of an empty log. */
public final class LogKeys {
    private static final Logger LOG = LoggerFactory.getLogger(LogKeys.class);

    private LogKeys() {
    }

    /**
     * Reads the log key from {@code keyFile}, or, if the file does not exist and the log is empty,
     * generates a key named {@code origin}, writes it there (mode 0600, encrypted if a passphrase is
     * given) and logs its verifier key.
     *
     * @param logSize entries in the stored log: a key is created only for an empty log, because a
     *     new key cannot sign an existing log's checkpoints (agents and auditors pin the old one)
     * @throws IllegalStateException with a message for the operator if the key cannot be read or
     *     created, or its name is not {@code origin}
     */
    public static SignerKey loadOrCreate(Path keyFile, String origin, char[] passphraseOrNull, long logSize) {
        if (!Files.exists(keyFile)) {
            if (logSize > 0) {
                throw new IllegalStateException("the log key " + keyFile.toAbsolutePath() + " does not exist, but"
                        + " the database holds the log " + origin + " with " + logSize + " entries, signed with"
                        + " that key. Restore the key file from its backup (or fix log.keyFile). A new key cannot"
                        + " continue this log: agents and auditors pin the old one.");
            }
            Path mark = SignerHighWaterMark.beside(keyFile);
            if (Files.exists(mark)) {
                throw new IllegalStateException("the log key " + keyFile.toAbsolutePath() + " does not exist, but its"
                        + " high-water mark " + mark.toAbsolutePath() + " does: that key has signed checkpoints."
                        + " Restore the key file and the database from backup; or, to start a new log, choose a new"
                        + " log.origin and log.keyFile.");
            }
            return create(keyFile, origin, passphraseOrNull);
        }
        SignerKey key;
        try {
            key = SignerKeyFile.read(keyFile, passphraseOrNull);
        } catch (IOException | KeyFileException e) {
            throw new IllegalStateException("cannot read the log key " + keyFile.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
        if (!key.name().equals(origin)) {
            throw new IllegalStateException("the log key in " + keyFile.toAbsolutePath() + " is named "
                    + key.name() + ", but log.origin is " + origin
                    + ". The key's name must equal the origin: fix log.origin or log.keyFile in the configuration"
                    + " (a log's key never changes; a new key means a new log with a new origin).");
        }
        LOG.info("loaded log key {}: verifier key {}", keyFile.toAbsolutePath(), key.verifierKey());
        return key;
    }

    private static SignerKey create(Path keyFile, String origin, char[] passphraseOrNull) {
        try {
            SignerKey key = SignerKey.generate(origin);
            Path parent = keyFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            SignerKeyFile.write(keyFile, key, passphraseOrNull);
            LOG.warn("created log key {} (mode 0600{}); verifier key: {} -- publish this verifier key and"
                    + " back up the key file: it cannot be replaced without starting a new log",
                    keyFile.toAbsolutePath(), passphraseOrNull == null ? "" : ", encrypted", key.verifierKey());
            return key;
        } catch (KeyFormatException e) {
            throw new IllegalStateException("log.origin " + origin + " cannot be a key name: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the log key " + keyFile.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }
}
