package org.foureyes.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.MerkleProofs;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.Rfc6962;
import org.junit.jupiter.api.Test;

class BatchProofsTest {

    private static byte[] leaf(long i) {
        return Rfc6962.leafHash(Long.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void inclusion_everyBatchOfEveryTreeUpTo80_equalsMerkleProofs() throws Exception {
        Map<NodeId, byte[]> all = new HashMap<>();
        CompactRange full = CompactRange.empty();
        for (long i = 0; i < 80; i++) {
            full.append(leaf(i), all::put);
        }
        for (long before = 0; before < 80; before++) {
            for (long after = before + 1; after <= 80; after++) {
                // What the appender has: the border before the batch and the batch's new nodes.
                Map<NodeId, byte[]> known = new HashMap<>();
                CompactRange range = CompactRange.empty();
                for (long i = 0; i < before; i++) {
                    range.append(leaf(i), null);
                }
                List<NodeId> border = CompactRange.borderIds(before);
                List<byte[]> hashes = range.border();
                for (int j = 0; j < border.size(); j++) {
                    known.put(border.get(j), hashes.get(j));
                }
                for (long i = before; i < after; i++) {
                    range.append(leaf(i), known::put);
                }
                BatchProofs proofs = new BatchProofs(after, known);
                for (long index = before; index < after; index++) {
                    List<byte[]> expected = MerkleProofs.inclusion(index, after,
                            ids -> ids.stream().map(all::get).toList());
                    assertThat(proofs.inclusion(index)).as("index %d in %d after %d", index, after, before)
                            .usingElementComparator(Arrays::compare).containsExactlyElementsOf(expected);
                }
            }
        }
    }
}
