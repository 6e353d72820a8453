package org.foureyes.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.foureyes.testing.RandomCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proofs from {@link InMemoryLogStore} (stored subtrees) against the literal RFC 9162 recursion
 * in {@link NaiveMerkle}, over all historical sizes of one log of {@link #MAX} entries.
 *
 * <p>Cases are seeded random draws ({@link RandomCases}; each case's display name gives its seed),
 * plus the sizes around powers of two, where proofs change shape.
 */
class MerkleProofRandomTest {

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

    /** Sizes 1..MAX around every power of two, where the shape of proofs changes. */
    static int[] edgeSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (int p = 1; p <= MAX; p <<= 1) {
            for (int s = p - 1; s <= p + 1; s++) {
                if (s >= 1 && s <= MAX && !sizes.contains(s)) {
                    sizes.add(s);
                }
            }
        }
        sizes.add(MAX);
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    static Stream<Arguments> indexAndSize() {
        Stream<Arguments> random = RandomCases.of(0x1e55_0001L, 300,
                r -> new Object[] {RandomCases.between(r, 1, MAX), RandomCases.between(r, 0, MAX - 1)});
        Stream<Arguments> edges = Arrays.stream(edgeSizes()).boxed().flatMap(size ->
                Stream.of(0, size / 2, size - 1).distinct().map(i -> Arguments.of("edge size " + size + " index " + i, size, i)));
        return Stream.concat(edges, random);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("indexAndSize")
    void inclusion_anyIndexAndSize_matchesReferenceAndVerifies(String label, int size, int i) throws Exception {
        int index = i % size;
        byte[] root = NAIVE.root(size);
        List<byte[]> proof = STORE.inclusionProof(index, size);
        assertThat(b64(proof)).isEqualTo(b64(NAIVE.path(index, size)));
        assertThat(STORE.root(size)).isEqualTo(root);
        ProofVerifier.verifyInclusion(index, size, LEAVES.get(index), proof, root);
        assertThat(ProofVerifier.rootFromInclusionProof(index, size, LEAVES.get(index), proof)).isEqualTo(root);
    }

    static Stream<Arguments> sizePairs() {
        Stream<Arguments> random = RandomCases.of(0x1e55_0002L, 300,
                r -> new Object[] {RandomCases.between(r, 0, MAX), RandomCases.between(r, 0, MAX)});
        int[] edges = edgeSizes();
        Stream<Arguments> edgePairs = Arrays.stream(edges).boxed().flatMap(a ->
                Stream.of(0, 1, a - 1, a, MAX).filter(b -> b >= 0 && b <= MAX).distinct()
                        .map(b -> Arguments.of("edge sizes " + a + " and " + b, a, b)));
        return Stream.concat(edgePairs, random);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizePairs")
    void consistency_anySizePair_matchesReferenceAndVerifies(String label, int a, int b) throws Exception {
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        List<byte[]> proof = STORE.consistencyProof(from, to);
        assertThat(b64(proof)).isEqualTo(b64(NAIVE.consistency(from, to)));
        ProofVerifier.verifyConsistency(from, to, NAIVE.root(from), NAIVE.root(to), proof);
    }

    static Stream<Arguments> inclusionAlterations() {
        return RandomCases.of(0x1e55_0003L, 300, r -> new Object[] {RandomCases.between(r, 2, MAX),
                RandomCases.between(r, 0, MAX - 1), RandomCases.between(r, 0, 63), RandomCases.between(r, 0, 255)});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inclusionAlterations")
    void verifyInclusion_oneHashAltered_throws(String label, int size, int i, int at, int bit) {
        int index = i % size;
        List<byte[]> proof = new ArrayList<>(STORE.inclusionProof(index, size));
        byte[] h = proof.get(at % proof.size()).clone();
        h[bit / 8] ^= (byte) (1 << (bit % 8));
        proof.set(at % proof.size(), h);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, LEAVES.get(index), proof, NAIVE.root(size)))
                .isInstanceOf(ProofException.class);
    }

    static Stream<Arguments> inclusionRemovals() {
        return RandomCases.of(0x1e55_0004L, 300, r -> new Object[] {RandomCases.between(r, 1, MAX),
                RandomCases.between(r, 0, MAX - 1), RandomCases.between(r, 0, 63), r.nextBoolean()});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inclusionRemovals")
    void verifyInclusion_hashRemovedOrAdded_throws(String label, int size, int i, int at, boolean remove) {
        int index = i % size;
        List<byte[]> proof = new ArrayList<>(STORE.inclusionProof(index, size));
        // An empty proof has nothing to remove: add instead, so that every case checks something.
        if (remove && !proof.isEmpty()) {
            proof.remove(at % proof.size());
        } else {
            proof.add(at % (proof.size() + 1), LEAVES.get(at % size));
        }
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, LEAVES.get(index), proof, NAIVE.root(size)))
                .isInstanceOf(ProofException.class);
    }

    static Stream<Arguments> wrongLeaves() {
        return RandomCases.of(0x1e55_0005L, 300, r -> new Object[] {RandomCases.between(r, 2, MAX),
                RandomCases.between(r, 0, MAX - 1), RandomCases.between(r, 1, MAX - 1)});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongLeaves")
    void verifyInclusion_wrongLeafOrIndex_throws(String label, int size, int i, int delta) {
        int index = i % size;
        // delta in [1, size - 1] so that the other index always differs.
        int other = (index + 1 + (delta - 1) % (size - 1)) % size;
        assertThat(other).isNotEqualTo(index);
        List<byte[]> proof = STORE.inclusionProof(index, size);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, LEAVES.get(other), proof, NAIVE.root(size)))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> ProofVerifier.verifyInclusion(other, size, LEAVES.get(index), proof, NAIVE.root(size)))
                .isInstanceOf(ProofException.class);
    }

    static Stream<Arguments> consistencyAlterations() {
        return RandomCases.of(0x1e55_0006L, 300, r -> {
            int from = RandomCases.between(r, 1, MAX - 1);
            int to = RandomCases.between(r, from + 1, MAX);
            return new Object[] {from, to, RandomCases.between(r, 0, 63), RandomCases.between(r, 0, 255)};
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("consistencyAlterations")
    void verifyConsistency_oneHashAltered_throws(String label, int from, int to, int at, int bit) {
        List<byte[]> proof = new ArrayList<>(STORE.consistencyProof(from, to));
        byte[] h = proof.get(at % proof.size()).clone();
        h[bit / 8] ^= (byte) (1 << (bit % 8));
        proof.set(at % proof.size(), h);
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, NAIVE.root(from), NAIVE.root(to), proof))
                .isInstanceOf(ProofException.class);
    }

    static Stream<Arguments> consistencyRemovals() {
        return RandomCases.of(0x1e55_0007L, 300, r -> new Object[] {RandomCases.between(r, 0, MAX),
                RandomCases.between(r, 0, MAX), RandomCases.between(r, 0, 63), r.nextBoolean()});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("consistencyRemovals")
    void verifyConsistency_hashRemovedOrAdded_throws(String label, int a, int b, int at, boolean remove) {
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        List<byte[]> proof = new ArrayList<>(STORE.consistencyProof(from, to));
        if (remove && !proof.isEmpty()) {
            proof.remove(at % proof.size());
        } else {
            proof.add(at % (proof.size() + 1), LEAVES.get(at % MAX));
        }
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(from, to, NAIVE.root(from), NAIVE.root(to), proof))
                .isInstanceOf(ProofException.class);
    }

    static Stream<Arguments> wrongRoots() {
        return RandomCases.of(0x1e55_0008L, 200,
                r -> new Object[] {RandomCases.between(r, 1, MAX - 1), RandomCases.between(r, 1, MAX - 1)});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongRoots")
    void verifyConsistency_wrongRoot_throws(String label, int a, int b) {
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

    static Stream<Arguments> compactSizes() {
        Stream<Arguments> edges = Arrays.stream(edgeSizes()).filter(s -> s <= 700).boxed()
                .map(s -> Arguments.of("edge size " + s, s));
        return Stream.concat(Stream.concat(Stream.of(Arguments.of("empty", 0)), edges),
                RandomCases.of(0x1e55_0009L, 100, r -> new Object[] {RandomCases.between(r, 0, 700)}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compactSizes")
    void compactRange_freshAppends_rootAndNodesMatchReference(String label, int size) {
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
