package org.foureyes.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryLogStoreTest {

    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    static InMemoryLogStore storeOf(int n, List<byte[]> leaves) throws ChainException {
        InMemoryLogStore s = new InMemoryLogStore();
        for (int i = 0; i < n; i++) {
            LogEntry e = s.append(T0.plusSeconds(i), i == 0 ? EntryType.LOG_GENESIS : EntryType.CHANGE_EXPIRED,
                    null, JsonNodeFactory.instance.objectNode().put("change", i));
            leaves.add(e.leafHash());
        }
        return s;
    }

    @Test
    void append_entries_storedAndReadBackExactly() throws Exception {
        InMemoryLogStore s = new InMemoryLogStore();
        LogEntry e0 = LogEntry.create(0, T0, LogEntry.GENESIS_PREV, "log.genesis", null,
                JsonNodeFactory.instance.objectNode().put("origin", "o"));
        s.append(e0);
        LogEntry e1 = s.append(T0, EntryType.CHANGE_REQUESTED, "h.p.s",
                JsonNodeFactory.instance.objectNode().put("change", 1));
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.entry(0)).isEqualTo(e0);
        assertThat(s.entry(1)).isEqualTo(e1);
        assertThat(e1.prev()).isEqualTo(e0.leafHash());
        assertThat(s.entryBytes(1)).isEqualTo(e1.bytes());
        assertThat(s.lastTime()).isEqualTo(T0);
    }

    @Test
    void append_brokenChain_throwsAndLeavesStoreUnchanged() throws Exception {
        InMemoryLogStore s = storeOf(3, new ArrayList<>());
        byte[] root = s.root();
        LogEntry wrongPrev = LogEntry.create(3, T0.plusSeconds(9), LogEntry.GENESIS_PREV, "change.expired",
                null, JsonNodeFactory.instance.objectNode());
        assertThatThrownBy(() -> s.append(wrongPrev)).isInstanceOf(ChainException.class);
        assertThatThrownBy(() -> s.append(T0, EntryType.CHANGE_EXPIRED, null, JsonNodeFactory.instance.objectNode()))
                .isInstanceOf(ChainException.class).hasMessageContaining("before");
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.root()).isEqualTo(root);
    }

    @Test
    void root_everyHistoricalSize_matchesReference() throws Exception {
        List<byte[]> leaves = new ArrayList<>();
        InMemoryLogStore s = storeOf(70, leaves);
        NaiveMerkle ref = new NaiveMerkle(leaves);
        for (int n = 0; n <= 70; n++) {
            assertThat(s.root(n)).as("size %d", n).isEqualTo(ref.root(n));
        }
        assertThat(s.root()).isEqualTo(ref.root(70));
        assertThat(s.compactRange().root()).isEqualTo(ref.root(70));
    }

    @Test
    void proofs_allPairsUpTo40_verify() throws Exception {
        List<byte[]> leaves = new ArrayList<>();
        InMemoryLogStore s = storeOf(40, leaves);
        NaiveMerkle ref = new NaiveMerkle(leaves);
        for (int n = 0; n <= 40; n++) {
            for (int m = 0; m <= n; m++) {
                ProofVerifier.verifyConsistency(m, n, ref.root(m), ref.root(n), s.consistencyProof(m, n));
                if (m < n) {
                    ProofVerifier.verifyInclusion(m, n, leaves.get(m), s.inclusionProof(m, n), ref.root(n));
                }
            }
        }
    }

    @Test
    void proofs_beyondSizeOrBadArguments_throwIllegalArgument() throws Exception {
        InMemoryLogStore s = storeOf(5, new ArrayList<>());
        assertThatThrownBy(() -> s.inclusionProof(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.inclusionProof(0, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.inclusionProof(-1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.consistencyProof(3, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.consistencyProof(4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.root(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.entry(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readHashes_incompleteNode_throwsLogStoreException() throws Exception {
        InMemoryLogStore s = storeOf(5, new ArrayList<>());
        assertThat(s.readHashes(List.of(NodeId.of(2, 0), NodeId.leaf(4)))).hasSize(2);
        assertThatThrownBy(() -> s.readHashes(List.of(NodeId.of(1, 2)))).isInstanceOf(LogStoreException.class);
        assertThatThrownBy(() -> s.readHashes(List.of(NodeId.of(3, 0)))).isInstanceOf(LogStoreException.class);
        assertThatThrownBy(() -> s.readHashes(List.of(NodeId.leaf(5)))).isInstanceOf(LogStoreException.class);
    }

    @Test
    void emptyStore_rootAndTrivialProofs_work() throws Exception {
        InMemoryLogStore s = new InMemoryLogStore();
        assertThat(s.root()).isEqualTo(Rfc6962.emptyRoot());
        assertThat(s.root(0)).isEqualTo(Rfc6962.emptyRoot());
        assertThat(s.consistencyProof(0, 0)).isEmpty();
    }

    @Test
    void proofs_acrossChunkBoundary_verify() throws Exception {
        // 4096 hashes per chunk at level 0; cross it.
        List<byte[]> leaves = new ArrayList<>();
        InMemoryLogStore s = storeOf(4100, leaves);
        byte[] root = s.root();
        for (int i : new int[] {0, 4095, 4096, 4099}) {
            ProofVerifier.verifyInclusion(i, 4100, leaves.get(i), s.inclusionProof(i, 4100), root);
        }
        ProofVerifier.verifyConsistency(4095, 4100, s.root(4095), root, s.consistencyProof(4095, 4100));
    }
}
