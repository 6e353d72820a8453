package org.foureyes.server.core;

import java.util.Objects;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.VerifierKey;

/** The only holder of the log's private key in the server: signs checkpoints, nothing else. */
public final class LogKeySigner implements CheckpointSigner {
    private final SignerKey key;

    /**
     * @throws IllegalArgumentException if the key's name is not {@code origin} (design: the log's
     *     key name equals the log's origin)
     */
    public LogKeySigner(SignerKey key, String origin) {
        this.key = Objects.requireNonNull(key, "key");
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
        return SignedCheckpoint.sign(checkpoint, key);
    }

    @Override
    public String toString() {
        return "LogKeySigner[" + key + "]";
    }
}
