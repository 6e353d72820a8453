package org.foureyes.server.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.Rfc6962;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Hashes of complete subtrees of the Merkle tree. The appender stores nodes of level
 * {@link #STORED_FROM_LEVEL} and up in {@code tree_nodes}; a leaf's hash is its entry's
 * {@code leaf_hash}, and a node in between is hashed from its at most 8 leaves when read. Rows of
 * lower levels written by earlier versions stay and are simply not read.
 */
@RegisterRowMapper(TreeNodeDao.NodeMapper.class)
public interface TreeNodeDao {

    /**
     * The lowest level kept in {@code tree_nodes}. Levels 1 to 3 are 7 of every 8 nodes; hashing
     * one from its leaves reads at most 8 leaf hashes, and a proof needs at most one node per level.
     */
    int STORED_FROM_LEVEL = 4;

    @SqlBatch("INSERT INTO tree_nodes (id, level, idx, hash) VALUES (:id, :level, :index, :hash)")
    void insert(@BindMethods List<StoredNode> nodes);

    /**
     * The stored nodes whose keys ({@link TreeNodeIds#postOrder}) are among {@code ids}, in no
     * particular order, in one query answered from the primary key on SQLite and PostgreSQL alike.
     */
    @SqlQuery("SELECT level, idx, hash FROM tree_nodes WHERE id IN (<ids>)")
    List<StoredNode> find(@BindList("ids") List<Long> ids);

    /** {@link #find(List)} by node. */
    default List<StoredNode> findNodes(List<NodeId> nodes) {
        return find(nodes.stream().map(TreeNodeIds::postOrder).toList());
    }

    /**
     * The leaf hashes (level-0 nodes) of the entries whose seqs are among {@code seqs}, as nodes,
     * from {@code log_entries}: leaves are not stored again in {@code tree_nodes}.
     */
    @SqlQuery("SELECT 0 AS level, seq AS idx, leaf_hash AS hash FROM log_entries WHERE seq IN (<seqs>)")
    List<StoredNode> findLeaves(@BindList("seqs") List<Long> seqs);

    /** The leaf hashes of entries {@code start <= seq < end}, in seq order (a range scan of the primary key). */
    @SqlQuery("SELECT 0 AS level, seq AS idx, leaf_hash AS hash FROM log_entries WHERE seq >= :start AND seq < :end"
            + " ORDER BY seq")
    List<StoredNode> leafRange(@Bind("start") long start,
            @Bind("end") long end);

    /**
     * The hashes of {@code nodes} that exist, in no particular order: leaves from
     * {@code log_entries}, nodes of level {@link #STORED_FROM_LEVEL} and up from {@code tree_nodes},
     * nodes in between hashed from their leaves; at most two queries. A node whose leaves are not
     * all there (the tree is smaller) is left out.
     */
    default List<StoredNode> findAll(List<NodeId> nodes) {
        Set<Long> leaves = new TreeSet<>();
        List<NodeId> derived = new ArrayList<>();
        List<NodeId> stored = new ArrayList<>();
        for (NodeId n : nodes) {
            if (n.level() == 0) {
                leaves.add(n.index());
            } else if (n.level() < STORED_FROM_LEVEL) {
                derived.add(n);
                for (long seq = n.begin(); seq < n.end(); seq++) {
                    leaves.add(seq);
                }
            } else {
                stored.add(n);
            }
        }
        List<StoredNode> out = new ArrayList<>(nodes.size());
        if (!leaves.isEmpty()) {
            Map<Long, byte[]> leafHashes = new HashMap<>();
            for (StoredNode leaf : findLeaves(List.copyOf(leaves))) {
                leafHashes.put(leaf.index(), leaf.hash());
            }
            for (NodeId n : nodes) {
                if (n.level() == 0 && leafHashes.containsKey(n.index())) {
                    out.add(new StoredNode(0, n.index(), leafHashes.get(n.index())));
                }
            }
            for (NodeId n : derived) {
                byte[] h = subtreeHash(n, leafHashes);
                if (h != null) {
                    out.add(new StoredNode(n.level(), n.index(), h));
                }
            }
        }
        if (!stored.isEmpty()) {
            out.addAll(findNodes(stored));
        }
        return out;
    }

    /** The RFC 6962 hash of the complete subtree {@code n} from its leaf hashes, or null if one is missing. */
    private static byte[] subtreeHash(NodeId n, Map<Long, byte[]> leafHashes) {
        byte[][] level = new byte[(int) (n.end() - n.begin())][];
        for (int i = 0; i < level.length; i++) {
            level[i] = leafHashes.get(n.begin() + i);
            if (level[i] == null) {
                return null;
            }
        }
        for (int width = level.length; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                level[i] = Rfc6962.nodeHash(level[2 * i], level[2 * i + 1]);
            }
        }
        return level[0];
    }

    /** Maps a node row. */
    final class NodeMapper implements RowMapper<StoredNode> {
        @Override
        public StoredNode map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredNode(rs.getInt("level"), rs.getLong("idx"), rs.getBytes("hash"));
        }
    }
}
