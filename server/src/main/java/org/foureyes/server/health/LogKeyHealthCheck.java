package org.foureyes.server.health;

import com.codahale.metrics.health.HealthCheck;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.Rfc6962;
import org.foureyes.server.core.CheckpointSigner;

/**
 * Healthy when the log key is loaded, is named after the log origin, and signs a checkpoint
 * that verifies under the published verifier key (a throw-away checkpoint of the empty tree,
 * never stored or served).
 */
public class LogKeyHealthCheck extends HealthCheck {
    private final CheckpointSigner signer;
    private final String origin;

    public LogKeyHealthCheck(CheckpointSigner signer, String origin) {
        this.signer = signer;
        this.origin = origin;
    }

    @Override
    protected Result check() throws Exception {
        if (signer == null) {
            return Result.unhealthy("no log key loaded");
        }
        if (!signer.origin().equals(origin) || !signer.verifierKey().name().equals(origin)) {
            return Result.unhealthy("the log key is named %s but the log origin is %s",
                    signer.verifierKey().name(), origin);
        }
        String note = signer.sign(Checkpoint.of(origin, 0, Rfc6962.emptyRoot()));
        SignedCheckpoint.open(note, signer.verifierKey());
        return Result.healthy("log key %s loaded and signing", signer.verifierKey());
    }
}
