package org.foureyes.server.core;

import java.util.Objects;
import java.util.Optional;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.VerifierKey;

/** The only holder of the log's private key in the server: signs checkpoints, nothing else. */
public final class LogKeySigner implements CheckpointSigner {
    private final SignerKey key;
    private final SignerHighWaterMark mark; // null: none

    /** A signer without a high-water mark (tests, tools that sign nothing a log serves). */
    public LogKeySigner(SignerKey key, String origin) {
        this(key, origin, null);
    }

    /**
     * @throws IllegalArgumentException if the key's name is not {@code origin} (design: the log's
     *     key name equals the log's origin)
     */
    public LogKeySigner(SignerKey key, String origin, SignerHighWaterMark mark) {
        this.key = Objects.requireNonNull(key, "key");
        this.mark = mark;
        if (!key.name().equals(origin)) {
            throw new IllegalArgumentException("the log key is named " + key.name() + " but the log origin is "
                    + origin + "; they must be equal");
        }
    }

    @Override
    public String origin() {
        return key.name();
    }

    @Override
    public VerifierKey verifierKey() {
        return key.verifierKey();
    }

    @Override
    public String sign(Checkpoint checkpoint) {
        if (!checkpoint.origin().equals(origin())) {
            throw new IllegalArgumentException("refusing to sign a checkpoint of origin " + checkpoint.origin()
                    + " with the key of " + origin());
        }
        // The appender advanced the mark to this checkpoint before asking; anything below the mark
        // would contradict a checkpoint already signed. Size 0 (the empty tree) extends to every tree.
        SignerHighWaterMark.Mark m = mark == null ? null : mark.current().orElse(null);
        if (m != null && checkpoint.size() > 0 && (checkpoint.size() < m.size()
                || checkpoint.size() == m.size() && !java.security.MessageDigest.isEqual(m.root(),
                        checkpoint.rootHash()))) {
            throw new SignerStateException("refusing to sign size " + checkpoint.size() + ": this key already"
                    + " signed size " + m.size() + " with another tree (" + mark.file() + ")");
        }
        return SignedCheckpoint.sign(checkpoint, key);
    }

    @Override
    public Optional<SignerHighWaterMark> highWaterMark() {
        return Optional.ofNullable(mark);
    }

    @Override
    public String toString() {
        return "LogKeySigner[" + key + "]";
    }
}
