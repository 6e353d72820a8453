package org.foureyes.auditlog.tiles;

import java.io.IOException;

/** Where tiles are read from: a directory, a URL prefix, or the log's own store. */
@FunctionalInterface
public interface TileSource {

    /**
     * The resource at {@code path} below the log's prefix ({@code checkpoint}, {@code tile/...}),
     * uncompressed.
     *
     * @throws java.nio.file.NoSuchFileException if the source does not have it
     * @throws IOException if it cannot be read
     */
    byte[] read(String path) throws IOException;

    /** A directory written by {@code foureyes export --tiles} or any copy of it. */
    static TileSource directory(java.nio.file.Path dir) {
        return new DirectoryTileSource(dir);
    }

    /** A URL prefix serving the log (the service's {@code /tlog/} or a mirror). */
    static TileSource url(java.net.URI prefix) {
        return new HttpTileSource(prefix, null);
    }

    /** As {@link #url(java.net.URI)}, sending {@code token} as a bearer token (a private log). */
    static TileSource url(java.net.URI prefix, String token) {
        return new HttpTileSource(prefix, token);
    }

    /** A directory path or an {@code http(s)://} prefix. */
    static TileSource of(String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return url(java.net.URI.create(location));
        }
        return directory(java.nio.file.Path.of(location));
    }
}
