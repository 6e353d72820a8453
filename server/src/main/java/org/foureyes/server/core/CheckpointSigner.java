package org.foureyes.server.core;

import java.util.Optional;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.VerifierKey;

/**
 * Signs checkpoints with the log key. Storage and the appender see only this interface, never the
 * private key; the one implementation that holds it is {@link LogKeySigner}.
 */
public interface CheckpointSigner {

    /** The log's origin: the checkpoint origin line and the log key's name. */
    String origin();

    /** The log's verifier key, as auditors and agents pin it. */
    VerifierKey verifierKey();

    /** The checkpoint as a C2SP signed note with the log key. */
    String sign(Checkpoint checkpoint);

    /**
     * The key's high-water mark (the largest checkpoint it signed), which the appender advances
     * before each signature; empty for a signer without one (tests, benchmarks of other parts).
     */
    default Optional<SignerHighWaterMark> highWaterMark() {
        return Optional.empty();
    }
}
