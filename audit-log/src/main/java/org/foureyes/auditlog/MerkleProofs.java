package org.foureyes.auditlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Builds RFC 9162 inclusion and consistency proofs and historical roots from stored hashes of
 * complete subtrees, never from the leaves.
 *
 * <p>Each proof element is either a complete subtree, read as is, or an incomplete ("ephemeral")
 * subtree at the right edge of the tree, whose hash is recomputed from the O(log n) complete
 * subtrees that cover it. Every node a proof needs is read in one {@link HashReader#readHashes}
 * call of O(log n) ids, so a database answers a proof with one query.
 */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /** The inclusion proof (audit path) of leaf {@code index} in the tree of {@code size} leaves. */
    public static List<byte[]> inclusion(long index, long size, HashReader reader)
            throws LogStoreException {
        Objects.requireNonNull(reader, "reader");
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index " + index + " not in tree of size " + size);
        }
        return fetch(inclusionPlan(index, size), reader);
    }

    /** The consistency proof from the tree of {@code from} leaves to the tree of {@code to} leaves. */
    public static List<byte[]> consistency(long from, long to, HashReader reader)
            throws LogStoreException {
        Objects.requireNonNull(reader, "reader");
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad consistency range: from " + from + " to " + to);
        }
        return fetch(consistencyPlan(from, to), reader);
    }

    /** The root hash of the tree of {@code size} leaves, from at most 63 stored subtree hashes. */
    public static byte[] root(long size, HashReader reader) throws LogStoreException {
        Objects.requireNonNull(reader, "reader");
        List<NodeId> ids = CompactRange.borderIds(size);
        if (ids.isEmpty()) {
            return Rfc6962.emptyRoot();
        }
        return CompactRange.foldRight(read(reader, ids), Rfc6962.threadHasher());
    }

    /**
     * The proof elements for an inclusion proof, bottom-up; each element is the list of complete
     * subtrees whose right fold is that element's hash (one id unless the element is ephemeral).
     */
    static List<List<NodeId>> inclusionPlan(long index, long size) {
        // RFC 9162 2.1.3.1 PATH(m, D[start:start+n]), walked top-down, then reversed.
        List<List<NodeId>> plan = new ArrayList<>();
        long start = 0;
        long n = size;
        long m = index;
        while (n > 1) {
            long k = Long.highestOneBit(n - 1); // largest power of two below n
            if (m < k) {
                plan.add(CompactRange.rangeNodes(start + k, start + n));
                n = k;
            } else {
                plan.add(CompactRange.rangeNodes(start, start + k));
                start += k;
                m -= k;
                n -= k;
            }
        }
        Collections.reverse(plan);
        return plan;
    }

    /** The proof elements for a consistency proof, bottom-up, as in {@link #inclusionPlan}. */
    static List<List<NodeId>> consistencyPlan(long from, long to) {
        List<List<NodeId>> plan = new ArrayList<>();
        if (from == 0 || from == to) {
            return plan;
        }
        // RFC 9162 2.1.4.1 SUBPROOF(m, D[start:start+n], b), walked top-down, then reversed.
        long start = 0;
        long n = to;
        long m = from;
        boolean knownToVerifier = true; // b: the subtree [0, from) is the verifier's old root
        while (m != n) {
            long k = Long.highestOneBit(n - 1);
            if (m <= k) {
                plan.add(CompactRange.rangeNodes(start + k, start + n));
                n = k;
            } else {
                plan.add(CompactRange.rangeNodes(start, start + k));
                start += k;
                m -= k;
                n -= k;
                knownToVerifier = false;
            }
        }
        if (!knownToVerifier) {
            // A complete subtree: start is aligned to a power of two at least n.
            plan.add(CompactRange.rangeNodes(start, start + n));
        }
        Collections.reverse(plan);
        return plan;
    }

    private static List<byte[]> fetch(List<List<NodeId>> plan, HashReader reader)
            throws LogStoreException {
        if (plan.isEmpty()) {
            return List.of();
        }
        List<NodeId> ids = new ArrayList<>();
        for (List<NodeId> element : plan) {
            ids.addAll(element);
        }
        List<byte[]> hashes = read(reader, ids);
        Rfc6962.Hasher hasher = Rfc6962.threadHasher();
        List<byte[]> proof = new ArrayList<>(plan.size());
        int at = 0;
        for (List<NodeId> element : plan) {
            int w = element.size();
            proof.add(w == 1 ? hashes.get(at) : CompactRange.foldRight(hashes.subList(at, at + w), hasher));
            at += w;
        }
        return proof;
    }

    /** One batched read, checked: a reader that answers the wrong shape must not yield a proof. */
    static List<byte[]> read(HashReader reader, List<NodeId> ids) throws LogStoreException {
        List<byte[]> hashes = reader.readHashes(Collections.unmodifiableList(ids));
        if (hashes == null || hashes.size() != ids.size()) {
            throw new LogStoreException("asked for " + ids.size() + " hashes, got "
                    + (hashes == null ? "null" : String.valueOf(hashes.size())));
        }
        List<byte[]> out = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            byte[] h = hashes.get(i);
            if (h == null || h.length != Rfc6962.HASH_SIZE) {
                throw new LogStoreException("stored hash of " + ids.get(i) + " is "
                        + (h == null ? "missing" : h.length + " bytes, want " + Rfc6962.HASH_SIZE));
            }
            out.add(h.clone());
        }
        return out;
    }
}
