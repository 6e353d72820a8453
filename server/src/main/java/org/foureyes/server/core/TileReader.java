package org.foureyes.server.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.tiles.EntryBundle;
import org.foureyes.auditlog.tiles.TileBuilder;
import org.foureyes.auditlog.tiles.TileId;
import org.foureyes.auditlog.tiles.TileMath;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredEntry;

/**
 * The log's C2SP tlog-tiles resources, read from the tables the log already has: a hash tile from
 * {@code log_entries.leaf_hash} (level 0) or {@code tree_nodes} (level 8L), an entry bundle from
 * {@code log_entries.entry}, each in one query. A tile is served only if the latest signed
 * checkpoint covers it: any partial tile of a size up to it (so every size a checkpoint was signed
 * at) and every full tile below it. Full resources never change once complete, so the last few
 * hundred are kept in memory; partial ones are read each time.
 */
public final class TileReader {
    private static final int CACHED = 512;

    private final JdbiLogStore store;
    private final Map<TileId, byte[]> full = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<TileId, byte[]> eldest) {
            return size() > CACHED;
        }
    };

    public TileReader(JdbiLogStore store) {
        this.store = store;
    }

    /** The tile's bytes, or empty if the log's latest checkpoint does not cover it. */
    public Optional<byte[]> read(TileId tile) throws LogStoreException {
        synchronized (full) {
            byte[] b = full.get(tile);
            if (b != null) {
                return Optional.of(b);
            }
        }
        long size = store.size();
        if (TileMath.widthOf(tile.level(), tile.index(), size) < tile.width()) {
            return Optional.empty();
        }
        byte[] bytes = tile.isEntries() ? bundle(tile) : TileBuilder.hashTile(tile, store);
        if (tile.isFull()) {
            synchronized (full) {
                full.put(tile, bytes);
            }
        }
        return Optional.of(bytes);
    }

    private byte[] bundle(TileId tile) throws LogStoreException {
        List<StoredEntry> rows = store.entries(tile.firstNode(), tile.firstNode() + tile.width());
        if (rows.size() != tile.width()) {
            throw new LogStoreException("the store holds " + rows.size() + " of the " + tile.width() + " entries of "
                    + tile);
        }
        List<byte[]> entries = new ArrayList<>(rows.size());
        for (StoredEntry e : rows) {
            entries.add(e.entry());
        }
        return EntryBundle.encode(entries);
    }
}
