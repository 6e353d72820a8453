package org.foureyes.server.health;

import com.codahale.metrics.health.HealthCheck;
import java.nio.file.Files;
import java.nio.file.Path;

/** Unhealthy when the data directory (database file, keys) is missing or not writable. */
public class DataDirectoryHealthCheck extends HealthCheck {
    private final Path dataDir;

    public DataDirectoryHealthCheck(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    protected Result check() {
        if (!Files.isDirectory(dataDir)) {
            return Result.unhealthy("data directory %s does not exist", dataDir.toAbsolutePath());
        }
        if (!Files.isWritable(dataDir)) {
            return Result.unhealthy("data directory %s is not writable", dataDir.toAbsolutePath());
        }
        return Result.healthy("data directory %s is writable", dataDir.toAbsolutePath());
    }
}
