package org.foureyes.server.health;

import com.codahale.metrics.health.HealthCheck;
import org.foureyes.server.core.StorageIntegrity;
import org.foureyes.server.db.JdbiLogStore;
import org.jdbi.v3.core.JdbiException;

/**
 * Unhealthy when the log's own tables cannot be read (the pool's {@code SELECT 1} passes on a
 * dropped schema or a recreated SQLite file), or once a hash read from storage was found to
 * disagree with the signed log.
 */
public final class StorageIntegrityHealthCheck extends HealthCheck {
    private final StorageIntegrity integrity;
    private final JdbiLogStore store;

    public StorageIntegrityHealthCheck(StorageIntegrity integrity, JdbiLogStore store) {
        this.integrity = integrity;
        this.store = store;
    }

    @Override
    protected Result check() {
        long size;
        try {
            size = store.size();
        } catch (JdbiException e) {
            return Result.unhealthy("the log's database cannot be read: %s", e.getMessage());
        }
        String problem = integrity.problem();
        if (problem != null) {
            return Result.unhealthy("stored log hashes disagree with the signed log; no proofs are served from them"
                    + " and appends are refused: %s. Restore the database from a backup.", problem);
        }
        return Result.healthy("log readable at size %d; every proof served so far verified against the signed"
                + " checkpoint", size);
    }
}
