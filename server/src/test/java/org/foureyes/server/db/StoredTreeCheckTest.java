package org.foureyes.server.db;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.server.api.Receipt;
import org.foureyes.server.core.EntryDraft;
import org.foureyes.server.core.LogAppender;
import org.foureyes.server.core.LogKeySigner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoredTreeCheckTest {
    static final String ORIGIN = "foureyes.test/tree-check";
    private final TestDatabase db = TestDatabase.sqlite();
    private final Jdbi jdbi = db.newJdbi();
    private StoredCheckpoint head;

    @BeforeEach
    void fill() throws Exception {
        LogAppender a = new LogAppender(jdbi, Dialect.of(jdbi), new LogKeySigner(SignerKey.generate(ORIGIN), ORIGIN),
                Clock.systemUTC(), new MetricRegistry(), LogAppender.Settings.DEFAULT);
        a.start();
        List<CompletableFuture<Receipt>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            fs.add(a.append(EntryDraft.of("change.expired", null,
                    seq -> JsonNodeFactory.instance.objectNode().put("change", seq))));
        }
        for (CompletableFuture<Receipt> f : fs) {
            f.get(60, TimeUnit.SECONDS);
        }
        a.stop();
        head = new JdbiLogStore(jdbi).latestCheckpoint().orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void verify_intactTree_passes() {
        assertThatCode(() -> StoredTreeCheck.verify(jdbi, head.size(), head.rootHash())).doesNotThrowAnyException();
    }

    @Test
    void verify_flippedTreeNode_namesTheNode() {
        // Node (4, 0) covers leaves 0..15: inside the tree, not on the right border the appender checks.
        jdbi.useHandle(h -> h.execute("UPDATE tree_nodes SET hash = ? WHERE level = 4 AND idx = 0", (Object) new byte[32]));
        assertThatThrownBy(() -> StoredTreeCheck.verify(jdbi, head.size(), head.rootHash()))
                .isInstanceOf(StorageCorruptException.class).hasMessageContaining("tree node");
    }

    @Test
    void verify_flippedLeafHash_saysTheRootDisagrees() {
        jdbi.useHandle(h -> h.execute("UPDATE log_entries SET leaf_hash = ? WHERE seq = 3", (Object) new byte[32]));
        assertThatThrownBy(() -> StoredTreeCheck.verify(jdbi, head.size(), head.rootHash()))
                .isInstanceOf(StorageCorruptException.class);
    }

    @Test
    void verify_lastEntryBytesChanged_saysItDoesNotHashToItsLeaf() {
        jdbi.useHandle(h -> h.execute("UPDATE log_entries SET entry = ? WHERE seq = ?",
                (Object) "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), head.size() - 1));
        assertThatThrownBy(() -> StoredTreeCheck.verify(jdbi, head.size(), head.rootHash()))
                .isInstanceOf(StorageCorruptException.class).hasMessageContaining("does not hash to its stored leaf");
    }
}
