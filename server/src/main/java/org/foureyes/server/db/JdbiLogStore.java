package org.foureyes.server.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.foureyes.auditlog.HashReader;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.MerkleProofs;
import org.foureyes.auditlog.NodeId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Reads the durable log: entries, complete-subtree hashes (as a {@link HashReader}, one query per
 * call), checkpoints, roots and proofs. Writes go through {@code LogAppender} only.
 *
 * <p>What is served is bounded by the latest signed checkpoint: entries, proofs and roots are
 * only given for sizes up to {@link #size()}, which moves only when a batch commits (entries,
 * nodes, checkpoint and head in one transaction). Thread-safe.
 */
public final class JdbiLogStore implements HashReader {
    private final Jdbi jdbi;

    public JdbiLogStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** A reader over an open handle, so that an append transaction reads its own view. */
    public static HashReader reader(Handle handle) {
        return reader(handle.attach(TreeNodeDao.class));
    }

    /** A reader over a DAO attached to an open handle. */
    public static HashReader reader(TreeNodeDao dao) {
        return ids -> readHashes(dao, ids);
    }

    @Override
    public List<byte[]> readHashes(List<NodeId> ids) throws LogStoreException {
        if (ids.isEmpty()) {
            return List.of();
        }
        try {
            return jdbi.withHandle(h -> readHashes(h.attach(TreeNodeDao.class), ids));
        } catch (JdbiException e) {
            throw new LogStoreException("cannot read tree nodes: " + e.getMessage(), e);
        }
    }

    private static List<byte[]> readHashes(TreeNodeDao dao, List<NodeId> ids) throws LogStoreException {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<NodeId> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        List<StoredNode> rows;
        try {
            rows = dao.findAll(distinct);
        } catch (JdbiException e) {
            throw new LogStoreException("cannot read tree nodes: " + e.getMessage(), e);
        }
        Map<NodeId, byte[]> byId = new HashMap<>();
        for (StoredNode row : rows) {
            byId.put(new NodeId(row.level(), row.index()), row.hash());
        }
        List<byte[]> out = new ArrayList<>(ids.size());
        for (NodeId id : ids) {
            byte[] h = byId.get(id);
            if (h == null) {
                throw new LogStoreException("tree node " + id + " is not stored (is the tree smaller than "
                        + id.end() + " leaves?)");
            }
            out.add(h);
        }
        return out;
    }

    /** The size of the latest signed checkpoint: the size of the log as published (0 if none). */
    public long size() {
        return latestCheckpoint().map(StoredCheckpoint::size).orElse(0L);
    }

    /** The latest signed checkpoint with the cosignature lines received for it. */
    public Optional<StoredCheckpoint> latestCheckpoint() {
        return jdbi.withHandle(h -> {
            CheckpointDao dao = h.attach(CheckpointDao.class);
            return dao.latest().map(c -> new StoredCheckpoint(c.size(), c.rootHash(), c.note(), c.createdMs(),
                    dao.cosignatureLines(c.size())));
        });
    }

    /** The checkpoint signed for exactly {@code size}, if one was (one per committed batch). */
    public Optional<StoredCheckpoint> checkpointAt(long size) {
        return jdbi.withHandle(h -> {
            CheckpointDao dao = h.attach(CheckpointDao.class);
            return dao.at(size).map(c -> new StoredCheckpoint(c.size(), c.rootHash(), c.note(), c.createdMs(),
                    dao.cosignatureLines(c.size())));
        });
    }

    /** Every checkpoint with size in {@code [from, to]}, smallest first, without cosignatures. */
    public List<StoredCheckpoint> checkpoints(long from, long to) {
        return jdbi.withExtension(CheckpointDao.class, dao -> dao.between(from, to));
    }

    /** Entries {@code start <= seq < end}, exact bytes, in order. */
    public List<StoredEntry> entries(long start, long end) {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad entry range [" + start + ", " + end + ")");
        }
        if (start == end) {
            return List.of();
        }
        return jdbi.withExtension(LogEntryDao.class, dao -> dao.range(start, end));
    }

    /** The root hash of the tree of {@code size} leaves ({@code size} at most the stored size). */
    public byte[] root(long size) throws LogStoreException {
        return MerkleProofs.root(size, this);
    }

    /** Inclusion proof of leaf {@code index} in the tree of {@code size} leaves. */
    public List<byte[]> inclusionProof(long index, long size) throws LogStoreException {
        return MerkleProofs.inclusion(index, size, this);
    }

    /** Consistency proof from the tree of {@code from} leaves to the tree of {@code to} leaves. */
    public List<byte[]> consistencyProof(long from, long to) throws LogStoreException {
        return MerkleProofs.consistency(from, to, this);
    }

    /** Stores a witness's cosignature line for the checkpoint of {@code size}, replacing its earlier one. */
    public void addCosignature(long size, String witness, String signatureLine, long receivedMs) {
        jdbi.useTransaction(h -> {
            CheckpointDao dao = h.attach(CheckpointDao.class);
            dao.deleteCosignature(size, witness);
            dao.insertCosignature(size, witness, signatureLine, receivedMs);
        });
    }
}
