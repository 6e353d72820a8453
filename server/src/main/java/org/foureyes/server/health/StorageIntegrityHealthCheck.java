package org.foureyes.server.health;

import com.codahale.metrics.health.HealthCheck;
import org.foureyes.server.core.StorageIntegrity;

/** Unhealthy once a hash read from storage was found to disagree with the signed log. */
public final class StorageIntegrityHealthCheck extends HealthCheck {
    private final StorageIntegrity integrity;

    public StorageIntegrityHealthCheck(StorageIntegrity integrity) {
        this.integrity = integrity;
    }

    @Override
    protected Result check() {
        String problem = integrity.problem();
        if (problem != null) {
            return Result.unhealthy("stored log hashes disagree with the signed log; no proofs are served from them"
                    + " and appends are refused: %s. Restore the database from a backup.", problem);
        }
        return Result.healthy("every proof served so far verified against the signed checkpoint");
    }
}
