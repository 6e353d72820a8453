package org.foureyes.auditlog.tiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.HashReader;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.Rfc6962;

/** A bare log of arbitrary entries with every complete subtree kept, serving tiles as a server does. */
final class TestLog implements HashReader {
    final List<byte[]> entries = new ArrayList<>();
    final Map<NodeId, byte[]> nodes = new HashMap<>();
    private final CompactRange range = CompactRange.empty();

    static TestLog of(long n) {
        TestLog log = new TestLog();
        for (long i = 0; i < n; i++) {
            log.append(("entry " + i).getBytes(StandardCharsets.UTF_8));
        }
        return log;
    }

    void append(byte[] entry) {
        entries.add(entry);
        range.append(Rfc6962.leafHash(entry), nodes::put);
    }

    byte[] root(long size) throws LogStoreException {
        return org.foureyes.auditlog.MerkleProofs.root(size, this);
    }

    @Override
    public List<byte[]> readHashes(List<NodeId> ids) throws LogStoreException {
        List<byte[]> out = new ArrayList<>();
        for (NodeId id : ids) {
            byte[] h = nodes.get(id);
            if (h == null) {
                throw new LogStoreException("no node " + id);
            }
            out.add(h);
        }
        return out;
    }

    /** Serves the tree of {@code size} with checkpoint {@code note}; only tiles that tree has. */
    TileSource source(long size, String note) {
        return source(size, note, (path, bytes) -> bytes);
    }

    /** As {@link #source(long, String)}, with every answer passed through {@code tamper(path, bytes)}. */
    TileSource source(long size, String note, BiFunction<String, byte[], byte[]> tamper) {
        return path -> {
            byte[] bytes;
            if (path.equals("checkpoint")) {
                bytes = note.getBytes(StandardCharsets.UTF_8);
            } else {
                TileId t = TilePaths.parse(path);
                if (TileMath.widthOf(t.level(), t.index(), size) < t.width()) {
                    throw new NoSuchFileException(path);
                }
                try {
                    bytes = t.isEntries()
                            ? EntryBundle.encode(entries.subList((int) t.firstNode(), (int) t.firstNode() + t.width()))
                            : TileBuilder.hashTile(t, this);
                } catch (LogStoreException e) {
                    throw new java.io.IOException(e);
                }
            }
            byte[] out = tamper.apply(path, bytes);
            if (out == null) {
                throw new NoSuchFileException(path);
            }
            return out;
        };
    }
}
