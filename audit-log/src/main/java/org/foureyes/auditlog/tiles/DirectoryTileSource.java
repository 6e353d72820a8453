package org.foureyes.auditlog.tiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiles in a directory laid out as the URL paths (what {@code foureyes export --tiles} writes). */
final class DirectoryTileSource implements TileSource {
    /** No resource is larger than a full bundle of maximal entries. */
    static final long MAX_BYTES = 256L * (2 + EntryBundle.MAX_ENTRY_BYTES);
    private final Path dir;

    DirectoryTileSource(Path dir) {
        this.dir = dir;
    }

    @Override
    public byte[] read(String path) throws IOException {
        Path file = dir.resolve(path).normalize();
        if (!file.startsWith(dir.normalize())) {
            throw new IOException("path " + path + " leaves the directory");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than any tile or bundle (" + MAX_BYTES + " bytes)");
        }
        return Files.readAllBytes(file);
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
