package org.foureyes.auditlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The right border of a Merkle tree: the roots of the complete subtrees that together cover
 * leaves {@code [0, size)}, one per set bit of {@code size}, largest (leftmost) first. That is
 * O(log n) hashes, and enough to append leaves and compute the root without the rest of the tree.
 *
 * <p>Appending costs O(1) hashes amortised per leaf. Not thread-safe.
 */
public final class CompactRange {

    private long size;
    // border.get(i) is the root of the i-th complete subtree from the left; its level is the
    // i-th highest set bit of size, so levels need not be stored.
    private final ArrayList<byte[]> border;
    private final Rfc6962.Hasher hasher = Rfc6962.newHasher();
    private byte[] root; // cached until the next append

    private CompactRange(long size, ArrayList<byte[]> border) {
        this.size = size;
        this.border = border;
    }

    /** The range of the empty tree. */
    public static CompactRange empty() {
        return new CompactRange(0, new ArrayList<>());
    }

    /**
     * A range from a stored border: {@code borderHashes} are the hashes of
     * {@link #borderIds(long) borderIds(size)}, in that order.
     */
    public static CompactRange fromBorder(long size, List<byte[]> borderHashes) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        Objects.requireNonNull(borderHashes, "borderHashes");
        int want = Long.bitCount(size);
        if (borderHashes.size() != want) {
            throw new IllegalArgumentException("size " + size + " needs " + want
                    + " border hashes, got " + borderHashes.size());
        }
        ArrayList<byte[]> copy = new ArrayList<>(want + 1);
        for (byte[] h : borderHashes) {
            Rfc6962.checkHash(h, "border");
            copy.add(h.clone());
        }
        return new CompactRange(size, copy);
    }

    /** Loads the border of a tree of {@code size} leaves with one read. */
    public static CompactRange load(long size, HashReader reader) throws LogStoreException {
        List<NodeId> ids = borderIds(size);
        List<byte[]> hashes = ids.isEmpty() ? List.of() : MerkleProofs.read(reader, ids);
        return fromBorder(size, hashes);
    }

    /** The complete subtrees that make up a tree of {@code size} leaves, leftmost (largest) first. */
    public static List<NodeId> borderIds(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        return rangeNodes(0, size);
    }

    /**
     * The fewest complete subtrees covering leaves {@code [begin, end)}, left to right. At most
     * two per level, so O(log n).
     */
    public static List<NodeId> rangeNodes(long begin, long end) {
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("bad range [" + begin + ", " + end + ")");
        }
        List<NodeId> out = new ArrayList<>();
        while (begin < end) {
            // The largest subtree that starts at begin (alignment) and fits before end.
            int level = begin == 0 ? NodeId.MAX_LEVEL : Long.numberOfTrailingZeros(begin);
            level = Math.min(level, 63 - Long.numberOfLeadingZeros(end - begin));
            out.add(new NodeId(level, begin >>> level));
            begin += 1L << level;
        }
        return out;
    }

    /** Number of leaves. */
    public long size() {
        return size;
    }

    /** Copies of the border hashes, matching {@link #borderIds(long) borderIds(size())}. */
    public List<byte[]> border() {
        List<byte[]> out = new ArrayList<>(border.size());
        for (byte[] h : border) {
            out.add(h.clone());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Appends one leaf. {@code newCompleteNodes} receives, bottom-up, every node that this leaf
     * completes: the leaf itself at level 0, then each parent that now has both children. These
     * are exactly the hashes a store must keep to serve proofs later. It may be null.
     */
    public void append(byte[] leafHash, BiConsumer<NodeId, byte[]> newCompleteNodes) {
        Rfc6962.checkHash(leafHash, "leaf");
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("tree is full");
        }
        byte[] hash = leafHash.clone();
        if (newCompleteNodes != null) {
            newCompleteNodes.accept(NodeId.leaf(size), hash.clone());
        }
        // Each trailing 1 bit of the old size is a complete subtree of the same level as the
        // one being carried, so they merge (like binary addition).
        long carry = size;
        int level = 0;
        while ((carry & 1) == 1) {
            byte[] left = border.remove(border.size() - 1);
            hash = hasher.nodeHash(left, hash);
            carry >>>= 1;
            level++;
            if (newCompleteNodes != null) {
                newCompleteNodes.accept(new NodeId(level, carry), hash.clone());
            }
        }
        border.add(hash);
        size++;
        root = null;
    }

    /** The root hash of the tree: the border folded from the right. */
    public byte[] root() {
        if (root == null) {
            root = foldRight(border, hasher);
        }
        return root.clone();
    }

    /**
     * Hash of the (possibly incomplete) subtree made of {@code hashes}, complete subtrees of
     * strictly decreasing size from left to right: the smallest two are joined first, as RFC 6962
     * splits a tree at the largest power of two below its size.
     */
    static byte[] foldRight(List<byte[]> hashes, Rfc6962.Hasher hasher) {
        if (hashes.isEmpty()) {
            return hasher.emptyRoot();
        }
        byte[] acc = hashes.get(hashes.size() - 1).clone();
        for (int i = hashes.size() - 2; i >= 0; i--) {
            hasher.nodeHash(hashes.get(i), acc, acc, 0);
        }
        return acc;
    }

    @Override
    public String toString() {
        return "CompactRange[size=" + size + "]";
    }
}
