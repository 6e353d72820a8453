package org.foureyes.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proofs at a million leaves read O(log n) stored hashes in one batch. The tree is virtual: a
 * node's hash is computed on demand from its leaves, so the test needs no million-entry store,
 * and the proofs are still checked against a root computed by appending every leaf.
 */
class ProofReadCountTest {

    static final long N = 1_000_000;
    static final int MAX_IDS = 2 * 64;
    static byte[] rootN;
    static byte[] rootM;
    static final long M = 999_937; // a prime, so the right border has many nodes

    static byte[] leaf(long i) {
        return Rfc6962.leafHash(ByteBuffer.allocate(8).putLong(i).array());
    }

    /** Counts calls and ids and refuses nodes that are not complete in a tree of {@code size}. */
    static final class VirtualTree implements HashReader {
        final long size;
        int calls;
        int ids;

        VirtualTree(long size) {
            this.size = size;
        }

        @Override
        public List<byte[]> readHashes(List<NodeId> req) throws LogStoreException {
            calls++;
            ids += req.size();
            List<byte[]> out = new ArrayList<>();
            for (NodeId id : req) {
                if (id.end() > size) {
                    throw new LogStoreException(id + " is not complete at size " + size);
                }
                out.add(hash(id.level(), id.index()));
            }
            return out;
        }

        private static byte[] hash(int level, long index) {
            if (level == 0) {
                return leaf(index);
            }
            return Rfc6962.nodeHash(hash(level - 1, 2 * index), hash(level - 1, 2 * index + 1));
        }
    }

    @BeforeAll
    static void roots() {
        CompactRange r = CompactRange.empty();
        for (long i = 0; i < N; i++) {
            r.append(leaf(i), null);
            if (r.size() == M) {
                rootM = r.root();
            }
        }
        rootN = r.root();
    }

    @Test
    void inclusion_millionLeaves_readsLogNHashesInOneCall() throws Exception {
        for (long index : new long[] {0, 524_287, 999_998, N - 1}) {
            VirtualTree t = new VirtualTree(N);
            List<byte[]> proof = MerkleProofs.inclusion(index, N, t);
            assertThat(t.calls).isEqualTo(1);
            assertThat(t.ids).isLessThanOrEqualTo(MAX_IDS);
            ProofVerifier.verifyInclusion(index, N, leaf(index), proof, rootN);
        }
    }

    @Test
    void consistency_millionLeaves_readsLogNHashesInOneCall() throws Exception {
        VirtualTree t = new VirtualTree(N);
        List<byte[]> proof = MerkleProofs.consistency(M, N, t);
        assertThat(t.calls).isEqualTo(1);
        assertThat(t.ids).isLessThanOrEqualTo(MAX_IDS);
        ProofVerifier.verifyConsistency(M, N, rootM, rootN, proof);
    }

    @Test
    void root_millionLeaves_readsBorderInOneCall() throws Exception {
        VirtualTree t = new VirtualTree(N);
        assertThat(MerkleProofs.root(N, t)).isEqualTo(rootN);
        assertThat(t.calls).isEqualTo(1);
        assertThat(t.ids).isEqualTo(Long.bitCount(N));
        VirtualTree t2 = new VirtualTree(M);
        assertThat(CompactRange.load(M, t2).root()).isEqualTo(rootM);
        assertThat(t2.calls).isEqualTo(1);
    }
}
