package org.foureyes.server.db;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.Rfc6962;
import org.jdbi.v3.core.Jdbi;

/**
 * Recomputes the whole tree from the stored leaf hashes and compares every stored tree node and
 * the root with the signed checkpoint. One pass, {@value #CHUNK} leaves per query: about n/16
 * stored nodes and 2n hashes for n entries (docs/storage.md has the cost). Of the entry bytes
 * only the last entry's are rehashed (the next entry's prev names it); an export verification
 * checks them all.
 */
public final class StoredTreeCheck {
    static final int CHUNK = 16_384;

    private StoredTreeCheck() {
    }

    /**
     * @throws StorageCorruptException naming the first node or the root that disagrees
     */
    public static void verify(Jdbi jdbi, long size, byte[] signedRoot) {
        jdbi.useHandle(h -> {
            TreeNodeDao dao = h.attach(TreeNodeDao.class);
            CompactRange range = CompactRange.empty();
            for (long start = 0; start < size; start += CHUNK) {
                long end = Math.min(size, start + CHUNK);
                List<StoredNode> leaves = dao.leafRange(start, end);
                if (leaves.size() != end - start) {
                    throw new StorageCorruptException("entries " + start + " to " + (end - 1) + " of the signed"
                            + " log are not all stored (found " + leaves.size() + ")");
                }
                Map<NodeId, byte[]> computed = new HashMap<>();
                for (StoredNode leaf : leaves) {
                    range.append(leaf.hash(), (id, hash) -> {
                        if (id.level() >= TreeNodeDao.STORED_FROM_LEVEL) {
                            computed.put(id, hash);
                        }
                    });
                }
                compare(dao, computed);
            }
            if (size > 0) {
                // The entry the next one's prev will name: its bytes must give its stored leaf hash.
                List<StoredEntry> last = h.attach(LogEntryDao.class).range(size - 1, size);
                if (last.size() != 1 || !MessageDigest.isEqual(Rfc6962.leafHash(last.get(0).entry()),
                        last.get(0).leafHash())) {
                    throw new StorageCorruptException("the stored entry " + (size - 1) + " does not hash to its"
                            + " stored leaf hash");
                }
            }
            if (!MessageDigest.isEqual(range.root(), signedRoot)) {
                throw new StorageCorruptException("the stored leaf hashes of the log give the root "
                        + b64(range.root()) + " for size " + size + ", but its signed checkpoint has root "
                        + b64(signedRoot) + ": a stored leaf hash was changed");
            }
        });
    }

    private static void compare(TreeNodeDao dao, Map<NodeId, byte[]> computed) {
        if (computed.isEmpty()) {
            return;
        }
        Map<NodeId, byte[]> stored = new HashMap<>();
        for (StoredNode n : dao.findNodes(new ArrayList<>(computed.keySet()))) {
            stored.put(new NodeId(n.level(), n.index()), n.hash());
        }
        for (Map.Entry<NodeId, byte[]> e : computed.entrySet()) {
            byte[] s = stored.get(e.getKey());
            if (s == null || !MessageDigest.isEqual(s, e.getValue())) {
                throw new StorageCorruptException("the stored tree node " + e.getKey() + " is "
                        + (s == null ? "missing" : b64(s)) + ", but its leaves hash to " + b64(e.getValue()));
            }
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
