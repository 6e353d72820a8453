package org.foureyes.auditlog.tiles;

/**
 * One resource of a C2SP tlog-tiles log: a hash tile ({@code level >= 0}) or an entry bundle
 * ({@link #ENTRIES}), by index and width (256 for a full tile, 1 to 255 for a partial one).
 *
 * <p>Hash tile {@code (L, N)} holds, in order, the hashes of the complete subtrees
 * {@code NodeId(8L, N * 256 + i)}; entry bundle {@code N} holds entries {@code N * 256 + i}.
 */
public record TileId(int level, long index, int width) {
    /** The level of entry bundles; hash tiles have levels 0 to {@link #MAX_LEVEL}. */
    public static final int ENTRIES = -1;
    public static final int MAX_LEVEL = 63;
    /** Hashes (or entries) in a full tile. */
    public static final int FULL_WIDTH = 256;
    /** Levels of the Merkle tree one tile spans. */
    public static final int HEIGHT = 8;

    public TileId {
        if (level < ENTRIES || level > MAX_LEVEL) {
            throw new IllegalArgumentException("tile level " + level + " outside [0, " + MAX_LEVEL + "]");
        }
        if (index < 0) {
            throw new IllegalArgumentException("negative tile index " + index);
        }
        if (width < 1 || width > FULL_WIDTH) {
            throw new IllegalArgumentException("tile width " + width + " outside [1, 256]");
        }
    }

    public static TileId hashes(int level, long index, int width) {
        return new TileId(level, index, width);
    }

    public static TileId entries(long index, int width) {
        return new TileId(ENTRIES, index, width);
    }

    public boolean isEntries() {
        return level == ENTRIES;
    }

    public boolean isFull() {
        return width == FULL_WIDTH;
    }

    /** The full tile this one is a prefix of (itself if full). */
    public TileId full() {
        return new TileId(level, index, FULL_WIDTH);
    }

    /** The tree level of the hashes in a hash tile (8 per tile level); entry bundles are at leaf level. */
    public int nodeLevel() {
        return isEntries() ? 0 : HEIGHT * level;
    }

    /** Index (at {@link #nodeLevel()}) of the first hash or entry in the tile. */
    public long firstNode() {
        return index * FULL_WIDTH;
    }

    /** The path below the log's prefix, e.g. {@code tile/0/x001/x234/067.p/8} or {@code tile/entries/000}. */
    public String path() {
        StringBuilder b = new StringBuilder("tile/");
        b.append(isEntries() ? "entries" : Integer.toString(level)).append('/');
        b.append(TilePaths.encodeIndex(index));
        if (!isFull()) {
            b.append(".p/").append(width);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return path();
    }
}
