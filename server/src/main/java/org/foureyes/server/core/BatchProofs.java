package org.foureyes.server.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.Rfc6962;

/**
 * Inclusion proofs for every entry of a just-written batch, in the tree that includes the batch,
 * from the complete-subtree hashes the appender has in memory (the old border and the batch's new
 * nodes): no query, and the incomplete subtrees at the right edge are hashed once per batch rather
 * than once per proof.
 *
 * <p>Same result as {@code MerkleProofs.inclusion} (RFC 9162 2.1.3.1), which the tests check:
 * walking down from the root, a left sibling is a complete subtree and a right sibling is either
 * complete or the incomplete suffix {@code [x, size)} of the tree, and there are at most 63 such
 * suffixes. Not thread-safe; one instance per batch.
 */
final class BatchProofs {
    private final long size;
    private final Map<NodeId, byte[]> nodes;
    private final Map<Long, byte[]> suffixes = new HashMap<>();
    private final Rfc6962.Hasher hasher = Rfc6962.newHasher();

    /**
     * @param nodes complete-subtree hashes: at least the border of the tree before the batch and
     *     every node completed by the batch
     */
    BatchProofs(long size, Map<NodeId, byte[]> nodes) {
        this.size = size;
        this.nodes = nodes;
    }

    /**
     * The audit path of {@code index}, bottom-up, or null if a needed node is not in memory (then
     * the caller falls back to the store).
     */
    List<byte[]> inclusion(long index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index " + index + " not in tree of size " + size);
        }
        List<byte[]> path = new ArrayList<>(64 - Long.numberOfLeadingZeros(size)); // the path's length at most
        long start = 0;
        long n = size;
        long m = index;
        while (n > 1) {
            long k = Long.highestOneBit(n - 1);
            byte[] sibling;
            if (m < k) {
                sibling = range(start + k, start + n);
                n = k;
            } else {
                sibling = complete(start, k);
                start += k;
                m -= k;
                n -= k;
            }
            if (sibling == null) {
                return null;
            }
            path.add(sibling);
        }
        Collections.reverse(path);
        return path;
    }

    /** Hash of leaves {@code [begin, end)}: a complete subtree, or a suffix of the tree. */
    private byte[] range(long begin, long end) {
        long width = end - begin;
        if (Long.bitCount(width) == 1 && begin % width == 0) {
            return complete(begin, width);
        }
        if (end != size) {
            return null; // cannot happen in an RFC 9162 path; let the store answer
        }
        byte[] cached = suffixes.get(begin);
        if (cached != null) {
            return cached;
        }
        List<NodeId> ids = CompactRange.rangeNodes(begin, end);
        byte[] acc = null;
        for (int i = ids.size() - 1; i >= 0; i--) {
            byte[] h = nodes.get(ids.get(i));
            if (h == null) {
                return null;
            }
            acc = acc == null ? h : hasher.nodeHash(h, acc);
        }
        suffixes.put(begin, acc);
        return acc;
    }

    private byte[] complete(long begin, long width) {
        int level = Long.numberOfTrailingZeros(width);
        return nodes.get(new NodeId(level, begin >>> level));
    }
}
