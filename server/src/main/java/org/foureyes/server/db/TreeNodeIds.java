package org.foureyes.server.db;

import org.foureyes.auditlog.NodeId;

/** The storage key of a tree node (see {@code tree_nodes} in migrations.xml). */
public final class TreeNodeIds {
    private TreeNodeIds() {
    }

    /**
     * The node's position in post-order, counting from 0: the number of complete subtrees that
     * exist before it completes. Appending leaf {@code e - 1} completes, bottom-up, the nodes of
     * levels 0 to ctz(e) that end at {@code e}, and a tree of {@code e} leaves has
     * {@code 2e - popcount(e)} complete subtrees, so the node of level L ending at e has position
     * {@code 2e - popcount(e) - 1 - ctz(e) + L}. Dense and increasing in the order appends write
     * nodes. (The intermediate {@code 2e} may wrap for e = 2^62; the result, below 2^63, does not.)
     */
    public static long postOrder(int level, long index) {
        long end = (index + 1) << level;
        return 2 * end - Long.bitCount(end) - 1 - Long.numberOfTrailingZeros(end) + level;
    }

    public static long postOrder(NodeId id) {
        return postOrder(id.level(), id.index());
    }
}
