package org.foureyes.server.db;

import java.util.List;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Log entries, stored as their exact bytes. */
@RegisterRowMapper(LogEntryDao.EntryMapper.class)
public interface LogEntryDao {

    @SqlBatch("INSERT INTO log_entries (seq, entry, leaf_hash) VALUES (:seq, :entry, :leafHash)")
    void insert(@BindMethods List<StoredEntry> entries);

    /** Entries {@code start <= seq < end}, in seq order. */
    @SqlQuery("SELECT seq, entry, leaf_hash FROM log_entries WHERE seq >= :start AND seq < :end ORDER BY seq")
    List<StoredEntry> range(@Bind("start") long start, @Bind("end") long end);

    /** Maps an entry row. */
    final class EntryMapper implements RowMapper<StoredEntry> {
        @Override
        public StoredEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredEntry(rs.getLong("seq"), rs.getBytes("entry"), rs.getBytes("leaf_hash"));
        }
    }
}
