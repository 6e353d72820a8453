package org.foureyes.auditlog.tiles;

import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.HashReader;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.Rfc6962;

/**
 * Builds hash tiles from the complete-subtree hashes a log store already keeps: tile {@code (L, N)}
 * of width {@code W} is the hashes of {@code NodeId(8L, 256N + i)}, {@code i < W}, read in one
 * {@link HashReader#readHashes} call. No second copy of the tree exists to disagree with it.
 */
public final class TileBuilder {
    private TileBuilder() {
    }

    /** The bytes of hash tile {@code tile} ({@code W * 32} bytes). */
    public static byte[] hashTile(TileId tile, HashReader reader) throws LogStoreException {
        if (tile.isEntries()) {
            throw new IllegalArgumentException(tile + " is an entry bundle, not a hash tile");
        }
        List<NodeId> ids = new ArrayList<>(tile.width());
        for (int i = 0; i < tile.width(); i++) {
            ids.add(new NodeId(tile.nodeLevel(), tile.firstNode() + i));
        }
        List<byte[]> hashes = reader.readHashes(ids);
        byte[] out = new byte[tile.width() * Rfc6962.HASH_SIZE];
        for (int i = 0; i < hashes.size(); i++) {
            System.arraycopy(hashes.get(i), 0, out, i * Rfc6962.HASH_SIZE, Rfc6962.HASH_SIZE);
        }
        return out;
    }

    /** The RFC 6962 hash of the perfect subtree over {@code count} (a power of two) hashes of {@code tile} from {@code from}. */
    static byte[] subtree(byte[] tile, int from, int count) {
        byte[][] level = new byte[count][];
        for (int i = 0; i < count; i++) {
            level[i] = hashAt(tile, from + i);
        }
        for (int width = count; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                level[i] = Rfc6962.nodeHash(level[2 * i], level[2 * i + 1]);
            }
        }
        return level[0];
    }

    static byte[] hashAt(byte[] tile, int i) {
        byte[] h = new byte[Rfc6962.HASH_SIZE];
        System.arraycopy(tile, i * Rfc6962.HASH_SIZE, h, 0, Rfc6962.HASH_SIZE);
        return h;
    }
}
