package org.foureyes.server.core;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.HashReader;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.MerkleProofs;
import org.foureyes.auditlog.NodeId;
import org.foureyes.server.api.Receipt;
import java.sql.SQLException;
import org.foureyes.server.db.AppendStatements;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.LogHead;
import org.foureyes.server.db.StoredEntry;
import org.foureyes.server.db.StoredNode;
import org.foureyes.server.db.TreeNodeDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the log. Callers {@link #append} a draft and get a future {@link Receipt};
 * one writer thread takes everything queued (up to {@code maxBatch}) and writes it in one
 * transaction (group commit):
 *
 * <ol>
 *   <li>take the log lock (PostgreSQL: {@code SELECT ... FOR UPDATE} of the {@code log_head}
 *       row; SQLite: {@code BEGIN IMMEDIATE}), then read the head: the size and root of the
 *       latest signed checkpoint, as committed by whichever instance appended last;
 *   <li>unless that is exactly what this appender committed last: check that the stored entries
 *       end where the checkpoint does, load the tree's right border (O(log n) stored nodes, one
 *       query), check that it has the checkpoint's root, so the new checkpoint extends it, and
 *       read the last entry's leaf hash and time;
 *   <li>for each draft: seq = next, time = max(now, previous time), prev = previous leaf hash;
 *       build the entry, append its leaf, collect the newly complete subtrees;
 *   <li>insert entries and nodes, sign a checkpoint of the new size, insert it (the new head),
 *       commit.
 * </ol>
 *
 * <p>Only after the commit are the futures completed, by a thread of their own (the receipts'
 * inclusion proofs are built there too) while the writer goes on with the next batch. If anything
 * fails, the transaction rolls back and every future of the batch fails: nothing acknowledged is
 * lost, nothing unacknowledged is half-written, and no checkpoint is signed that does not extend
 * the stored, signed head.
 */
