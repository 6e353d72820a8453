package org.foureyes.server.core;

import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.foureyes.auditlog.EntryFormatException;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.ledger.Draft;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.LedgerException;
import org.foureyes.ledger.PolicyInForce;
import org.foureyes.ledger.RequestedPolicies;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.Right;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.Statement;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredEntry;
import org.foureyes.statement.SignatureCache;
import org.foureyes.statement.VerifiedStatements;
import org.foureyes.statement.StatementException;
import org.foureyes.statement.StatementType;
import org.foureyes.statement.StatementVerifier;
import org.foureyes.statement.VerifyMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one {@link Ledger}: the change workflow's state, rebuilt at start by replaying the
 * stored log and then kept in step with it (see docs/workflow.md).
 *
 * <ul>
 *   <li>Writers are the appender's drafts: {@link #write} runs on the writer thread, inside the
 *       append transaction and under the log lock. It first brings the ledger to the log's head
 *       (entries other instances appended meanwhile are read from {@code log_entries} and applied),
 *       then lets the draft decide and {@link #appendTo apply} its entries.
 *   <li>If the transaction then rolls back ({@link #rolledBack}), the ledger is ahead of the log:
 *       it is marked stale and rebuilt by replaying the stored log before it is used again.
 *   <li>Readers ({@link #read}) share a read lock; they may see entries of a batch that is being
 *       committed (the window is the commit itself). A batch that rolls back is undone by the
 *       rebuild.
 *   <li>{@link #refresh} (the scheduler, every second) catches the ledger up with entries other
 *       instances appended, for readers of this instance.
 * </ul>
 */
public final class ServerLedger implements CommitListener {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLedger.class);
    private static final int PAGE = 1000;

    /** Work on the ledger inside an append; may refuse. */
    @FunctionalInterface
    public interface LedgerWork<T> {
        T run(Ledger ledger) throws EntryRefusedException;
    }

    private static final VerifyMode ANY = VerifyMode.online(StatementType.CHANGE_REQUEST, StatementType.DECISION,
            StatementType.WITHDRAWAL, StatementType.REPORT, StatementType.ACCESS);

    private final JdbiLogStore store;
    private RefusalLimiter refusals; // guarded by lock; replaced with the ledger on a rebuild
    /** Signatures verified on request threads, so the writer thread does not redo the curve arithmetic. */
    private final SignatureCache signatures = new SignatureCache(16_384);
    /**
     * Statements verified whole on request threads ({@link #preverify}), which the writer thread
     * then takes as verified for the same policy and audience, with the time window checked again.
     */
    private final VerifiedStatements statements = new VerifiedStatements(1024);
    private final StatementVerifier verifier = new StatementVerifier(signatures, statements);
    /**
     * Requested policies analysed on request threads ({@link #preverify}), whose verdicts the
     * writer thread then reuses: the analysis never runs under the write lock for a request this
     * instance received.
     */
    private final RequestedPolicies requestedPolicies = new RequestedPolicies(16);
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<CommitListener> downstream = new CopyOnWriteArrayList<>();

    private Ledger ledger; // guarded by lock
    private volatile PolicyInForce policy;
    private volatile String origin;
    private volatile boolean stale;
    private volatile String broken;
    /** Entries applied by drafts and not yet committed: seq to leaf hash (writer thread, under the write lock). */
    private final Map<Long, byte[]> uncommitted = new java.util.concurrent.ConcurrentHashMap<>();

    public ServerLedger(JdbiLogStore store) {
        this(store, new RefusalLimiter(0));
    }

    /** @param refusals the refusal limit, fed with every {@code statement.refused} entry this ledger applies */
    public ServerLedger(JdbiLogStore store, RefusalLimiter refusals) {
        this.store = Objects.requireNonNull(store, "store");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
    }

    /**
     * Inside {@link #write}: whether an authentic refusal by {@code principal} may be logged at
     * entry time {@code time}, counting the refusals in the log up to its head (all instances').
     */
    public boolean mayLogRefusal(String principal, java.time.Instant time) {
        if (!lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("only inside write()");
        }
        return refusals.mayLog(principal, time);
    }

    public int refusalsPerMinute() {
        return refusals.perMinute();
    }

    /** Feeds the refusal limit with an entry just applied to the ledger (write lock held). */
    private void noteApplied(RefusalLimiter r, LogEntry e) {
        if (e.entryType() == org.foureyes.auditlog.EntryType.STATEMENT_REFUSED) {
            e.statement().flatMap(StatementPeek::issuer).ifPresent(i -> r.logged(i, e.time()));
        }
    }

    /** Also told of every committed batch, after the ledger (e.g. notifications). */
    public void addListener(CommitListener listener) {
        downstream.add(listener);
    }

    /**
     * Replays the stored log (at start, after the genesis entry exists).
     *
     * @throws IllegalStateException naming the entry the ledger refuses; the server must not start
     *     on a log it cannot replay
     */
    public void load() {
        lock.writeLock().lock();
        try {
            rebuild();
        } catch (LedgerException e) {
            throw new IllegalStateException("the stored log does not replay: entry " + e.seq() + " (" + e.entryType()
                    + ") is refused by the ledger: " + e.detail() + ". The database holds a log this server cannot"
                    + " vouch for; check it with foureyes-verify before doing anything else", e);
        } finally {
            lock.writeLock().unlock();
        }
        LOG.info("ledger replayed {} entries; policy in force {}", size(), policy);
    }

    /**
     * Runs a query on the ledger under the read lock. A ledger that is ahead of the log (its batch
     * rolled back) is rebuilt first, so no reader sees what was never committed once the append
     * has failed.
     */
    public <T> T read(Function<Ledger, T> query) {
        if (stale && lock.getReadHoldCount() == 0) { // a nested read must not ask for the write lock
            refresh();
        }
        lock.readLock().lock();
        try {
            if (ledger == null) {
                throw new IllegalStateException("the ledger is not loaded yet");
            }
            return query.apply(ledger);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The policy in force (no lock; for access tokens). */
    public PolicyInForce policy() {
        PolicyInForce p = policy;
        if (p == null) {
            throw new IllegalStateException("the ledger is not loaded yet");
        }
        return p;
    }

    public String origin() {
        return origin;
    }

    public long size() {
        return read(Ledger::size);
    }

    /** Why the ledger cannot go on (a stored entry it refuses), or null. */
    public String brokenReason() {
        return broken;
    }

    /**
     * Inside an append transaction: brings the ledger to the context's seq (the seq the draft's
     * first entry gets), checks that its last entry is the log's (the context's prev leaf hash) and
     * runs the work under the write lock.
     */
    public <T> T write(AppendContext ctx, LedgerWork<T> work) throws EntryRefusedException {
        lock.writeLock().lock();
        try {
            syncTo(ctx.seq());
            if (!MessageDigest.isEqual(lastLeafHash(), ctx.prevLeafHash())) {
                // Same size as the log, other content (a rolled-back batch replaced by another
                // instance's entries, or a bug): start again from the stored log.
                LOG.warn("the ledger's last entry is not the log's entry {}; rebuilding the ledger", ctx.seq() - 1);
                stale = true;
                syncTo(ctx.seq());
                if (!MessageDigest.isEqual(lastLeafHash(), ctx.prevLeafHash())) {
                    throw new EntryRefusedException("the ledger does not agree with the stored log at entry "
                            + (ctx.seq() - 1));
                }
            }
            return work.run(ledger);
        } finally {
            policy = ledger == null ? policy : ledger.policy();
            lock.writeLock().unlock();
        }
    }

    private byte[] lastLeafHash() {
        return ledger.lastEntry().map(LogEntry::leafHash).orElse(LogEntry.GENESIS_PREV);
    }

    /**
     * Materialises a draft as the next entry (seq = ledger size, time, prev = last leaf hash) and
     * applies it, so that every check runs again on exactly what will be logged. Only inside
     * {@link #write}.
     *
     * @throws LedgerException if the ledger refuses what it planned itself (a bug); the caller must
     *     then fail the whole batch, since the ledger may be ahead of it
     */
    public LogEntry appendTo(Ledger l, Draft draft, java.time.Instant time) throws LedgerException {
        long seq = l.size();
        byte[] prev = l.lastEntry().map(LogEntry::leafHash).orElse(LogEntry.GENESIS_PREV);
        LogEntry e = draft.materialise(seq, time, prev);
        try {
            l.apply(e);
        } catch (LedgerException ex) {
            stale = true;
            throw ex;
        }
        uncommitted.put(seq, e.leafHash());
        noteApplied(refusals, e);
        return e;
    }

    /**
     * Verifies a statement on the calling (request) thread against the policy in force, to fill
     * the signature cache: the ledger's own checks in {@code decide} and {@code apply} then run in
     * full on the writer thread, minus the Ed25519 arithmetic for these exact bytes. For an
     * authentic request to change {@code policy} by a principal who may request it, also loads and
     * analyses the requested policy here, so the writer finds the verdict in
     * {@link RequestedPolicies} instead of analysing under the write lock. The outcome is ignored.
     */
    public void preverify(String compact) {
        PolicyInForce p = policy;
        String o = origin;
        if (p == null || o == null) {
            return;
        }
        try {
            Statement st = verifier.verify(compact, p.policy(), o, java.time.Instant.now(), ANY);
            if (st.type() == StatementType.CHANGE_REQUEST) {
                ChangeRequestClaims c = st.claims(ChangeRequestClaims.class);
                if (c.component().equals(Policy.POLICY_COMPONENT)
                        && p.policy().holds(st.issuer(), new Right(Right.Action.REQUEST, Policy.POLICY_COMPONENT))) {
                    requestedPolicies.load(c.config());
                }
            }
        } catch (StatementException | PolicyException | RuntimeException e) {
            // Whatever is wrong, the ledger finds it again and decides.
        }
    }

    /** Catches up with entries other instances appended (for readers); rebuilds a stale ledger. */
    public void refresh() {
        if (broken != null) {
            return;
        }
        lock.writeLock().lock();
        try {
            if (ledger == null) {
                return;
            }
            if (stale) {
                rebuild();
                return;
            }
            long stored = store.size();
            if (ledger.size() < stored) {
                catchUp(stored);
            }
        } catch (LedgerException e) {
            markBroken(e);
        } catch (RuntimeException e) {
            LOG.warn("ledger refresh failed: {}", e.toString());
        } finally {
            if (ledger != null) {
                policy = ledger.policy();
            }
            lock.writeLock().unlock();
        }
    }

    @Override
    public void committed(List<LogEntry> entries) {
        // No lock: only the writer thread adds to the map (and readers must not delay the writer).
        for (LogEntry e : entries) {
            byte[] mine = uncommitted.remove(e.seq());
            if (mine != null && !MessageDigest.isEqual(mine, e.leafHash())) {
                LOG.error("entry {} as committed differs from what the ledger applied; rebuilding the ledger",
                        e.seq());
                stale = true;
            }
        }
        for (CommitListener l : downstream) {
            try {
                l.committed(entries);
            } catch (RuntimeException ex) {
                LOG.error("commit listener failed: {}", ex.toString(), ex);
            }
        }
    }

    @Override
    public void rolledBack(long size) {
        if (!uncommitted.isEmpty()) {
            LOG.warn("an append rolled back after the ledger applied {} of its entries; the ledger will be"
                    + " rebuilt from the stored log", uncommitted.size());
            stale = true;
        }
        uncommitted.clear();
    }

    // ------------------------------------------------------------------ internals (write lock held)

    private void syncTo(long seq) throws EntryRefusedException {
        if (broken != null) {
            throw new EntryRefusedException("the ledger cannot go on: " + broken);
        }
        if (ledger == null) {
            throw new EntryRefusedException("the ledger is not loaded yet");
        }
        try {
            if (stale || ledger.size() > seq) {
                rebuild();
            }
            if (ledger.size() < seq) {
                catchUp(seq);
            }
        } catch (LedgerException e) {
            markBroken(e);
            throw new EntryRefusedException("the ledger cannot go on: " + broken);
        }
        if (ledger.size() != seq) {
            // Entries before this draft in the same transaction that the ledger did not apply.
            throw new EntryRefusedException("the ledger is at " + ledger.size() + " entries but the draft is for entry "
                    + seq + "; entries appended without the ledger are in the same batch");
        }
    }

    private void markBroken(LedgerException e) {
        broken = "stored entry " + e.seq() + " (" + e.entryType() + ") is refused by the ledger: " + e.detail();
        LOG.error("the ledger stops taking statements: {}. Check the log with foureyes-verify; restart the server"
                + " once the cause is understood", broken);
    }

    private void rebuild() throws LedgerException {
        Ledger fresh = new Ledger(new StatementVerifier(signatures, statements), requestedPolicies);
        RefusalLimiter freshRefusals = refusals.empty();
        long size = store.size();
        apply(fresh, freshRefusals, 0, size);
        ledger = fresh;
        refusals = freshRefusals;
        policy = fresh.started() ? fresh.policy() : null;
        origin = fresh.started() ? fresh.origin() : null;
        uncommitted.clear();
        stale = false;
    }

    private void catchUp(long to) throws LedgerException {
        long from = ledger.size();
        long applied = apply(ledger, refusals, from, to);
        if (applied > 0) {
            LOG.debug("ledger caught up with {} entries appended by other instances ({} to {})", applied, from,
                    to - 1);
        }
    }

    private long apply(Ledger l, RefusalLimiter r, long from, long to) throws LedgerException {
        long n = 0;
        for (long start = from; start < to; start += PAGE) {
            List<StoredEntry> page = store.entries(start, Math.min(to, start + PAGE));
            if (page.isEmpty()) {
                break;
            }
            for (StoredEntry s : page) {
                LogEntry e;
                try {
                    e = LogEntry.parse(s.entry());
                } catch (EntryFormatException ex) {
                    throw new LedgerException(s.seq(), "?", "the stored entry is malformed: " + ex.getMessage());
                }
                l.apply(e);
                noteApplied(r, e);
                n++;
            }
        }
        return n;
    }
}
