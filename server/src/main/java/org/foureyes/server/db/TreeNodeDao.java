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

/** Hashes of complete subtrees of the Merkle tree. */
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

    /** Maps a node row. */
    final class NodeMapper implements RowMapper<StoredNode> {
        @Override
        public StoredNode map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredNode(rs.getInt("level"), rs.getLong("idx"), rs.getBytes("hash"));
        }
    }
}
