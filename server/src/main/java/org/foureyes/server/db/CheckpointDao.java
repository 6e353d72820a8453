package org.foureyes.server.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Signed checkpoints and their witness cosignatures. */
@RegisterRowMapper(CheckpointDao.CheckpointMapper.class)
public interface CheckpointDao {

    @SqlUpdate("INSERT INTO checkpoints (size, root_hash, note, created_ms) VALUES (:size, :root, :note, :createdMs)")
    void insert(@Bind("size") long size, @Bind("root") byte[] root, @Bind("note") String note,
            @Bind("createdMs") long createdMs);

    /** The checkpoint of the largest size, without cosignatures. */
    @SqlQuery("SELECT size, root_hash, note, created_ms FROM checkpoints ORDER BY size DESC LIMIT 1")
    Optional<StoredCheckpoint> latest();

    @SqlQuery("SELECT size, root_hash, note, created_ms FROM checkpoints WHERE size = :size")
    Optional<StoredCheckpoint> at(@Bind("size") long size);

    /** All checkpoints with {@code from <= size <= to}, smallest first. */
    @SqlQuery("SELECT size, root_hash, note, created_ms FROM checkpoints WHERE size >= :from AND size <= :to ORDER BY size")
    List<StoredCheckpoint> between(@Bind("from") long from, @Bind("to") long to);

    @SqlQuery("SELECT signature_line FROM cosignatures WHERE checkpoint_size = :size ORDER BY witness")
    List<String> cosignatureLines(@Bind("size") long size);

    /** Adds a witness's cosignature line, replacing an earlier one by the same witness for that size. */
    @SqlUpdate("DELETE FROM cosignatures WHERE checkpoint_size = :size AND witness = :witness")
    int deleteCosignature(@Bind("size") long size, @Bind("witness") String witness);

    @SqlUpdate("INSERT INTO cosignatures (checkpoint_size, witness, signature_line, received_ms)"
            + " VALUES (:size, :witness, :line, :receivedMs)")
    void insertCosignature(@Bind("size") long size, @Bind("witness") String witness, @Bind("line") String line,
            @Bind("receivedMs") long receivedMs);

    /** Maps a checkpoint row (cosignatures are read separately). */
    final class CheckpointMapper implements RowMapper<StoredCheckpoint> {
        @Override
        public StoredCheckpoint map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredCheckpoint(rs.getLong("size"), rs.getBytes("root_hash"), rs.getString("note"),
                    rs.getLong("created_ms"), List.of());
        }
    }
}
