package org.foureyes.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The append transaction's writes as plain JDBC statements, prepared once per appender
 * connection. This is the one hot path where JDBI's per-statement and per-row binding cost
 * mattered (it halved durable appends per second on SQLite, see docs/benchmarks.md); the SQL is
 * the same as in {@link LogHeadDao}, {@link LogEntryDao}, {@link TreeNodeDao} and
 * {@link CheckpointDao}, which every other caller uses. Not thread-safe: the writer thread owns it.
 */
public final class AppendStatements implements AutoCloseable {
    private final Dialect dialect;
    private final PreparedStatement lockHead;
    private final PreparedStatement touchHead;
    private final PreparedStatement readHead;
    private final PreparedStatement insertEntry;
    private final PreparedStatement insertNode;
    private final PreparedStatement insertCheckpoint;
    private final PreparedStatement advanceHead;

    public AppendStatements(Connection c, Dialect dialect) throws SQLException {
        this.dialect = dialect;
        lockHead = dialect == Dialect.POSTGRESQL
                ? c.prepareStatement("SELECT size, last_leaf_hash, last_time_ms FROM log_head WHERE id = 1 FOR UPDATE")
                : null;
        touchHead = c.prepareStatement("UPDATE log_head SET size = size WHERE id = 1");
        readHead = c.prepareStatement("SELECT size, last_leaf_hash, last_time_ms FROM log_head WHERE id = 1");
        insertEntry = c.prepareStatement("INSERT INTO log_entries (seq, entry, leaf_hash) VALUES (?, ?, ?)");
        insertNode = c.prepareStatement("INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)");
        insertCheckpoint = c.prepareStatement(
                "INSERT INTO checkpoints (size, root_hash, note, created_ms) VALUES (?, ?, ?, ?)");
        advanceHead = c.prepareStatement("UPDATE log_head SET size = ?, last_leaf_hash = ?, last_time_ms = ?"
                + " WHERE id = 1 AND size = ?");
    }

    /**
     * Takes the log lock for the rest of the transaction and reads the head as last committed.
     * PostgreSQL: {@code SELECT ... FOR UPDATE} on the head row. SQLite: a write as the first
     * statement, which takes the database write lock at once (as BEGIN IMMEDIATE would).
     */
    public LogHead lockHead() throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            return head(lockHead);
        }
        touchHead.executeUpdate();
        return head(readHead);
    }

    private static LogHead head(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the log_head row is missing: run the migrations (db migrate)");
            }
            long size = rs.getLong(1);
            byte[] last = rs.getBytes(2);
            long time = rs.getLong(3);
            return new LogHead(size, last, rs.wasNull() ? null : time);
        }
    }

    public void insertEntries(List<StoredEntry> entries) throws SQLException {
        for (StoredEntry e : entries) {
            insertEntry.setLong(1, e.seq());
            insertEntry.setBytes(2, e.entry());
            insertEntry.setBytes(3, e.leafHash());
            insertEntry.addBatch();
        }
        insertEntry.executeBatch();
    }

    public void insertNodes(List<StoredNode> nodes) throws SQLException {
        for (StoredNode n : nodes) {
            insertNode.setInt(1, n.level());
            insertNode.setLong(2, n.index());
            insertNode.setBytes(3, n.hash());
            insertNode.addBatch();
        }
        insertNode.executeBatch();
    }

    public void insertCheckpoint(long size, byte[] root, String note, long createdMs) throws SQLException {
        insertCheckpoint.setLong(1, size);
        insertCheckpoint.setBytes(2, root);
        insertCheckpoint.setString(3, note);
        insertCheckpoint.setLong(4, createdMs);
        insertCheckpoint.executeUpdate();
    }

    /** Moves the head from {@code expected}; false if it was not there. */
    public boolean advanceHead(long expected, long size, byte[] lastLeafHash, long lastTimeMs) throws SQLException {
        advanceHead.setLong(1, size);
        advanceHead.setBytes(2, lastLeafHash);
        advanceHead.setLong(3, lastTimeMs);
        advanceHead.setLong(4, expected);
        return advanceHead.executeUpdate() == 1;
    }

    @Override
    public void close() {
        for (PreparedStatement st : new PreparedStatement[] {lockHead, touchHead, readHead, insertEntry, insertNode,
                insertCheckpoint, advanceHead}) {
            if (st != null) {
                try {
                    st.close();
                } catch (SQLException ignored) {
                    // closing with the connection anyway
                }
            }
        }
    }
}
