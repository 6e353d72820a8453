package org.foureyes.server.core;

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
}
