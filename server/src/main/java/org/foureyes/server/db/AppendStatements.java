package org.foureyes.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The append transaction's statements as plain JDBC, prepared once per appender connection. This
 * is the one hot path where JDBI's per-statement and per-row binding cost mattered (it halved
 * durable appends per second on SQLite, see docs/benchmarks.md); the inserts are the same SQL as
 * in {@link LogEntryDao}, {@link TreeNodeDao} and {@link CheckpointDao}, which every reader uses.
 *
 * <p>The log lock: on PostgreSQL {@code SELECT ... FOR UPDATE} of the {@code log_head} row, which
 * is never updated; on SQLite {@code BEGIN IMMEDIATE}, which takes the database's write lock
 * before the first read. The head itself is the latest checkpoint row, which the transaction
 * writes anyway, so a commit writes no page for the lock (docs/storage.md). Not thread-safe: the
 * writer thread owns it.
 */
public final class AppendStatements implements AutoCloseable {
    private final Connection connection;
    private final Dialect dialect;
    private final Statement control;
    private final PreparedStatement lockHead;
    private final PreparedStatement latestCheckpoint;
    private final PreparedStatement entryAt;
    private final PreparedStatement lastSeq;
    private final PreparedStatement insertEntry;
    private final PreparedStatement insertNode;
    private final PreparedStatement insertCheckpoint;
    private boolean open; // a transaction was begun and not yet ended

    public AppendStatements(Connection c, Dialect dialect) throws SQLException {
        this.connection = c;
        this.dialect = dialect;
        control = c.createStatement();
        lockHead = dialect == Dialect.POSTGRESQL
                ? c.prepareStatement("SELECT id FROM log_head WHERE id = 1 FOR UPDATE")
                : null;
        latestCheckpoint = c.prepareStatement("SELECT size, root_hash FROM checkpoints ORDER BY size DESC LIMIT 1");
        entryAt = c.prepareStatement("SELECT entry, leaf_hash FROM log_entries WHERE seq = ?");
        lastSeq = c.prepareStatement("SELECT MAX(seq) FROM log_entries");
        insertEntry = c.prepareStatement("INSERT INTO log_entries (seq, entry, leaf_hash) VALUES (?, ?, ?)");
        insertNode = c.prepareStatement("INSERT INTO tree_nodes (id, level, idx, hash) VALUES (?, ?, ?, ?)");
        insertCheckpoint = c.prepareStatement(
                "INSERT INTO checkpoints (size, root_hash, note, created_ms) VALUES (?, ?, ?, ?)");
    }

    /**
     * Begins the append transaction and takes the log lock for the rest of it, so that no other
     * writer (another server instance on PostgreSQL, another connection on SQLite) can append
     * until {@link #commit} or {@link #rollback}.
     */
    public void begin() throws SQLException {
        open = true;
        if (dialect == Dialect.POSTGRESQL) {
            connection.setAutoCommit(false);
            try (ResultSet rs = lockHead.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the log_head row is missing: run the migrations (db migrate)");
                }
            }
        } else {
            // The connection stays in auto-commit mode: the driver would otherwise open a deferred
            // transaction of its own, which takes the write lock only at the first write.
            control.execute("BEGIN IMMEDIATE");
        }
    }

    public void commit() throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            connection.commit();
            open = false;
            connection.setAutoCommit(true);
        } else {
            control.execute("COMMIT");
            open = false;
        }
    }

    /** Rolls back whatever {@link #begin} started; harmless if nothing was begun. */
    public void rollback() throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } else if (open) {
            try {
                control.execute("ROLLBACK");
            } catch (SQLException e) {
                // SQLite ends some failed transactions itself (a failed COMMIT, an I/O error).
                if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                    throw e;
                }
            }
        }
        open = false;
    }

    /** The latest signed checkpoint's size and root, as committed by whichever writer was last. */
    public LogHead head() throws SQLException {
        try (ResultSet rs = latestCheckpoint.executeQuery()) {
            return rs.next() ? new LogHead(rs.getLong(1), rs.getBytes(2)) : new LogHead(0, null);
        }
    }

    /** The stored entry at {@code seq}, or null. */
    public StoredEntry entry(long seq) throws SQLException {
        entryAt.setLong(1, seq);
        try (ResultSet rs = entryAt.executeQuery()) {
            return rs.next() ? new StoredEntry(seq, rs.getBytes(1), rs.getBytes(2)) : null;
        }
    }

    /** The highest stored seq, or -1 if there is no entry. */
    public long lastSeq() throws SQLException {
        try (ResultSet rs = lastSeq.executeQuery()) {
            if (!rs.next()) {
                return -1;
            }
            long seq = rs.getLong(1);
            return rs.wasNull() ? -1 : seq;
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
        if (nodes.isEmpty()) {
            return;
        }
        for (StoredNode n : nodes) {
            insertNode.setLong(1, n.id());
            insertNode.setInt(2, n.level());
            insertNode.setLong(3, n.index());
            insertNode.setBytes(4, n.hash());
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

    @Override
    public void close() {
        for (Statement st : new Statement[] {control, lockHead, latestCheckpoint, entryAt, lastSeq, insertEntry,
                insertNode, insertCheckpoint}) {
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
