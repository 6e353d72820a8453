package org.foureyes.auditlog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A bare HashReader over a CompactRange's complete nodes, counting reads, for tests. */
final class InMemoryTreeForTest implements HashReader {
    final Map<NodeId, byte[]> nodes = new HashMap<>();
    final CompactRange range = CompactRange.empty();
    int calls;
    int idsRead;
    int maxIdsPerCall;

    void append(byte[] leafHash) {
        range.append(leafHash, nodes::put);
    }

    @Override
    public List<byte[]> readHashes(List<NodeId> ids) throws LogStoreException {
        calls++;
        idsRead += ids.size();
        maxIdsPerCall = Math.max(maxIdsPerCall, ids.size());
        List<byte[]> out = new ArrayList<>(ids.size());
        for (NodeId id : ids) {
            byte[] h = nodes.get(id);
            if (h == null) {
                throw new LogStoreException("no node " + id);
            }
            out.add(h);
        }
        return out;
    }
}
