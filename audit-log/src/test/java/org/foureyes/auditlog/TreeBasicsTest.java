package org.foureyes.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NodeId, CompactRange, Rfc6962 and the verifier's edge cases. */
class TreeBasicsTest {

    @Test
    void nodeId_coverageAndNavigation_consistent() {
        NodeId n = NodeId.of(3, 5);
        assertThat(n.begin()).isEqualTo(40);
        assertThat(n.end()).isEqualTo(48);
        assertThat(n.width()).isEqualTo(8);
        assertThat(n.parent()).isEqualTo(NodeId.of(4, 2));
        assertThat(n.sibling()).isEqualTo(NodeId.of(3, 4));
        assertThat(n.isLeftChild()).isFalse();
        assertThat(n.leftChild()).isEqualTo(NodeId.of(2, 10));
        assertThat(n.rightChild()).isEqualTo(NodeId.of(2, 11));
        assertThat(NodeId.of(62, 0).end()).isEqualTo(1L << 62);
    }

    @Test
    void nodeId_outOfRange_throwsIllegalArgument() {
        assertThatThrownBy(() -> NodeId.of(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of(63, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of(62, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.leaf(0).leftChild()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void borderIds_size13_areThreeDecreasingSubtrees() {
        assertThat(CompactRange.borderIds(13)).containsExactly(NodeId.of(3, 0), NodeId.of(2, 2), NodeId.leaf(12));
        assertThat(CompactRange.borderIds(0)).isEmpty();
        assertThat(CompactRange.rangeNodes(3, 13))
                .containsExactly(NodeId.leaf(3), NodeId.of(2, 1), NodeId.of(2, 2), NodeId.leaf(12));
    }

    @Test
    void compactRange_loadFromStoredNodes_continuesLikeOriginal() throws Exception {
        Map<NodeId, byte[]> stored = new HashMap<>();
        CompactRange a = CompactRange.empty();
        for (int i = 0; i < 13; i++) {
            a.append(Rfc6962.leafHash(new byte[] {(byte) i}), stored::put);
        }
        HashReader r = ids -> {
            List<byte[]> out = new ArrayList<>();
            ids.forEach(id -> out.add(stored.get(id)));
            return out;
        };
        CompactRange b = CompactRange.load(13, r);
        assertThat(b.root()).isEqualTo(a.root());
        byte[] leaf = Rfc6962.leafHash(new byte[] {13});
        List<NodeId> fromA = new ArrayList<>();
        List<NodeId> fromB = new ArrayList<>();
        a.append(leaf, (id, h) -> fromA.add(id));
        b.append(leaf, (id, h) -> fromB.add(id));
        assertThat(fromB).isEqualTo(fromA).containsExactly(NodeId.leaf(13), NodeId.of(1, 6));
        assertThat(b.root()).isEqualTo(a.root());
        assertThat(b.size()).isEqualTo(14);
    }

    @Test
    void compactRange_fromBorderWrongShape_throwsIllegalArgument() {
        assertThatThrownBy(() -> CompactRange.fromBorder(3, List.of(new byte[32])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactRange.fromBorder(1, List.of(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactRange.fromBorder(-1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void merkleProofs_readerReturnsWrongShape_throwsLogStoreException() {
        assertThatThrownBy(() -> MerkleProofs.inclusion(0, 4, ids -> List.of()))
                .isInstanceOf(LogStoreException.class);
        assertThatThrownBy(() -> MerkleProofs.root(3, ids -> List.of(new byte[32], new byte[3])))
                .isInstanceOf(LogStoreException.class);
    }

    @Test
    void hasher_reusedAndAliasedOutput_matchesStatic() {
        Rfc6962.Hasher h = Rfc6962.newHasher();
        byte[] l = Rfc6962.leafHash(new byte[] {1});
        byte[] r = Rfc6962.leafHash(new byte[] {2});
        byte[] want = NaiveMerkle.node(l, r);
        assertThat(h.nodeHash(l, r)).isEqualTo(want);
        assertThat(Rfc6962.nodeHash(l, r)).isEqualTo(want);
        byte[] acc = l.clone();
        h.nodeHash(acc, r, acc, 0);
        assertThat(acc).isEqualTo(want);
        assertThat(h.leafHash(new byte[] {1})).isEqualTo(NaiveMerkle.leaf(new byte[] {1}));
        assertThatThrownBy(() -> h.nodeHash(new byte[31], r)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifyConsistency_equalSizes_needEmptyProofAndEqualRoots() throws Exception {
        byte[] a = Rfc6962.leafHash(new byte[] {1});
        byte[] b = Rfc6962.leafHash(new byte[] {2});
        ProofVerifier.verifyConsistency(5, 5, a, a, List.of());
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(5, 5, a, a, List.of(b)))
                .isInstanceOf(ProofException.class).hasMessageContaining("not empty");
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(5, 5, a, b, List.of()))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining(ProofException.b64(a)).hasMessageContaining(ProofException.b64(b));
    }

    @Test
    void verifyConsistency_fromZero_needsEmptyProofOnly() throws Exception {
        byte[] a = Rfc6962.leafHash(new byte[] {1});
        ProofVerifier.verifyConsistency(0, 7, Rfc6962.emptyRoot(), a, List.of());
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 7, Rfc6962.emptyRoot(), a, List.of(a)))
                .isInstanceOf(ProofException.class);
    }

    @Test
    void verifyConsistency_shrinkingOrEmptyProof_throws() {
        byte[] a = Rfc6962.leafHash(new byte[] {1});
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(7, 6, a, a, List.of()))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(6, 7, a, a, List.of()))
                .isInstanceOf(ProofException.class).hasMessageContaining("empty");
    }

    @Test
    void verifyInclusion_indexAtOrBeyondSize_throws() {
        byte[] a = Rfc6962.leafHash(new byte[] {1});
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(1, 1, a, List.of(), a))
                .isInstanceOf(ProofException.class).hasMessageContaining("beyond");
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 0, a, List.of(), a))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(-1, 3, a, List.of(), a))
                .isInstanceOf(ProofException.class);
    }

    @Test
    void verifyInclusion_singleLeafTree_rootIsLeafHash() throws Exception {
        byte[] a = Rfc6962.leafHash(new byte[] {1});
        ProofVerifier.verifyInclusion(0, 1, a, List.of(), a);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 1, a, List.of(a), a))
                .isInstanceOf(ProofException.class).hasMessageContaining("wrong inclusion proof size");
    }

    @Test
    void verifyInclusion_rootMismatch_messageShowsBothBase64() {
        byte[] a = Rfc6962.leafHash(new byte[] {1});
        byte[] b = Rfc6962.leafHash(new byte[] {2});
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 1, a, List.of(), b))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("expected " + ProofException.b64(b))
                .hasMessageContaining("computed " + ProofException.b64(a));
    }

    @Test
    void verify_nullOrShortHashes_throwProofException() {
        byte[] a = Rfc6962.leafHash(new byte[] {1});
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 2, a, null, a)).isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 2, a, List.of(new byte[31]), a))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(0, 2, new byte[3], List.of(a), a))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(1, 2, null, a, List.of(a)))
                .isInstanceOf(ProofException.class);
    }
}
