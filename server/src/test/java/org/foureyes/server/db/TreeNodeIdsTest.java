package org.foureyes.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.NodeId;
import org.junit.jupiter.api.Test;

class TreeNodeIdsTest {

    @Test
    void postOrder_nodesInTheOrderAppendsCompleteThem_isZeroOneTwoAndSoOn() {
        List<NodeId> order = new ArrayList<>();
        CompactRange range = CompactRange.empty();
        for (int i = 0; i < 5000; i++) {
            range.append(new byte[32], (id, h) -> order.add(id));
        }
        for (int k = 0; k < order.size(); k++) {
            assertThat(TreeNodeIds.postOrder(order.get(k))).as("%s", order.get(k)).isEqualTo(k);
        }
    }

    @Test
    void postOrder_largestNodes_doNotOverflow() {
        assertThat(TreeNodeIds.postOrder(62, 0)).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(TreeNodeIds.postOrder(0, (1L << 62) - 1)).isPositive();
    }
}