public final class LogAppender implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(LogAppender.class);

    /**
     * Limits of the appender; the defaults suit both SQLite and PostgreSQL.
     *
     * @param maxBatch most entries per transaction (and per checkpoint)
     * @param queueCapacity most appends waiting; beyond it appends fail at once (back pressure)
     */
    public record Settings(int maxBatch, int queueCapacity) {
        public static final Settings DEFAULT = new Settings(1000, 100_000);

        public Settings {
            if (maxBatch < 1 || queueCapacity < 1) {
                throw new IllegalArgumentException("maxBatch and queueCapacity must be positive");
            }
        }
    }

    private record Pending(GroupDraft draft, CompletableFuture<List<Receipt>> future, long enqueuedNanos) {
    }

    private final Jdbi jdbi;
    private final CommitListener listener;
    private final Dialect dialect;
    private final CheckpointSigner signer;
    private final Clock clock;
    private final Settings settings;
    private final JdbiLogStore store;
    private final BlockingQueue<Pending> queue;
    /**
     * Completes each committed batch's futures, so that waking the threads that wait on them
     * (a futex call and a context switch each, several microseconds on a VM) is not the writer's
     * work: with 64 waiting threads it took as long as the transaction itself (DurableAppendBench,
     * threads mode). One thread, so batches complete in seq order.
     */
    private final ExecutorService completing = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "log-receipts");
        t.setDaemon(true);
        return t;
    });

    /** Writes the signer's high-water mark while the writer inserts the batch's rows. */
    private final ExecutorService markWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "log-signer-mark");
        t.setDaemon(true);
        return t;
    });

    private final Meter appends;
    private final Meter failures;
    private final Histogram batchSizes;
    private final Timer batchTimer;

    /**
     * The writer's own handle (one connection, held while the appender runs) and its DAOs, so that
     * a batch pays neither a pool checkout nor DAO attachment. Dropped after a failed batch.
     */
    private static final class Session implements AutoCloseable {
        final Handle handle;
        final TreeNodeDao nodes;
        final HashReader reader;
        final AppendStatements writes;

        Session(Jdbi jdbi, Dialect dialect) throws SQLException {
            handle = jdbi.open();
            try {
                nodes = handle.attach(TreeNodeDao.class);
                reader = JdbiLogStore.reader(nodes);
                // The driver's own connection under the pool's proxy: the same connection and
                // transaction, without a reflective call per bound parameter.
                writes = new AppendStatements(handle.getConnection().unwrap(java.sql.Connection.class), dialect);
            } catch (SQLException | RuntimeException e) {
                handle.close();
                throw e;
            }
        }

        @Override
        public void close() {
            writes.close();
            try {
                handle.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the appender's database handle failed: {}", e.getMessage());
            }
        }
    }

    /**
     * What this appender last committed: the tree border after it. Reused by the next batch if
     * the head is still exactly there (no other instance appended), which saves reading the
     * border and re-checking the signed root.
     */
    private record Tip(long size, byte[] root, byte[] lastLeafHash, long lastTimeMs, CompactRange range) {
    }

    private volatile StorageIntegrity integrity; // null: not watched
    private volatile String markFailure; // set once a committed batch's mark could not be written
    private Future<?> pendingMark; // writer thread only: the last batch's mark write, maybe in flight

    private Session session; // writer thread only
    private Tip tip; // writer thread only
    private long committedSize = -1; // writer thread only: head size after our last commit, -1 if unknown

    private final Object lifecycle = new Object();
    private volatile Thread writer;
    private volatile boolean stopping;
    private volatile long busySinceNanos; // 0 when the writer is idle
    private volatile String lastFailure; // null after a successful batch

    public LogAppender(Jdbi jdbi, Dialect dialect, CheckpointSigner signer, Clock clock, MetricRegistry metrics,
            Settings settings) {
        this(jdbi, dialect, signer, clock, metrics, settings, null);
    }

    /**
     * @param listener told, on the writer thread, of every committed batch's entries in seq order,
     *     after the commit and before any of the batch's futures completes; may be null
     */
    public LogAppender(Jdbi jdbi, Dialect dialect, CheckpointSigner signer, Clock clock, MetricRegistry metrics,
            Settings settings, CommitListener listener) {
        this.listener = listener;
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.signer = signer;
        this.clock = clock;
        this.settings = settings;
        this.store = new JdbiLogStore(jdbi);
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        this.appends = metrics.meter(MetricRegistry.name(LogAppender.class, "appends"));
        this.failures = metrics.meter(MetricRegistry.name(LogAppender.class, "failed-appends"));
        this.batchSizes = metrics.histogram(MetricRegistry.name(LogAppender.class, "batch-size"));
        this.batchTimer = metrics.timer(MetricRegistry.name(LogAppender.class, "batch-commit"));
        metrics.gauge(MetricRegistry.name(LogAppender.class, "queue-depth"), () -> queue::size);
    }

    /**
     * Queues a draft. The future completes with the receipt once the entry is durable and covered
     * by a signed checkpoint, or fails with {@link EntryRefusedException} (the draft refused)
     * or {@link AppendFailedException} (nothing was written: the batch's transaction failed, the
     * appender is not running, or its queue is full).
     */
    public CompletableFuture<Receipt> append(EntryDraft draft) {
        return appendAll(ctx -> List.of(draft.draft(ctx))).thenApply(receipts -> receipts.get(0));
    }

    /**
     * Queues a group of entries that must be appended together, at consecutive seqs in one
     * transaction, or not at all (for example a decision and the supersessions it causes). The
     * future gets one receipt per entry, in order, all with the same checkpoint. Fails as
     * {@link #append}; a group that refuses or is empty writes none of its entries.
     */
    public CompletableFuture<List<Receipt>> appendAll(GroupDraft draft) {
        CompletableFuture<List<Receipt>> future = new CompletableFuture<>();
        if (stopping || writer == null) {
            future.completeExceptionally(new AppendFailedException("the log appender is not running", null));
            return future;
        }
        if (!queue.offer(new Pending(draft, future, System.nanoTime()))) {
            future.completeExceptionally(new AppendFailedException("the log appender's queue is full ("
                    + settings.queueCapacity() + " waiting appends); retry later", null));
        }
        return future;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (writer != null) {
                return;
            }
            stopping = false;
            writer = new Thread(this::run, "log-appender");
            writer.setDaemon(false);
            writer.start();
        }
    }

    /** Stops taking appends, writes everything already queued, then ends the writer. */
    @Override
    public void stop() throws InterruptedException {
        Thread t;
        synchronized (lifecycle) {
            stopping = true;
            t = writer;
        }
        if (t != null) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            if (t.isAlive()) {
                LOG.error("log appender did not drain its queue within 60 s; interrupting it");
                t.interrupt();
            }
        }
        completing.shutdown();
        if (!completing.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.error("the log appender's receipts were not all handed out within 10 s of stopping");
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.future().completeExceptionally(new AppendFailedException("the log appender stopped before writing this entry", null));
        }
    }

    /** From now on, refuse to extend the tree once {@code integrity} reports corrupt stored hashes. */
    public void haltOnCorruption(StorageIntegrity integrity) {
        this.integrity = integrity;
    }

    /** Whether the writer thread runs. */
    public boolean isRunning() {
        Thread t = writer;
        return t != null && t.isAlive() && !stopping;
    }

    /** Appends waiting to be written. */
    public int queueDepth() {
        return queue.size();
    }

    /** How long the oldest waiting append, or the batch being written, has waited (ms; 0 if none). */
    public long oldestWaitMillis() {
        long now = System.nanoTime();
        long oldest = 0;
        Pending head = queue.peek();
        if (head != null) {
            oldest = now - head.enqueuedNanos();
        }
        long busy = busySinceNanos;
        if (busy != 0) {
            oldest = Math.max(oldest, now - busy);
        }
        return TimeUnit.NANOSECONDS.toMillis(oldest);
    }

    /** The error of the last batch, or null if it committed. */
    public String lastFailure() {
        return lastFailure;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(settings.maxBatch());
        while (true) {
            Pending first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == null) {
                if (stopping) {
                    break;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            queue.drainTo(batch, settings.maxBatch() - 1);
            busySinceNanos = first.enqueuedNanos();
            try {
                writeBatch(batch);
            } catch (RuntimeException | Error e) {
                // writeBatch fails the futures itself; this only keeps the writer alive.
                LOG.error("log appender: unexpected error", e);
            } finally {
                busySinceNanos = 0;
            }
        }
        if (session != null) {
            session.close();
            session = null;
        }
        settle(pendingMark); // the last batch's mark first, so that the confirmation comes after it
        confirmMark();
        markWriter.shutdown();
        LOG.info("log appender stopped");
    }

    /** The outcome of one transaction, for completing futures after the commit. */
    private static final class Written {
        final List<Pending> accepted = new ArrayList<>();
        final List<List<LogEntry>> groups = new ArrayList<>(); // per accepted pending
        final List<LogEntry> entries = new ArrayList<>();
        final Map<NodeId, byte[]> nodes = new HashMap<>();
        long oldSize;
        long newSize;
        String note;
        byte[] lastLeafHash;
        long lastTimeMs;
        byte[] root; // of the tree after the batch; null while the log is empty
        CompactRange range;
        Future<?> marked; // the signer mark's write for this batch, awaited after the commit
    }

    private void writeBatch(List<Pending> batch) {
        Written w;
        try (Timer.Context ignored = batchTimer.time()) {
            if (session == null) {
                session = new Session(jdbi, dialect);
            }
            Session sess = session;
            w = inTransaction(sess, batch);
            tip = w.root == null ? null : new Tip(w.newSize, w.root, w.lastLeafHash, w.lastTimeMs, w.range);
            committedSize = w.newSize;
        } catch (Exception | LinkageError | AssertionError e) {
            // Anything a draft or the database throws; a VirtualMachineError goes on up.
            tip = null;
            if (session != null) {
                session.close();
                session = null;
            }
            String why = describe(e);
            lastFailure = why;
            LOG.error("log append of {} entries failed and was rolled back: {}", batch.size(), why, e);
            AppendFailedException failure = new AppendFailedException(
                    "the log append failed and nothing was written: " + why, e);
            if (listener != null) {
                try {
                    listener.rolledBack(committedSize);
                } catch (RuntimeException le) {
                    LOG.error("the commit listener failed on a rollback: {}", describe(le), le);
                }
            }
            for (Pending p : batch) {
                if (p.future().completeExceptionally(failure)) {
                    failures.mark();
                }
            }
            return;
        }
        lastFailure = null;
        if (w.accepted.isEmpty()) {
            return;
        }
        batchSizes.update(w.entries.size());
        appends.mark(w.entries.size());
        if (listener != null) {
            try {
                listener.committed(List.copyOf(w.entries));
            } catch (RuntimeException e) {
                // The entries are durable; whoever listens must catch up from the store.
                LOG.error("the commit listener failed on entries {} to {}: {}", w.oldSize, w.newSize - 1,
                        describe(e), e);
            }
        }
        Written done = w;
        try {
            completing.execute(() -> completeReceipts(done));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            completeReceipts(done); // stopping: the entries are committed, so their receipts go out all the same
        }
    }

    /**
     * Runs {@link #write} in one transaction on the session's connection, with plain JDBC: JDBI's
     * transaction bookkeeping added about 0.05 ms to each commit (alternating batches, same run),
     * and nothing else uses this connection. Rolls back on any failure.
     */
    private Written inTransaction(Session sess, List<Pending> batch) throws Exception {
        sess.writes.begin();
        Written w = null;
        try {
            w = write(sess, batch);
            sess.writes.commit();
            return w;
        } catch (Exception | Error e) {
            settle(w == null ? null : w.marked);
            try {
                sess.writes.rollback();
            } catch (SQLException re) {
                e.addSuppressed(re);
            }
            throw e;
        }
    }

    /** Builds each receipt's inclusion proof from memory and completes the futures. */
    private void completeReceipts(Written w) {
        if (w.marked != null) {
            try {
                awaitMark(w.marked);
            } catch (RuntimeException e) {
                // Committed and signed, but the mark beside the key is not durable: acknowledge
                // nothing and sign nothing more, so that a lost mark can hide at most this batch.
                String why = "the signer high-water mark could not be written after entries " + w.oldSize + " to "
                        + (w.newSize - 1) + " were committed: " + describe(e) + "; appends stop until the"
                        + " server is restarted (the entries are in the log, but not acknowledged)";
                markFailure = why;
                lastFailure = why;
                LOG.error("{}", why, e);
                AppendFailedException failure = new AppendFailedException(why, e);
                for (Pending p : w.accepted) {
                    if (p.future().completeExceptionally(failure)) {
                        failures.mark();
                    }
                }
                return;
            }
        }
        BatchProofs proofs = new BatchProofs(w.newSize, w.nodes);
        // The batch's proofs share most of their hashes (the same byte[] from the batch's nodes),
        // so each is encoded once: encoding every path element took about a fifth of the
        // writer's time at 64 entries per batch (JFR, DurableAppendBench).
        Map<byte[], String> encoded = new IdentityHashMap<>();
        for (int i = 0; i < w.accepted.size(); i++) {
            Pending p = w.accepted.get(i);
            List<Receipt> receipts = new ArrayList<>();
            for (LogEntry e : w.groups.get(i)) {
                try {
                    List<byte[]> proof = proofs.inclusion(e.seq());
                    if (proof == null) {
                        proof = MerkleProofs.inclusion(e.seq(), w.newSize, overlay(w));
                    }
                    List<String> b64 = new ArrayList<>(proof.size());
                    for (byte[] h : proof) {
                        b64.add(encoded.computeIfAbsent(h, Base64.getEncoder()::encodeToString));
                    }
                    receipts.add(new Receipt(e.seq(), e.toString(), w.note, b64));
                } catch (LogStoreException | RuntimeException ex) {
                    // The entry is durable; only its receipt could not be built. Not an
                    // AppendFailedException: retrying would append it twice.
                    p.future().completeExceptionally(new IllegalStateException("entry " + e.seq()
                            + " was appended, but its receipt could not be built: " + ex.getMessage(), ex));
                    break;
                }
            }
            p.future().complete(List.copyOf(receipts));
        }
    }

    /** The batch's new nodes and the old border answer every receipt's proof without a query. */
    private HashReader overlay(Written w) {
        return ids -> {
            List<byte[]> out = new ArrayList<>(ids.size());
            List<NodeId> missing = new ArrayList<>();
            for (NodeId id : ids) {
                byte[] h = w.nodes.get(id);
                out.add(h);
                if (h == null) {
                    missing.add(id);
                }
            }
            if (!missing.isEmpty()) {
                List<byte[]> read = store.readHashes(missing);
                int k = 0;
                for (int i = 0; i < out.size(); i++) {
                    if (out.get(i) == null) {
                        out.set(i, read.get(k++));
                    }
                }
            }
            return out;
        };
    }

    private Written write(Session sess, List<Pending> batch) throws LogStoreException, SQLException {
        if (markFailure != null) {
            throw new IllegalStateException(markFailure);
        }
        StorageIntegrity watched = integrity;
        String corrupt = watched == null ? null : watched.problem();
        if (corrupt != null) {
            throw new IllegalStateException("stored hashes disagree with the signed log (" + corrupt
                    + "); refusing to extend the tree");
        }
        Handle h = sess.handle;
        LogHead head = sess.writes.head();
        long size = head.size();
        byte[] prev;
        long lastTime;
        CompactRange range;
        Tip last = tip;
        if (last != null && last.size() == size && size > 0
                && MessageDigest.isEqual(last.root(), head.rootHash())) {
            // Nobody appended since our last commit: the signed head is where we left it.
            prev = last.lastLeafHash();
            lastTime = last.lastTimeMs();
            range = CompactRange.fromBorder(size, last.range().border());
        } else {
            // The border of the stored tree, checked against the latest signed checkpoint.
            checkStoredMatchesSigned(sess.writes, head);
            range = CompactRange.load(size, sess.reader);
            if (size > 0 && !MessageDigest.isEqual(head.rootHash(), range.root())) {
                throw new IllegalStateException("the stored tree of size " + size
                        + " does not have the root of its signed checkpoint; refusing to sign");
            }
            // Someone else moved the head (or we just started): it must not be behind what this key signed.
            SignerHighWaterMark mark = signer.highWaterMark().orElse(null);
            if (mark != null) {
                mark.reload();
                mark.check(size, head.rootHash(), s -> MerkleProofs.root(s, sess.reader));
            }
            if (size == 0) {
                prev = LogEntry.GENESIS_PREV;
                lastTime = Long.MIN_VALUE;
            } else {
                LogEntry entry = lastStored(sess.writes, size - 1);
                prev = entry.leafHash();
                lastTime = entry.time().toEpochMilli();
            }
        }
        List<NodeId> borderIds = CompactRange.borderIds(size);
        Written w = new Written();
        w.oldSize = size;
        List<byte[]> border = range.border();
        for (int i = 0; i < borderIds.size(); i++) {
            w.nodes.put(borderIds.get(i), border.get(i));
        }
        List<StoredEntry> rows = new ArrayList<>(batch.size());
        List<StoredNode> newNodes = new ArrayList<>(batch.size() + 8);
        long seq = size;
        for (Pending p : batch) {
            long time = Math.max(clock.millis(), lastTime);
            Instant at = Instant.ofEpochMilli(time);
            Context ctx = new Context(seq, at, prev, h);
            List<LogEntry> group = new ArrayList<>();
            try {
                List<EntryContent> contents = p.draft().draft(ctx);
                if (contents == null || contents.isEmpty()) {
                    throw new IllegalArgumentException("the draft produced no entry");
                }
                byte[] groupPrev = prev;
                for (EntryContent c : contents) {
                    LogEntry entry = entryFor(c, seq + group.size(), at, groupPrev);
                    group.add(entry);
                    groupPrev = entry.leafHash();
                }
            } catch (EntryRefusedException | RuntimeException e) {
                if (ctx.touched) {
                    throw new IllegalStateException("the draft of entry " + seq
                            + " wrote to the transaction and then failed: " + describe(e), e);
                }
                p.future().completeExceptionally(e instanceof EntryRefusedException ? e
                        : new EntryRefusedException("entry " + seq + " cannot be written: " + describe(e)));
                continue;
            }
            for (LogEntry entry : group) {
                byte[] leaf = entry.leafHash();
                rows.add(new StoredEntry(entry.seq(), entry.bytes(), leaf));
                range.append(leaf, (id, hash) -> {
                    // A leaf's hash is stored with its entry; levels 1 to 3 are hashed from leaves when read.
                    if (id.level() >= TreeNodeDao.STORED_FROM_LEVEL) {
                        newNodes.add(new StoredNode(id.level(), id.index(), hash));
                    }
                    w.nodes.put(id, hash);
                });
                w.entries.add(entry);
                prev = leaf;
                seq++;
            }
            w.accepted.add(p);
            w.groups.add(group);
            lastTime = time;
        }
        if (rows.isEmpty()) {
            w.newSize = size;
            w.lastLeafHash = prev;
            w.lastTimeMs = lastTime;
            w.root = head.rootHash();
            w.range = range;
            return w;
        }
        w.newSize = seq;
        w.lastLeafHash = prev;
        w.lastTimeMs = lastTime;
        w.range = range;
        byte[] root = range.root();
        w.root = root;
        // The key's high-water mark must be durable before this checkpoint is acknowledged. Its
        // fdatasync runs on a thread of its own while the rows are inserted, the checkpoint is
        // signed and the transaction commits, and is awaited by the receipts' thread: awaiting
        // it before the signature put a second flush in series with the commit's and cost a
        // third of the throughput (DurableAppendBench, ratio 0.33 to 0.36 against 0.49 to 0.52
        // without a mark). The previous batch's mark is awaited before this batch is signed, so
        // the database is never more than one unacknowledged batch ahead of the mark; start
        // accepts a database ahead of the mark only if it is consistent with it
        // (docs/keys-and-notes.md).
        SignerHighWaterMark mark = signer.highWaterMark().orElse(null);
        Future<?> previousMark = pendingMark;
        if (mark != null) {
            byte[] from = head.rootHash();
            w.marked = markWriter.submit(() -> mark.advance(size, from, w.newSize, root));
            pendingMark = w.marked;
        }
        sess.writes.insertEntries(rows);
        sess.writes.insertNodes(newNodes);
        if (previousMark != null) {
            // The previous batch's mark must be durable before this checkpoint is signed, so the
            // signer is never more than one batch ahead of the mark on disk.
            awaitMark(previousMark);
        }
        // Signed here rather than on a thread of its own while the rows are inserted: the
        // signature takes about 30 us, less than handing it to another thread and waking this one
        // again cost on 2 cores (DurableAppendBench, session 5: ratio 0.49 to 0.56).
        w.note = sign(Checkpoint.of(signer.origin(), w.newSize, root));
        sess.writes.insertCheckpoint(w.newSize, root, w.note, clock.millis());
        return w;
    }

    /** After a rollback: lets an in-flight mark write finish, whatever its outcome. */
    private static void settle(Future<?> marked) {
        if (marked == null) {
            return;
        }
        try {
            marked.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("the signer high-water mark write of a rolled-back batch failed: {}", describe(e.getCause()));
        }
    }

    /** Waits for the mark write of a committed batch; its failure is thrown. */
    private static void awaitMark(Future<?> marked) {
        try {
            marked.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the signer high-water mark", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("writing the signer high-water mark failed: " + describe(c), c);
        }
    }

    /** On a clean stop: our last checkpoint is committed, so the mark need not allow for its loss. */
    private void confirmMark() {
        Tip last = tip;
        SignerHighWaterMark mark = signer.highWaterMark().orElse(null);
        if (last == null || mark == null) {
            return;
        }
        try {
            mark.reload(); // another instance with the same key file may have moved it since
            mark.confirm(last.size(), last.root());
        } catch (RuntimeException e) {
            LOG.warn("could not confirm the signer high-water mark at size {}: {}", last.size(), describe(e));
        }
    }

    private String sign(Checkpoint checkpoint) {
        try {
            return signer.sign(checkpoint);
        } catch (RuntimeException e) {
            throw new IllegalStateException("signing the checkpoint failed: " + describe(e), e);
        }
    }

    /**
     * Refuses to extend a log whose stored entries are not exactly those its latest signed
     * checkpoint covers: entries beyond it, or missing below it, mean that storage was damaged or
     * edited, and signing would publish a fork. (The root is checked by the caller.)
     */
    private static void checkStoredMatchesSigned(AppendStatements writes, LogHead head) throws SQLException {
        long lastSeq = writes.lastSeq();
        if (lastSeq != head.size() - 1) {
            throw new IllegalStateException(head.size() == 0
                    ? "the log has entries up to seq " + lastSeq + " but no signed checkpoint; refusing to sign"
                    : "the latest signed checkpoint is for size " + head.size() + " but the stored entries end at seq "
                            + lastSeq + "; refusing to sign");
        }
    }

    /**
     * The stored entry at {@code seq}, parsed, whose bytes must hash to the stored leaf hash (the
     * one the tree, and so the signed root, was checked with): the next entry's prev names it.
     */
    private static LogEntry lastStored(AppendStatements writes, long seq) throws SQLException {
        StoredEntry stored = writes.entry(seq);
        if (stored == null) {
            throw new IllegalStateException("the stored entry " + seq + " is missing; refusing to sign");
        }
        LogEntry entry;
        try {
            entry = LogEntry.parse(stored.entry());
        } catch (org.foureyes.auditlog.EntryFormatException e) {
            throw new IllegalStateException("the stored entry " + seq + " is not a valid entry (" + e.getMessage()
                    + "); refusing to sign", e);
        }
        if (entry.seq() != seq || !MessageDigest.isEqual(entry.leafHash(), stored.leafHash())) {
            throw new IllegalStateException("the stored entry " + seq + " does not match its seq and stored leaf hash"
                    + "; refusing to sign");
        }
        return entry;
    }

    /** The entry the content gives at this seq, time and prev: the caller's own if it built exactly that one. */
    private static LogEntry entryFor(EntryContent c, long seq, Instant at, byte[] prev) {
        LogEntry built = c.built();
        if (built != null && built.seq() == seq && built.time().equals(at)
                && MessageDigest.isEqual(built.prev(), prev)) {
            return built;
        }
        return LogEntry.create(seq, at, prev, c.type(), c.statement(), c.facts());
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static final class Context implements AppendContext {
        private final long seq;
        private final Instant time;
        private final byte[] prev;
        private final Handle handle;
        boolean touched;

        Context(long seq, Instant time, byte[] prev, Handle handle) {
            this.seq = seq;
            this.time = time;
            this.prev = prev;
            this.handle = handle;
        }

        @Override
        public byte[] prevLeafHash() {
            return prev.clone();
        }

        @Override
        public long seq() {
            return seq;
        }

        @Override
        public Instant time() {
            return time;
        }

        @Override
        public Handle handle() {
            touched = true;
            return handle;
        }
    }
}
