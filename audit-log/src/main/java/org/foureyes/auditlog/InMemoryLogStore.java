package org.foureyes.auditlog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A log kept in memory: entry bytes plus the hash of every complete subtree, which is all that
 * proofs and historical roots need. For tests, tools and benchmarks; the server's database store
 * keeps the same data.
 *
 * <p>Hashes are kept per level in append-only chunked arrays (about 2 × 32 bytes per entry in
 * all, 64 MB for a million entries) rather than in a map of boxed keys. Thread-safe: every
 * method locks the store, and proofs for a size at most {@link #size()} stay valid while entries
 * are appended, since complete subtrees never change.
 */
public final class InMemoryLogStore implements HashReader {

    private final List<byte[]> entries = new ArrayList<>();
    private final List<HashArray> levels = new ArrayList<>();
    private final CompactRange range = CompactRange.empty();
    private ChainChecker chain = ChainChecker.fromGenesis();
    private Instant lastTime;

    public InMemoryLogStore() {
    }

    /**
     * Appends an entry that must continue the chain: seq is {@link #size()}, prev is the previous
     * entry's leaf hash, time does not go back.
     */
    public synchronized void append(LogEntry entry) throws ChainException {
        chain.check(entry);
        entries.add(entry.bytes());
        lastTime = entry.time();
        range.append(entry.leafHash(), this::store);
    }

    /** Creates the next entry (seq and prev filled in), appends it and returns it. */
    public synchronized LogEntry append(Instant time, EntryType type, String statementOrNull,
            ObjectNode facts) throws ChainException {
        LogEntry e = LogEntry.create(range.size(), time, chain.expectedPrev(), type, statementOrNull, facts);
        append(e);
        return e;
    }

    /** Number of entries. */
    public synchronized long size() {
        return range.size();
    }

    /** The time of the last entry, or null if the log is empty. */
    public synchronized Instant lastTime() {
        return lastTime;
    }

    /** The entry with this seq. */
    public LogEntry entry(long seq) {
        byte[] b = entryBytes(seq);
        try {
            return LogEntry.parse(b);
        } catch (EntryFormatException e) {
            // Only canonical entries are ever appended.
            throw new IllegalStateException("stored entry " + seq + " unreadable", e);
        }
    }

    /** The exact stored bytes of the entry with this seq. */
    public synchronized byte[] entryBytes(long seq) {
        if (seq < 0 || seq >= entries.size()) {
            throw new IllegalArgumentException("no entry " + seq + " in log of size " + entries.size());
        }
        return entries.get((int) seq).clone();
    }

    /** The current root hash. */
    public synchronized byte[] root() {
        return range.root();
    }

    /** The root hash of the tree of the first {@code size} entries. */
    public byte[] root(long size) {
        checkSize(size);
        try {
            return MerkleProofs.root(size, this);
        } catch (LogStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The inclusion proof of entry {@code index} in the tree of the first {@code size} entries. */
    public List<byte[]> inclusionProof(long index, long size) {
        checkSize(size);
        try {
            return MerkleProofs.inclusion(index, size, this);
        } catch (LogStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The consistency proof from the tree of {@code from} entries to that of {@code to} entries. */
    public List<byte[]> consistencyProof(long from, long to) {
        checkSize(to);
        try {
            return MerkleProofs.consistency(from, to, this);
        } catch (LogStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current right border, e.g. to resume appending elsewhere. */
    public synchronized CompactRange compactRange() {
        return CompactRange.fromBorder(range.size(), range.border());
    }

    @Override
    public synchronized List<byte[]> readHashes(List<NodeId> ids) throws LogStoreException {
        List<byte[]> out = new ArrayList<>(ids.size());
        for (NodeId id : ids) {
            HashArray level = id.level() < levels.size() ? levels.get(id.level()) : null;
            if (level == null || id.index() >= level.size()) {
                throw new LogStoreException(id + " is not a complete subtree of the log of size "
                        + range.size());
            }
            out.add(level.get(id.index()));
        }
        return out;
    }

    private void checkSize(long size) {
        long have = size();
        if (size < 0 || size > have) {
            throw new IllegalArgumentException("tree size " + size + " outside [0, " + have + "]");
        }
    }

    private void store(NodeId id, byte[] hash) {
        while (levels.size() <= id.level()) {
            levels.add(new HashArray());
        }
        HashArray level = levels.get(id.level());
        // CompactRange completes the nodes of each level strictly left to right.
        if (id.index() != level.size()) {
            throw new IllegalStateException("out-of-order node " + id + ", level has " + level.size());
        }
        level.add(hash);
    }

    /** An append-only array of 32-byte hashes in fixed-size chunks, so growth never copies. */
    private static final class HashArray {
        private static final int CHUNK_BITS = 12; // 4096 hashes, 128 KiB per chunk
        private static final int CHUNK = 1 << CHUNK_BITS;
        private static final int H = Rfc6962.HASH_SIZE;

        private final List<byte[]> chunks = new ArrayList<>();
        private long size;

        long size() {
            return size;
        }

        void add(byte[] hash) {
            int slot = (int) (size & (CHUNK - 1));
            if (slot == 0) {
                chunks.add(new byte[CHUNK * H]);
            }
            System.arraycopy(hash, 0, chunks.get(chunks.size() - 1), slot * H, H);
            size++;
        }

        byte[] get(long index) {
            Objects.checkIndex(index, size);
            byte[] chunk = chunks.get((int) (index >>> CHUNK_BITS));
            int at = (int) (index & (CHUNK - 1)) * H;
            byte[] out = new byte[H];
            System.arraycopy(chunk, at, out, 0, H);
            return out;
        }
    }
}
