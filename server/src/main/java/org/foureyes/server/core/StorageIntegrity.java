package org.foureyes.server.core;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether hashes read from storage were ever found to disagree with the signed log while the
 * server ran. Once set it stays set until restart (which rechecks the whole stored tree): health
 * is unhealthy and the appender refuses to extend the tree.
 */
public final class StorageIntegrity {
    private static final Logger LOG = LoggerFactory.getLogger(StorageIntegrity.class);
    private final AtomicReference<String> problem = new AtomicReference<>();

    /** Records the first disagreement found. */
    public void corrupt(String what) {
        if (problem.compareAndSet(null, what)) {
            LOG.error("stored log hashes disagree with the signed log: {}. Appends are refused; restore the"
                    + " database from a backup (see docs/storage.md)", what);
        }
    }

    /** The first disagreement found, or null. */
    public String problem() {
        return problem.get();
    }
}
