package org.foureyes.auditlog.tiles;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.foureyes.auditlog.HashReader;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.Rfc6962;

/**
 * The Merkle tree of one verified checkpoint (size and root), read from tiles and trusted only
 * once authenticated: the partial tiles of the size must hash to the root (every hash of a
 * partial tile is part of the root's right border), and a full tile must hash to the entry the
 * tile above it holds for it, recursively up to a partial tile. So any proof computed from this
 * reader ({@code MerkleProofs} takes any {@link HashReader}) is one the checkpoint commits to,
 * and a source that lies is caught at the first tile it lies in.
 *
 * <p>Not thread-safe. Keeps up to {@value #CACHE_TILES} authenticated tiles (8 KiB each).
 */
public final class TileHashReader implements HashReader {
    static final int CACHE_TILES = 4096;
    private static final int H = Rfc6962.HASH_SIZE;

    private final TileSource source;
    private final long size;
    private final Map<TileId, byte[]> tiles = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<TileId, byte[]> eldest) {
            return size() > CACHE_TILES;
        }
    };
    /** The partial tiles of the size, authenticated against the root once and kept. */
    private final Map<TileId, byte[]> partials = new LinkedHashMap<>();
    private int fetched;

    private TileHashReader(TileSource source, long size) {
        this.source = source;
        this.size = size;
    }

    /**
     * Reads the partial tiles of {@code size} and checks that they hash to {@code root}.
     *
     * @throws MirrorException if they do not, with the computed and expected roots
     * @throws IOException if a tile cannot be read (a missing tile names its path)
     */
    public static TileHashReader open(TileSource source, long size, byte[] root) throws IOException, MirrorException {
        TileHashReader r = new TileHashReader(source, size);
        List<byte[]> border = new ArrayList<>();
        List<TileId> partials = TileMath.partialTiles(size);
        Map<TileId, byte[]> read = new LinkedHashMap<>();
        for (int i = partials.size() - 1; i >= 0; i--) {
            TileId t = partials.get(i);
            byte[] bytes = r.fetch(t);
            read.put(t, bytes);
            int offset = 0;
            for (int b = TileId.HEIGHT - 1; b >= 0; b--) {
                if ((t.width() & (1 << b)) != 0) {
                    border.add(TileBuilder.subtree(bytes, offset, 1 << b));
                    offset += 1 << b;
                }
            }
        }
        byte[] computed;
        if (border.isEmpty()) {
            computed = Rfc6962.emptyRoot();
        } else {
            computed = border.get(border.size() - 1);
            for (int i = border.size() - 2; i >= 0; i--) {
                computed = Rfc6962.nodeHash(border.get(i), computed);
            }
        }
        if (!MessageDigest.isEqual(computed, root)) {
            throw new MirrorException("the partial tiles of tree size " + size + " from " + source + " (" + partials
                    + ") hash to root " + b64(computed) + ", but the checkpoint's root is " + b64(root));
        }
        r.partials.putAll(read);
        return r;
    }

    /** The tree size this reader is authenticated for. */
    public long size() {
        return size;
    }

    /** Tiles fetched from the source so far (for tests and progress). */
    public int fetched() {
        return fetched;
    }

    /** Hash tile {@code index} at {@code level} as it is in this tree, authenticated. */
    public byte[] tile(int level, long index) throws IOException, MirrorException {
        TileId t = TileMath.tileOf(level, index, size);
        byte[] known = t.isFull() ? tiles.get(t) : partials.get(t);
        if (known != null) {
            return known;
        }
        if (!t.isFull()) {
            throw new IllegalStateException("partial tile " + t + " was not read by open");
        }
        byte[] bytes = fetch(t);
        TileId parent = TileMath.tileOf(level + 1, index / TileId.FULL_WIDTH, size);
        byte[] parentBytes = tile(parent.level(), parent.index());
        int slot = (int) (index % TileId.FULL_WIDTH);
        byte[] expected = TileBuilder.hashAt(parentBytes, slot);
        byte[] computed = TileBuilder.subtree(bytes, 0, TileId.FULL_WIDTH);
        if (!MessageDigest.isEqual(expected, computed)) {
            throw new MirrorException("tile " + t + " from " + source + " hashes to " + b64(computed) + ", but "
                    + parent + " (authenticated up to the checkpoint) records " + b64(expected) + " at position "
                    + slot);
        }
        tiles.put(t, bytes);
        return bytes;
    }

    /** Reads a tile and checks its length; a partial tile no longer served is taken from the full one. */
    private byte[] fetch(TileId t) throws IOException, MirrorException {
        byte[] bytes;
        try {
            bytes = source.read(t.path());
        } catch (NoSuchFileException e) {
            if (t.isFull()) {
                throw new NoSuchFileException(t.path(), null, "not served by " + source);
            }
            try {
                bytes = source.read(t.full().path());
            } catch (NoSuchFileException e2) {
                throw new NoSuchFileException(t.path(), null, "not served by " + source + " (nor its full tile)");
            }
            if (bytes.length == TileId.FULL_WIDTH * H) {
                bytes = java.util.Arrays.copyOf(bytes, t.width() * H);
            }
        }
        fetched++;
        if (bytes.length != t.width() * H) {
            throw new MirrorException("tile " + t + " from " + source + " has " + bytes.length + " bytes, "
                    + t.width() * H + " expected (" + t.width() + " hashes)");
        }
        return bytes;
    }

    @Override
    public List<byte[]> readHashes(List<NodeId> ids) throws LogStoreException {
        List<byte[]> out = new ArrayList<>(ids.size());
        for (NodeId id : ids) {
            if (id.end() > size) {
                throw new LogStoreException(id + " is not complete in the tree of size " + size);
            }
            int level = id.level() / TileId.HEIGHT;
            int r = id.level() % TileId.HEIGHT;
            long first = id.index() << r;
            try {
                byte[] t = tile(level, first / TileId.FULL_WIDTH);
                out.add(TileBuilder.subtree(t, (int) (first % TileId.FULL_WIDTH), 1 << r));
            } catch (IOException e) {
                throw new LogStoreException("cannot read a tile from " + source + ": " + e.getMessage(), e);
            } catch (MirrorException e) {
                throw new LogStoreException(e.getMessage(), e);
            }
        }
        return out;
    }

    static String b64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }
}
