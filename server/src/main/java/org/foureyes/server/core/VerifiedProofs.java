package org.foureyes.server.core;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.ProofException;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StorageCorruptException;
import org.foureyes.server.db.StoredCheckpoint;

/**
 * Proofs read from storage, each verified against the signed checkpoint before it is served: a
 * changed stored hash must never reach an agent as a proof that does not verify (it would report
 * a fork). A proof is a handful of hashes, so this costs a few more small reads and hashes.
 * A disagreement is recorded in {@link StorageIntegrity} and thrown as {@link StorageCorruptException}.
 */
public final class VerifiedProofs {
    private final JdbiLogStore store;
    private final VerifierKey logKey;
    private final StorageIntegrity integrity;

    public VerifiedProofs(JdbiLogStore store, VerifierKey logKey, StorageIntegrity integrity) {
        this.store = store;
        this.logKey = logKey;
        this.integrity = integrity;
    }

    /** Inclusion proof of leaf {@code index} in the tree of {@code size} ({@code size <= latest.size()}). */
    public List<byte[]> inclusion(long index, long size, StoredCheckpoint latest) throws LogStoreException {
        List<byte[]> proof = store.inclusionProof(index, size);
        byte[] leaf = store.readHashes(List.of(NodeId.leaf(index))).get(0);
        byte[] root;
        try {
            root = ProofVerifier.rootFromInclusionProof(index, size, leaf, proof);
        } catch (ProofException e) {
            throw corrupt("the stored inclusion proof of entry " + index + " in size " + size + " is malformed: "
                    + e.getMessage());
        }
        byte[] signed = signedRoot(size, latest);
        if (!MessageDigest.isEqual(root, signed)) {
            throw corrupt("the stored leaf hash of entry " + index + " and its inclusion proof give root "
                    + b64(root) + " for size " + size + ", but the signed root is " + b64(signed));
        }
        return proof;
    }

    /** Consistency proof from size {@code from} to {@code to} ({@code to <= latest.size()}). */
    public List<byte[]> consistency(long from, long to, StoredCheckpoint latest) throws LogStoreException {
        List<byte[]> proof = store.consistencyProof(from, to);
        if (from == 0 || from == to) {
            return proof; // empty: nothing read from storage to check
        }
        try {
            ProofVerifier.verifyConsistency(from, to, signedRoot(from, latest), signedRoot(to, latest), proof);
        } catch (ProofException e) {
            throw corrupt("the stored consistency proof from size " + from + " to " + to
                    + " does not verify against the signed roots: " + e.getMessage());
        }
        return proof;
    }

    /**
     * The signed root of the tree of {@code size}: from the checkpoint signed for exactly that size
     * if there is one, else the stored tree's root, proven consistent with the latest checkpoint.
     */
    private byte[] signedRoot(long size, StoredCheckpoint latest) throws LogStoreException {
        if (size == latest.size()) {
            return rootOf(latest);
        }
        StoredCheckpoint at = store.checkpointAt(size).orElse(null);
        if (at != null) {
            return rootOf(at);
        }
        byte[] computed = store.root(size);
        try {
            ProofVerifier.verifyConsistency(size, latest.size(), computed, rootOf(latest),
                    store.consistencyProof(size, latest.size()));
        } catch (ProofException e) {
            throw corrupt("the stored tree at size " + size + " (root " + b64(computed) + ") is not consistent"
                    + " with the latest signed checkpoint (size " + latest.size() + "): " + e.getMessage());
        }
        return computed;
    }

    /** The root in the signed note, not the root column beside it. */
    private byte[] rootOf(StoredCheckpoint cp) {
        Checkpoint c;
        try {
            c = SignedCheckpoint.open(cp.note(), logKey);
        } catch (Exception e) {
            throw corrupt("the stored checkpoint of size " + cp.size() + " does not verify under the log key: "
                    + e.getMessage());
        }
        if (c.size() != cp.size() || !MessageDigest.isEqual(c.rootHash(), cp.rootHash())) {
            throw corrupt("the stored checkpoint row of size " + cp.size() + " disagrees with its signed note");
        }
        return c.rootHash();
    }

    private StorageCorruptException corrupt(String what) {
        integrity.corrupt(what);
        return new StorageCorruptException(what);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
