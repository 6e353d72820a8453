package org.foureyes.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.MerkleProofs;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.Rfc6962;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's reads against real SQL, on SQLite and PostgreSQL (subclasses *OnSqliteTest, *OnPostgresTest). */
abstract class JdbiLogStoreTestBase {
    private TestDatabase db;
    private Jdbi jdbi;
    private JdbiLogStore store;

    abstract TestDatabase database();

    @BeforeEach
    void open() {
        db = database();
        jdbi = db.newJdbi();
        store = new JdbiLogStore(jdbi);
    }

    @AfterEach
    void close() throws Exception {
        if (db != null) { // null when PostgreSQL is unreachable and the test was skipped
            db.close();
        }
    }

    /**
     * Writes leaves 0..n-1 and their complete subtrees directly, as the appender does: leaf hashes
     * in {@code log_entries}, nodes of level {@link TreeNodeDao#STORED_FROM_LEVEL} and up in
     * {@code tree_nodes}.
     */
    private CompactRange writeTree(int n) {
        return writeTree(n, false);
    }

    /** As {@link #writeTree(int)}; {@code withLeafRows}: rows of every level in tree_nodes, leaves too, as earlier versions wrote. */
    private CompactRange writeTree(int n, boolean withLeafRows) {
        CompactRange range = CompactRange.empty();
        List<StoredNode> nodes = new ArrayList<>();
        List<StoredEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] bytes = ("entry " + i).getBytes(StandardCharsets.UTF_8);
            byte[] leaf = Rfc6962.leafHash(bytes);
            entries.add(new StoredEntry(i, bytes, leaf));
            range.append(leaf, (id, h) -> {
                if (id.level() >= TreeNodeDao.STORED_FROM_LEVEL || withLeafRows) {
                    nodes.add(new StoredNode(id.level(), id.index(), h));
                }
            });
        }
        jdbi.useTransaction(h -> {
            h.attach(LogEntryDao.class).insert(entries);
            h.attach(TreeNodeDao.class).insert(nodes);
        });
        return range;
    }

    @Test
    void readHashes_storedNodes_returnsThemInRequestedOrderWithDuplicates() throws Exception {
        writeTree(11);
        List<NodeId> ids = List.of(NodeId.of(3, 0), NodeId.leaf(10), NodeId.of(1, 4), NodeId.of(3, 0));
        List<byte[]> hashes = store.readHashes(ids);
        assertThat(hashes).hasSize(4);
        assertThat(hashes.get(0)).isEqualTo(hashes.get(3));
        assertThat(hashes.get(1)).isEqualTo(Rfc6962.leafHash("entry 10".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readHashes_storeWrittenWithLeafRowsByAnEarlierVersion_givesTheSameHashes() throws Exception {
        CompactRange built = writeTree(11, true);
        assertThat(store.root(11)).isEqualTo(built.root());
        assertThat(store.readHashes(List.of(NodeId.leaf(4), NodeId.of(2, 1))))
                .containsExactlyElementsOf(new ArrayList<>(List.of(
                        Rfc6962.leafHash("entry 4".getBytes(StandardCharsets.UTF_8)),
                        Rfc6962.nodeHash(Rfc6962.nodeHash(leaf(4), leaf(5)), Rfc6962.nodeHash(leaf(6), leaf(7))))));
    }

    private static byte[] leaf(int i) {
        return Rfc6962.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readHashes_nodesBelowTheStoredLevel_areHashedFromTheirLeaves() throws Exception {
        writeTree(40);
        byte[] l2 = Rfc6962.nodeHash(Rfc6962.nodeHash(leaf(8), leaf(9)), Rfc6962.nodeHash(leaf(10), leaf(11)));
        byte[] l2b = Rfc6962.nodeHash(Rfc6962.nodeHash(leaf(12), leaf(13)), Rfc6962.nodeHash(leaf(14), leaf(15)));
        byte[] l3 = Rfc6962.nodeHash(
                Rfc6962.nodeHash(Rfc6962.nodeHash(leaf(0), leaf(1)), Rfc6962.nodeHash(leaf(2), leaf(3))),
                Rfc6962.nodeHash(Rfc6962.nodeHash(leaf(4), leaf(5)), Rfc6962.nodeHash(leaf(6), leaf(7))));
        byte[] l3b = Rfc6962.nodeHash(l2, l2b);
        List<byte[]> got = store.readHashes(List.of(NodeId.of(2, 2), NodeId.of(3, 0), NodeId.of(4, 0),
                NodeId.of(1, 19), NodeId.leaf(39)));
        assertThat(got.get(0)).isEqualTo(l2);
        assertThat(got.get(1)).isEqualTo(l3);
        assertThat(got.get(2)).isEqualTo(Rfc6962.nodeHash(l3, l3b)); // stored
        assertThat(got.get(3)).isEqualTo(Rfc6962.nodeHash(leaf(38), leaf(39)));
        assertThat(got.get(4)).isEqualTo(leaf(39));
        Integer lowest = jdbi.withHandle(h -> h.createQuery("SELECT MIN(level) FROM tree_nodes").mapTo(Integer.class).one());
        assertThat(lowest).isEqualTo(TreeNodeDao.STORED_FROM_LEVEL);
    }

    @Test
    void readHashes_leafNotStored_throwsLogStoreExceptionNamingIt() {
        writeTree(5);
        assertThatThrownBy(() -> store.readHashes(List.of(NodeId.leaf(2), NodeId.leaf(5))))
                .isInstanceOf(LogStoreException.class)
                .hasMessageContaining("node(0,5)");
    }

    @Test
    void readHashes_incompleteNode_throwsLogStoreException() {
        writeTree(5);
        assertThatThrownBy(() -> store.readHashes(List.of(NodeId.of(1, 2))))
                .isInstanceOf(LogStoreException.class)
                .hasMessageContaining("node(1,2)");
    }

    @Test
    void root_everySize_equalsTheIncrementalRoot() throws Exception {
        CompactRange expected = CompactRange.empty();
        writeTree(70); // levels 0 to 6: leaves, nodes hashed from leaves, stored nodes
        for (int i = 0; i <= 70; i++) {
            assertThat(store.root(i)).as("root of %d", i).isEqualTo(expected.root());
            if (i < 70) {
                expected.append(Rfc6962.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)), null);
            }
        }
    }

    @Test
    void entries_range_returnsExactBytesInOrder() {
        writeTree(7);
        List<StoredEntry> got = store.entries(2, 5);
        assertThat(got).extracting(StoredEntry::seq).containsExactly(2L, 3L, 4L);
        assertThat(new String(got.get(0).entry(), StandardCharsets.UTF_8)).isEqualTo("entry 2");
        assertThat(store.entries(3, 3)).isEmpty();
    }

    @Test
    void load_compactRangeFromStore_matchesBuiltRange() throws Exception {
        CompactRange built = writeTree(13);
        CompactRange loaded = CompactRange.load(13, store);
        assertThat(loaded.root()).isEqualTo(built.root());
        assertThat(MerkleProofs.inclusion(3, 13, store)).hasSize(4);
    }
}
