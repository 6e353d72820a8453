package org.foureyes.auditlog;

/**
 * A complete (perfect) subtree of the Merkle tree: the node at {@code level} above the leaves
 * that covers leaves {@code [index << level, (index + 1) << level)}. Level 0 nodes are leaves.
 *
 * <p>A complete subtree's hash never changes once all its leaves exist, which is why only these
 * nodes are stored; the incomplete ("ephemeral") nodes at the right edge of a tree are recomputed
 * from the complete subtrees beneath them.
 */
public record NodeId(int level, long index) implements Comparable<NodeId> {

    /** Highest level a node can have: a tree size is a non-negative long, so at most 2^62 leaves fit in one complete subtree. */
    public static final int MAX_LEVEL = 62;

    public NodeId {
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("level " + level + " outside [0, " + MAX_LEVEL + "]");
        }
        // (index + 1) << level must not overflow, so that end() is a valid tree size.
        if (index < 0 || index > (Long.MAX_VALUE >>> level) - 1) {
            throw new IllegalArgumentException("index " + index + " out of range at level " + level);
        }
    }

    /** The same as the canonical constructor, for call sites that read better with a factory. */
    public static NodeId of(int level, long index) {
        return new NodeId(level, index);
    }

    /** The leaf with this index. */
    public static NodeId leaf(long index) {
        return new NodeId(0, index);
    }

    /** First leaf covered (inclusive). */
    public long begin() {
        return index << level;
    }

    /** Last leaf covered, exclusive: the smallest tree size in which this node is complete. */
    public long end() {
        return (index + 1) << level;
    }

    /** Number of leaves covered. */
    public long width() {
        return 1L << level;
    }

    public NodeId parent() {
        return new NodeId(level + 1, index >>> 1);
    }

    public NodeId sibling() {
        return new NodeId(level, index ^ 1);
    }

    public boolean isLeftChild() {
        return (index & 1) == 0;
    }

    public NodeId leftChild() {
        if (level == 0) {
            throw new IllegalStateException("a leaf has no children");
        }
        return new NodeId(level - 1, index << 1);
    }

    public NodeId rightChild() {
        if (level == 0) {
            throw new IllegalStateException("a leaf has no children");
        }
        return new NodeId(level - 1, (index << 1) | 1);
    }

    // Written out rather than the record's generated ones, which go through an invokedynamic
    // bootstrap that the JIT did not inline in the appender's hash maps (JFR, DurableAppendBench).
    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && n.level == level && n.index == index;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(index) + level;
    }

    /** Orders by level, then index: the order of per-level storage. */
    @Override
    public int compareTo(NodeId o) {
        int c = Integer.compare(level, o.level);
        return c != 0 ? c : Long.compare(index, o.index);
    }

    @Override
    public String toString() {
        return "node(" + level + "," + index + ")";
    }
}
