package org.foureyes.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Proofs from {@link InMemoryLogStore} (stored subtrees) against the literal RFC 9162 recursion
 * in {@link NaiveMerkle}, over all historical sizes of one log of {@link #MAX} entries.
 */
class MerkleProofProperties {

    static final int MAX = 3000;
    static final InMemoryLogStore STORE = new InMemoryLogStore();
    static final List<byte[]> LEAVES = new ArrayList<>();
    static final NaiveMerkle NAIVE;

    static {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try {
            for (int i = 0; i < MAX; i++) {
                LogEntry e = STORE.append(t.plusMillis(i), i == 0 ? EntryType.LOG_GENESIS : EntryType.CHANGE_EXPIRED,
                        null, JsonNodeFactory.instance.objectNode().put("n", i));
                LEAVES.add(NaiveMerkle.leaf(e.bytes()));
            }
        } catch (ChainException e) {
            throw new IllegalStateException(e);
        }
        NAIVE = new NaiveMerkle(LEAVES);
    }

    @Property(tries = 300)
    void inclusion_anyIndexAndSize_matchesReferenceAndVerifies(
            @ForAll @IntRange(min = 1, max = MAX) int size, @ForAll @IntRange(min = 0, max = MAX - 1) int i)
            throws Exception {
        int index = i % size;
        byte[] root = NAIVE.root(size);
        List<byte[]> proof = STORE.inclusionProof(index, size);
        assertThat(b64(proof)).isEqualTo(b64(NAIVE.path(index, size)));
        assertThat(STORE.root(size)).isEqualTo(root);
        ProofVerifier.verifyInclusion(index, size, LEAVES.get(index), proof, root);
        assertThat(ProofVerifier.rootFromInclusionProof(index, size, LEAVES.get(index), proof)).isEqualTo(root);
    }

    @Property(tries = 300)
    void consistency_anySizePair_matchesReferenceAndVerifies(
            @ForAll @IntRange(min = 0, max = MAX) int a, @ForAll @IntRange(min = 0, max = MAX) int b)
            throws Exception {
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        List<byte[]> proof = STORE.consistencyProof(from, to);
        assertThat(b64(proof)).isEqualTo(b64(NAIVE.consistency(from, to)));
        ProofVerifier.verifyConsistency(from, to, NAIVE.root(from), NAIVE.root(to), proof);
    }

    @Property(tries = 300)
    void verifyInclusion_oneHashAltered_throws(
            @ForAll @IntRange(min = 2, max = MAX) int size, @ForAll @IntRange(min = 0, max = MAX - 1) int i,
            @ForAll @IntRange(min = 0, max = 63) int at, @ForAll @IntRange(min = 0, max = 255) int bit) {
        int index = i % size;
        List<byte[]> proof = new ArrayList<>(STORE.inclusionProof(index, size));
        byte[] h = proof.get(at % proof.size()).clone();
        h[bit / 8] ^= (byte) (1 << (bit % 8));
        proof.set(at % proof.size(), h);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, LEAVES.get(index), proof, NAIVE.root(size)))
                .isInstanceOf(ProofException.class);
    }

    @Property(tries = 300)
    void verifyInclusion_hashRemovedOrAdded_throws(
            @ForAll @IntRange(min = 1, max = MAX) int size, @ForAll @IntRange(min = 0, max = MAX - 1) int i,
            @ForAll @IntRange(min = 0, max = 63) int at, @ForAll boolean remove) {
        int index = i % size;
        List<byte[]> proof = new ArrayList<>(STORE.inclusionProof(index, size));
        if (remove) {
            Assume.that(!proof.isEmpty());
            proof.remove(at % proof.size());
        } else {
            proof.add(at % (proof.size() + 1), LEAVES.get(at % size));
        }
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, LEAVES.get(index), proof, NAIVE.root(size)))
                .isInstanceOf(ProofException.class);
    }

    @Property(tries = 300)
    void verifyInclusion_wrongLeafOrIndex_throws(
            @ForAll @IntRange(min = 2, max = MAX) int size, @ForAll @IntRange(min = 0, max = MAX - 1) int i,
            @ForAll @IntRange(min = 1, max = MAX - 1) int delta) {
        int index = i % size;
        int other = (index + delta) % size;
        Assume.that(other != index);
        List<byte[]> proof = STORE.inclusionProof(index, size);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, LEAVES.get(other), proof, NAIVE.root(size)))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(other, size, LEAVES.get(index), proof, NAIVE.root(size)))
                .isInstanceOf(ProofException.class);
    }

    @Property(tries = 300)
    void verifyConsistency_oneHashAltered_throws(
            @ForAll @IntRange(min = 1, max = MAX) int a, @ForAll @IntRange(min = 1, max = MAX) int b,
            @ForAll @IntRange(min = 0, max = 63) int at, @ForAll @IntRange(min = 0, max = 255) int bit) {
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        Assume.that(from != to);
        List<byte[]> proof = new ArrayList<>(STORE.consistencyProof(from, to));
        byte[] h = proof.get(at % proof.size()).clone();
        h[bit / 8] ^= (byte) (1 << (bit % 8));
        proof.set(at % proof.size(), h);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, NAIVE.root(from), NAIVE.root(to), proof))
                .isInstanceOf(ProofException.class);
    }

    @Property(tries = 300)
    void verifyConsistency_hashRemovedOrAdded_throws(
            @ForAll @IntRange(min = 0, max = MAX) int a, @ForAll @IntRange(min = 0, max = MAX) int b,
            @ForAll @IntRange(min = 0, max = 63) int at, @ForAll boolean remove) {
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        List<byte[]> proof = new ArrayList<>(STORE.consistencyProof(from, to));
        if (remove) {
            Assume.that(!proof.isEmpty());
            proof.remove(at % proof.size());
        } else {
            proof.add(at % (proof.size() + 1), LEAVES.get(at % MAX));
        }
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, NAIVE.root(from), NAIVE.root(to), proof))
                .isInstanceOf(ProofException.class);
    }

    @Property(tries = 200)
    void verifyConsistency_wrongRoot_throws(
            @ForAll @IntRange(min = 1, max = MAX - 1) int a, @ForAll @IntRange(min = 1, max = MAX - 1) int b) {
        int from = Math.min(a, b);
        int to = Math.max(a, b) + 1;
        List<byte[]> proof = STORE.consistencyProof(from, to);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, NAIVE.root(from - 1), NAIVE.root(to), proof))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, NAIVE.root(from), NAIVE.root(to - 1), proof))
                .isInstanceOf(ProofException.class);
        // No check with a wrong size2 alone: a proof cannot bind the size (e.g. [MTH(D[4:6])] also
        // "proves" 4 -> 5 with root2 = MTH(D[0:6])); the signed checkpoint binds size to root.
    }

    @Property(tries = 100)
    void compactRange_freshAppends_rootAndNodesMatchReference(@ForAll @IntRange(min = 0, max = 700) int size) {
        CompactRange r = CompactRange.empty();
        List<NodeId> emitted = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            r.append(LEAVES.get(i), (id, h) -> {
                emitted.add(id);
                // Every emitted node is complete and carries the reference hash of its leaves.
                assertThat(h).isEqualTo(NAIVE.subtree(id));
            });
        }
        assertThat(r.size()).isEqualTo(size);
        assertThat(r.root()).isEqualTo(NAIVE.root(size));
        // Exactly the complete subtrees of the tree: 2*size - popcount(size) of them.
        assertThat(emitted).doesNotHaveDuplicates().hasSize(2 * size - Integer.bitCount(size));
        CompactRange copy = CompactRange.fromBorder(size, r.border());
        assertThat(copy.root()).isEqualTo(r.root());
    }

    private static List<String> b64(List<byte[]> l) {
        return l.stream().map(x -> Base64.getEncoder().encodeToString(x)).toList();
    }
}
