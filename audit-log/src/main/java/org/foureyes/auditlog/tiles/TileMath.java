package org.foureyes.auditlog.tiles;

import java.util.ArrayList;
import java.util.List;

/** Which tiles a tree of a given size has (C2SP tlog-tiles, "Merkle Tree" and "Partial Tiles"). */
public final class TileMath {
    private TileMath() {
    }

    /** Complete subtrees of {@code 256^level} leaves in a tree of {@code size}: {@code floor(size / 256^level)}. */
    public static long nodesAt(long size, int level) {
        int shift = TileId.HEIGHT * level;
        return shift >= Long.SIZE ? 0 : size >>> shift;
    }

    /** Full tiles at {@code level}: {@code floor(size / 256^(level+1))}. */
    public static long fullTiles(long size, int level) {
        return nodesAt(size, level + 1);
    }

    /** The width of the partial tile at {@code level}: {@code floor(size / 256^level) mod 256} (0: none). */
    public static int partialWidth(long size, int level) {
        return (int) (nodesAt(size, level) & 0xff);
    }

    /**
     * The width tile {@code index} at {@code level} has in a tree of {@code size} (256 if full),
     * or 0 if the tree has no such tile.
     */
    public static int widthOf(int level, long index, long size) {
        long n = nodesAt(size, level == TileId.ENTRIES ? 0 : level);
        long first = index * TileId.FULL_WIDTH;
        if (n <= first) {
            return 0;
        }
        return (int) Math.min(TileId.FULL_WIDTH, n - first);
    }

    /** Tile {@code index} at {@code level} as it is in a tree of {@code size}. */
    public static TileId tileOf(int level, long index, long size) {
        int w = widthOf(level, index, size);
        if (w == 0) {
            throw new IllegalArgumentException("a tree of size " + size + " has no tile " + index + " at level " + level);
        }
        return new TileId(level, index, w);
    }

    /** Number of hash tile levels a tree of {@code size} has (the highest level with a tile, plus one). */
    public static int levels(long size) {
        int l = 0;
        while (nodesAt(size, l) > 0) {
            l++;
        }
        return l;
    }

    /** The partial tiles of a tree of {@code size}, lowest level first: what its checkpoint needs served. */
    public static List<TileId> partialTiles(long size) {
        List<TileId> out = new ArrayList<>();
        for (int l = 0; l < levels(size); l++) {
            int w = partialWidth(size, l);
            if (w > 0) {
                out.add(new TileId(l, fullTiles(size, l), w));
            }
        }
        return out;
    }

    /**
     * The hash tiles of a tree of {@code size} that are new compared with a tree of {@code from}
     * (0: all): the full tiles completed since and the partial tiles of {@code size}, lowest
     * level first, in index order.
     */
    public static List<TileId> newHashTiles(long from, long size) {
        List<TileId> out = new ArrayList<>();
        for (int l = 0; l < levels(size); l++) {
            for (long n = fullTiles(from, l); n < fullTiles(size, l); n++) {
                out.add(new TileId(l, n, TileId.FULL_WIDTH));
            }
            int w = partialWidth(size, l);
            if (w > 0) {
                out.add(new TileId(l, fullTiles(size, l), w));
            }
        }
        return out;
    }

    /** The entry bundles of a tree of {@code size} new compared with one of {@code from}, as {@link #newHashTiles} at level 0. */
    public static List<TileId> newBundles(long from, long size) {
        List<TileId> out = new ArrayList<>();
        for (long n = fullTiles(from, 0); n < fullTiles(size, 0); n++) {
            out.add(TileId.entries(n, TileId.FULL_WIDTH));
        }
        int w = partialWidth(size, 0);
        if (w > 0) {
            out.add(TileId.entries(fullTiles(size, 0), w));
        }
        return out;
    }
}
