package org.foureyes.server.health;

import com.codahale.metrics.health.HealthCheck;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Unhealthy when the data directory (database file, keys, signer high-water mark) is missing, a
 * small file cannot actually be written, synced and deleted there, or its file system has less
 * than {@code minFreeBytes} usable. The permission bits alone say nothing about a full disk (and
 * nothing at all to root).
 */
public class DataDirectoryHealthCheck extends HealthCheck {
    /** Default free-space floor: room for many batches and a SQLite checkpoint of the WAL. */
    public static final long DEFAULT_MIN_FREE_BYTES = 64L * 1024 * 1024;
    static final String PROBE = ".foureyes-health-probe";

    /** Usable bytes of the file system of a path (a seam for tests: a full disk is hard to make). */
    @FunctionalInterface
    public interface UsableSpace {
        long of(Path dir) throws IOException;
    }

    private final Path dataDir;
    private final long minFreeBytes;
    private final UsableSpace usableSpace;

    public DataDirectoryHealthCheck(Path dataDir) {
        this(dataDir, DEFAULT_MIN_FREE_BYTES, dir -> Files.getFileStore(dir).getUsableSpace());
    }

    public DataDirectoryHealthCheck(Path dataDir, long minFreeBytes, UsableSpace usableSpace) {
        this.dataDir = dataDir;
        this.minFreeBytes = minFreeBytes;
        this.usableSpace = usableSpace;
    }

    @Override
    protected Result check() {
        Path dir = dataDir.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            return Result.unhealthy("data directory %s does not exist", dir);
        }
        Path probe = dir.resolve(PROBE);
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(new byte[4096]));
            ch.force(true);
        } catch (IOException e) {
            return Result.unhealthy("data directory %s cannot be written: %s", dir, e.toString());
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // reported by the next check if it persists
            }
        }
        long free;
        try {
            free = usableSpace.of(dir);
        } catch (IOException e) {
            return Result.unhealthy("cannot tell the free space of data directory %s: %s", dir, e.toString());
        }
        if (free < minFreeBytes) {
            return Result.unhealthy("data directory %s has %d bytes free, less than %d: the log cannot grow; free"
                    + " space or move the data directory", dir, free, minFreeBytes);
        }
        return Result.healthy("data directory %s is writable, %d MiB free", dir, free / (1024 * 1024));
    }
}
