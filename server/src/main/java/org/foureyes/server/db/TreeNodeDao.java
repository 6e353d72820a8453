package org.foureyes.server.db;

import java.util.List;
import org.foureyes.auditlog.NodeId;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Hashes of complete subtrees of the Merkle tree. Since session 2 the appender stores only nodes
 * of level 1 and up in {@code tree_nodes}; a leaf's hash is its entry's {@code leaf_hash}. Level-0
 * rows written by earlier versions stay and are simply not read.
 */
@RegisterRowMapper(TreeNodeDao.NodeMapper.class)
public interface TreeNodeDao {

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

    /**
     * The stored hashes of {@code nodes}, in no particular order: leaves from {@code log_entries},
     * higher nodes from {@code tree_nodes}; at most two queries.
     */
    default List<StoredNode> findAll(List<NodeId> nodes) {
        List<Long> leaves = nodes.stream().filter(n -> n.level() == 0).map(NodeId::index).toList();
        List<NodeId> inner = nodes.stream().filter(n -> n.level() > 0).toList();
        List<StoredNode> out = new java.util.ArrayList<>(nodes.size());
        if (!leaves.isEmpty()) {
            out.addAll(findLeaves(leaves));
        }
        if (!inner.isEmpty()) {
            out.addAll(findNodes(inner));
        }
        return out;
    }

    /** Maps a node row. */
    final class NodeMapper implements RowMapper<StoredNode> {
        @Override
        public StoredNode map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredNode(rs.getInt("level"), rs.getLong("idx"), rs.getBytes("hash"));
        }
    }
}
