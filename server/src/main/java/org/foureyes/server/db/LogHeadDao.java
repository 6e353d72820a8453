package org.foureyes.server.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The single {@code log_head} row. Every append transaction locks it first: that is what
 * serialises appends from several server instances (see docs/storage.md).
 */
@RegisterRowMapper(LogHeadDao.HeadMapper.class)
public interface LogHeadDao {

    /** PostgreSQL: locks the head row until the transaction ends and reads its latest committed state. */
    @SqlQuery("SELECT size, last_leaf_hash, last_time_ms FROM log_head WHERE id = 1 FOR UPDATE")
    LogHead lockForUpdate();

    /**
     * SQLite: a write as the transaction's first statement takes the database's write lock at
     * once (like BEGIN IMMEDIATE), so the head read after it cannot be stale.
     */
    @SqlUpdate("UPDATE log_head SET size = size WHERE id = 1")
    int touch();

    @SqlQuery("SELECT size, last_leaf_hash, last_time_ms FROM log_head WHERE id = 1")
    LogHead read();

    /** Moves the head from {@code expected} to the new size; returns 0 if the head was not at {@code expected}. */
    @SqlUpdate("UPDATE log_head SET size = :size, last_leaf_hash = :lastLeafHash, last_time_ms = :lastTimeMs"
            + " WHERE id = 1 AND size = :expected")
    int advance(@Bind("expected") long expected, @Bind("size") long size,
            @Bind("lastLeafHash") byte[] lastLeafHash, @Bind("lastTimeMs") long lastTimeMs);

    /** Maps a head row. */
    final class HeadMapper implements RowMapper<LogHead> {
        @Override
        public LogHead map(ResultSet rs, StatementContext ctx) throws SQLException {
            long size = rs.getLong("size");
            byte[] last = rs.getBytes("last_leaf_hash");
            long time = rs.getLong("last_time_ms");
            return new LogHead(size, last, rs.wasNull() ? null : time);
        }
    }
}
