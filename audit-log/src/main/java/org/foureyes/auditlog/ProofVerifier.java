package org.foureyes.auditlog;

import java.security.MessageDigest;
import java.util.List;

/**
 * Verifies RFC 9162 inclusion (2.1.3.2) and consistency (2.1.4.2) proofs, with the same edge
 * cases as github.com/transparency-dev/merkle: a proof must have exactly the expected number of
 * hashes, so trailing or missing elements are refused rather than ignored.
 */
public final class ProofVerifier {

    private ProofVerifier() {
    }

    /** Checks that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves with {@code root}. */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof,
            byte[] root) throws ProofException {
        checkHash(root, "root");
        byte[] computed = rootFromInclusionProof(index, size, leafHash, proof);
        if (!MessageDigest.isEqual(root, computed)) {
            throw ProofException.mismatch("root of tree size " + size + " (inclusion of leaf "
                    + index + ")", root, computed);
        }
    }

    /** The root implied by an inclusion proof; callers compare it with a trusted root. */
    public static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash,
            List<byte[]> proof) throws ProofException {
        if (index < 0 || size < 0 || index >= size) {
            throw new ProofException("index " + index + " is beyond tree size " + size);
        }
        checkHash(leafHash, "leaf");
        checkProof(proof);
        int inner = innerProofSize(index, size);
        int border = Long.bitCount(index >>> inner);
        if (proof.size() != inner + border) {
            throw new ProofException("wrong inclusion proof size: expected " + (inner + border)
                    + " hashes, got " + proof.size());
        }
        Rfc6962.Hasher h = Rfc6962.threadHasher();
        byte[] acc = leafHash.clone();
        // Below the fork with the right edge, the index bits say which side the path is on.
        for (int i = 0; i < inner; i++) {
            if (((index >>> i) & 1) == 0) {
                h.nodeHash(acc, proof.get(i), acc, 0);
            } else {
                h.nodeHash(proof.get(i), acc, acc, 0);
            }
        }
        // Above it the path runs along the right edge: every sibling is on the left.
        for (int i = inner; i < proof.size(); i++) {
            h.nodeHash(proof.get(i), acc, acc, 0);
        }
        return acc;
    }

    /** Checks that the tree of {@code size2} leaves with {@code root2} extends the tree of {@code size1} with {@code root1}. */
    public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2,
            List<byte[]> proof) throws ProofException {
        checkHash(root1, "root1");
        checkHash(root2, "root2");
        checkProof(proof);
        if (size1 < 0 || size2 < size1) {
            throw new ProofException("size2 " + size2 + " < size1 " + size1);
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException("size1 = size2 = " + size1 + " but the proof is not empty");
            }
            if (!MessageDigest.isEqual(root1, root2)) {
                throw ProofException.mismatch("root of tree size " + size1, root1, root2);
            }
            return;
        }
        if (size1 == 0) {
            // Every tree extends the empty tree.
            if (!proof.isEmpty()) {
                throw new ProofException("size1 = 0 needs an empty proof, got " + proof.size() + " hashes");
            }
            return;
        }
        if (proof.isEmpty()) {
            throw new ProofException("empty consistency proof from size " + size1 + " to " + size2);
        }

        // The proof is (the root of the largest complete subtree ending at size1, unless that is
        // root1 itself) followed by that subtree's inclusion path in the tree of size2.
        int inner = innerProofSize(size1 - 1, size2);
        int shift = Long.numberOfTrailingZeros(size1);
        int border = Long.bitCount((size1 - 1) >>> inner);
        inner -= shift;
        byte[] seed;
        int start;
        if (size1 == 1L << shift) {
            seed = root1;
            start = 0;
        } else {
            seed = proof.get(0);
            start = 1;
        }
        if (proof.size() != start + inner + border) {
            throw new ProofException("wrong consistency proof size: expected " + (start + inner + border)
                    + " hashes, got " + proof.size());
        }
        long mask = (size1 - 1) >>> shift;
        Rfc6962.Hasher h = Rfc6962.threadHasher();

        // Root of the old tree: only the left siblings matter, since size1 is the right edge.
        byte[] hash1 = seed.clone();
        // Root of the new tree: both sides.
        byte[] hash2 = seed.clone();
        for (int i = 0; i < inner; i++) {
            byte[] p = proof.get(start + i);
            if (((mask >>> i) & 1) == 1) {
                h.nodeHash(p, hash1, hash1, 0);
                h.nodeHash(p, hash2, hash2, 0);
            } else {
                h.nodeHash(hash2, p, hash2, 0);
            }
        }
        for (int i = start + inner; i < proof.size(); i++) {
            byte[] p = proof.get(i);
            h.nodeHash(p, hash1, hash1, 0);
            h.nodeHash(p, hash2, hash2, 0);
        }
        if (!MessageDigest.isEqual(root1, hash1)) {
            throw ProofException.mismatch("root1 of tree size " + size1, root1, hash1);
        }
        if (!MessageDigest.isEqual(root2, hash2)) {
            throw ProofException.mismatch("root2 of tree size " + size2, root2, hash2);
        }
    }

    /** Levels below the node where the paths to {@code index} and to the last leaf part. */
    private static int innerProofSize(long index, long size) {
        return 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
    }

    private static void checkHash(byte[] hash, String what) throws ProofException {
        if (hash == null || hash.length != Rfc6962.HASH_SIZE) {
            throw new ProofException(what + " hash has " + (hash == null ? "no" : hash.length)
                    + " bytes, want " + Rfc6962.HASH_SIZE);
        }
    }

    private static void checkProof(List<byte[]> proof) throws ProofException {
        if (proof == null) {
            throw new ProofException("proof is null");
        }
        for (int i = 0; i < proof.size(); i++) {
            byte[] p = proof.get(i);
            if (p == null || p.length != Rfc6962.HASH_SIZE) {
                throw new ProofException("proof hash " + i + " has "
                        + (p == null ? "no" : p.length) + " bytes, want " + Rfc6962.HASH_SIZE);
            }
        }
    }
}
