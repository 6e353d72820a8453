package org.foureyes.server.db;

import java.util.List;
import org.foureyes.auditlog.NodeId;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.customizer.BindMethodsList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Hashes of complete subtrees of the Merkle tree. */
@RegisterRowMapper(TreeNodeDao.NodeMapper.class)
public interface TreeNodeDao {

    @SqlBatch("INSERT INTO tree_nodes (level, idx, hash) VALUES (:level, :index, :hash)")
    void insert(@BindMethods List<StoredNode> nodes);

    /**
     * The stored nodes among {@code ids}, in no particular order, in one query. A row-value IN
     * over a VALUES list works on SQLite (3.15 and later) and PostgreSQL alike, and both answer it
     * from the primary key index.
     */
    @SqlQuery("SELECT level, idx, hash FROM tree_nodes WHERE (level, idx) IN (VALUES <ids>)")
    List<StoredNode> find(@BindMethodsList(value = "ids", methodNames = {"level", "index"}) List<NodeId> ids);

    /** Maps a node row. */
    final class NodeMapper implements RowMapper<StoredNode> {
        @Override
        public StoredNode map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredNode(rs.getInt("level"), rs.getLong("idx"), rs.getBytes("hash"));
        }
    }
}
