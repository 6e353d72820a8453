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
import org.foureyes.server.db.CheckpointDao;
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
        long size = publishedSize();
        if (TileMath.widthOf(tile.level(), tile.index(), size) < tile.width()) {
            return Optional.empty();
        }
        byte[] bytes = tile.isEntries() ? bundle(tile) : tile.level() == 0 ? leafTile(tile)
                : TileBuilder.hashTile(tile, store);
        if (tile.isFull()) {
            synchronized (full) {
                full.put(tile, bytes);
            }
        }
        return Optional.of(bytes);
    }

    /** The size of the latest signed checkpoint, in one query (without its cosignatures). */
    private long publishedSize() {
        return store.jdbi().withExtension(CheckpointDao.class, d -> d.latest()).map(c -> c.size()).orElse(0L);
    }

    /**
     * A level-0 tile as one range scan of {@code log_entries}' primary key, reading only
     * {@code leaf_hash} (the generic path binds 256 seqs in an IN list, 30 times slower on SQLite).
     */
    private byte[] leafTile(TileId tile) throws LogStoreException {
        List<byte[]> hashes = store.jdbi().withHandle(h -> h.createQuery(
                "SELECT leaf_hash FROM log_entries WHERE seq >= :a AND seq < :b ORDER BY seq")
                .bind("a", tile.firstNode()).bind("b", tile.firstNode() + tile.width())
                .mapTo(byte[].class).list());
        if (hashes.size() != tile.width()) {
            throw new LogStoreException("the store holds " + hashes.size() + " of the " + tile.width()
                    + " leaf hashes of " + tile);
        }
        byte[] out = new byte[tile.width() * 32];
        for (int i = 0; i < hashes.size(); i++) {
            System.arraycopy(hashes.get(i), 0, out, i * 32, 32);
        }
        return out;
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
