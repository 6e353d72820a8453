package org.foureyes.server.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.ledger.Draft;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.LedgerException;
import org.foureyes.ledger.Outcome;
import org.foureyes.ledger.Refusal;
import org.foureyes.policy.Evaluation;
import org.foureyes.server.api.Receipt;
import org.foureyes.statement.StatementType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change workflow: turns a signed statement into log entries, deciding with the server's
 * {@link ServerLedger} inside the append transaction (see docs/workflow.md).
 *
 * <p>For each statement one group draft is queued on the {@link LogAppender}. On the writer thread,
 * under the log lock, it brings the ledger to the log's head, appends any owed entries first, calls
 * {@link Ledger#decide} with the entry time the appender assigned, materialises the drafts with
 * their seqs, time and prev, and {@link Ledger#apply applies} them: the server runs exactly the
 * checks the auditor runs. Refusals: not authentic, nothing is appended; authentic, the
 * {@code statement.refused} draft is appended unless the principal is over its rate limit.
 */
public final class Workflow {
    private static final Logger LOG = LoggerFactory.getLogger(Workflow.class);

    /** What became of a statement. */
    public sealed interface Answer permits Accepted, Refused {
    }

    /**
     * The statement was accepted and is in the log.
     *
     * @param change the change id
     * @param state the change's state as its entry's {@code facts.state} says
     * @param explanation what the decision engine says about the change now
     * @param receipt the receipt of the statement's own entry
     * @param receipts every entry appended with it (owed entries before it, entries it made owed after)
     * @param record the change right after the statement's entries (taken on the writer thread, so
     *     the answer needs no lock on the ledger)
     * @param evaluation the decision engine's evaluation then, or null
     */
    public record Accepted(long change, String state, String explanation, Receipt receipt, List<Receipt> receipts,
            ChangeRecord record, Evaluation evaluation) implements Answer {
    }

    /**
     * The statement was refused; the state did not change.
     *
     * @param issuer the issuer named in the statement (trustworthy only if the refusal is authentic)
     * @param logged the receipt of the {@code statement.refused} entry, or null if it was not logged
     *     (not authentic, or over the principal's rate limit)
     * @param rateLimited whether an authentic refusal was not logged because of the rate limit
     */
    public record Refused(Refusal refusal, String issuer, Receipt logged, boolean rateLimited) implements Answer {
    }

    /** A refusal that appends nothing: the draft's future fails with it. */
    static final class StatementRefusedException extends EntryRefusedException {
        private static final long serialVersionUID = 1L;
        final transient Refusal refusal;
        final boolean rateLimited;

        StatementRefusedException(Refusal refusal, boolean rateLimited) {
            super(refusal.toString());
            this.refusal = refusal;
            this.rateLimited = rateLimited;
        }
    }

    /** Nothing due: an expiry round that appends nothing. */
    static final class NothingDueException extends EntryRefusedException {
        private static final long serialVersionUID = 1L;

        NothingDueException() {
            super("nothing due");
        }
    }

    /** The ledger cannot take statements now (broken log, not loaded): 503. */
    public static final class UnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ServerLedger ledger;
    private final LogAppender appender;
    private final Duration timeout;
    private final MetricRegistry metrics;
    private final java.time.Clock clock;
    private final Meter accepted;
    private final Meter refusedLogged;
    private final Meter refusedUnlogged;
    private final Meter rateLimited;
    private final ConcurrentHashMap<String, Meter> refusals = new ConcurrentHashMap<>();
    private final int openLimit;

    public Workflow(ServerLedger ledger, LogAppender appender, Duration timeout,
            MetricRegistry metrics, java.time.Clock clock) {
        this(ledger, appender, timeout, metrics, clock, 0);
    }

    /** @param openLimit most open changes per requester (0: no limit); see {@link Ledger#decide(String, StatementType, Instant, int)} */
    public Workflow(ServerLedger ledger, LogAppender appender, Duration timeout,
            MetricRegistry metrics, java.time.Clock clock, int openLimit) {
        this.openLimit = openLimit;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.appender = Objects.requireNonNull(appender, "appender");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.metrics = metrics;
        this.accepted = metrics.meter(MetricRegistry.name(Workflow.class, "accepted"));
        this.refusedLogged = metrics.meter(MetricRegistry.name(Workflow.class, "refusals-logged"));
        this.refusedUnlogged = metrics.meter(MetricRegistry.name(Workflow.class, "refusals-unlogged"));
        this.rateLimited = metrics.meter(MetricRegistry.name(Workflow.class, "refusals-rate-limited"));
    }

    public ServerLedger ledger() {
        return ledger;
    }

    /** The outcome of the draft, filled in on the writer thread. */
    private static final class Attempt {
        volatile Outcome outcome;
        volatile ChangeRecord record;
        volatile Evaluation evaluation;
        volatile int ownIndex = -1;
        volatile boolean logged;
    }

    /**
     * Submits a statement to the endpoint that takes {@code expected} and waits until it is in the
     * log (or refused).
     *
     * @throws AppendFailedException nothing was written (the appender is stopped or full, or the
     *     transaction rolled back): safe to retry
     * @throws UnavailableException the ledger cannot take statements, or the append was not
     *     confirmed in time
     */
    public Answer submit(String compact, StatementType expected) {
        Objects.requireNonNull(compact, "compact");
        Attempt attempt = new Attempt();
        ledger.preverify(compact); // on this thread, in parallel with others: spares the writer the curve arithmetic
        GroupDraft draft = ctx -> ledger.write(ctx, l -> {
            List<EntryContent> out = new ArrayList<>();
            try {
                appendOwed(l, ctx, out);
                Outcome o = sizeChecked(l.decide(compact, expected, ctx.time(), openLimit), l.size(), ctx.time());
                attempt.outcome = o;
                if (o instanceof Outcome.Accepted a) {
                    attempt.ownIndex = out.size();
                    long id = a.result().change(l.size());
                    for (Draft d : a.drafts()) {
                        out.add(EntryContent.of(ledger.appendTo(l, d, ctx.time())));
                    }
                    attempt.record = l.change(id).orElse(null);
                    attempt.evaluation = l.evaluation(id).orElse(null);
                    return out;
                }
                Outcome.Refused r = (Outcome.Refused) o;
                boolean limited = false;
                if (r.draft().isPresent()) {
                    String issuer = StatementPeek.issuer(compact).orElse(null);
                    if (issuer != null && ledger.mayLogRefusal(issuer, ctx.time())) {
                        attempt.ownIndex = out.size();
                        attempt.logged = true;
                        out.add(EntryContent.of(ledger.appendTo(l, r.draft().get(), ctx.time())));
                        return out;
                    }
                    limited = true;
                }
                if (!out.isEmpty()) {
                    return out; // owed entries go in anyway
                }
                throw new StatementRefusedException(r.refusal(), limited);
            } catch (LedgerException e) {
                // The ledger refused what it planned itself (a bug) and may be ahead of this batch:
                // touching the handle makes the appender roll the whole batch back, and the ledger
                // is rebuilt from the stored log before its next use.
                ctx.handle();
                throw new IllegalStateException("the ledger refused an entry it planned itself: " + e.getMessage(), e);
            }
        });
        List<Receipt> receipts;
        try {
            receipts = appender.appendAll(draft).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the log", e);
        } catch (TimeoutException e) {
            throw new UnavailableException("the log did not confirm the append within " + timeout.toSeconds()
                    + " s; it may still be appended. Look it up (GET /v1/changes) before signing it again", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StatementRefusedException sr) {
                return refused(new Refused(sr.refusal, StatementPeek.issuer(compact).orElse(null), null,
                        sr.rateLimited));
            }
            if (cause instanceof AppendFailedException af) {
                throw af;
            }
            throw new UnavailableException("the workflow could not take the statement: " + cause.getMessage(), cause);
        }
        Outcome o = attempt.outcome;
        if (o instanceof Outcome.Accepted a) {
            Receipt own = receipts.get(attempt.ownIndex);
            accepted.mark();
            return new Accepted(a.result().change(own.seq()), a.result().state(), a.result().explanation(), own,
                    receipts, attempt.record, attempt.evaluation);
        }
        Outcome.Refused r = (Outcome.Refused) o;
        return refused(new Refused(r.refusal(), StatementPeek.issuer(compact).orElse(null),
                attempt.logged ? receipts.get(attempt.ownIndex) : null,
                !attempt.logged && r.draft().isPresent()));
    }

    /**
     * The outcome with entries too long for a tlog-tiles bundle refused before anything is applied
     * ({@link EntrySizeGuard}): an accepted statement becomes a refusal, and a refusal whose
     * {@code statement.refused} entry would be too long is answered without logging it.
     */
    private static Outcome sizeChecked(Outcome o, long firstSeq, Instant time) {
        Optional<Refusal> tooLarge = EntrySizeGuard.check(o.drafts(), firstSeq, time);
        if (tooLarge.isEmpty()) {
            return o;
        }
        if (o instanceof Outcome.Refused r) {
            return new Outcome.Refused(r.refusal(), Optional.empty());
        }
        return new Outcome.Refused(tooLarge.get(), Optional.empty());
    }

    private Refused refused(Refused r) {
        refusals.computeIfAbsent(r.refusal().problem(),
                p -> metrics.meter(MetricRegistry.name(Workflow.class, "refusals", p))).mark();
        if (r.logged() != null) {
            refusedLogged.mark();
        } else {
            refusedUnlogged.mark();
        }
        if (r.rateLimited()) {
            rateLimited.mark();
            LOG.info("refusal of a statement by {} not logged: over its limit of {} logged refusals per minute",
                    r.issuer(), ledger.refusalsPerMinute());
        }
        return r;
    }

    /**
     * Appends {@code change.expired} for every change whose time limit has run out at the entry
     * time (decided inside the append transaction, so two instances never expire a change twice).
     *
     * @return how many entries were appended (owed entries included)
     */
    public int expireDue() {
        // Cheap check first, so an idle scheduler does not take the log lock; the decision that
        // counts is the one inside the transaction.
        Instant now = appenderNow();
        boolean due = ledger.read(l -> !l.owed().isEmpty() || !l.expireDue(
                now.isBefore(l.lastTime().orElse(now)) ? l.lastTime().get() : now).isEmpty());
        if (!due) {
            return 0;
        }
        GroupDraft draft = ctx -> ledger.write(ctx, l -> {
            List<EntryContent> out = new ArrayList<>();
            try {
                appendOwed(l, ctx, out);
                for (Draft d : l.expireDue(ctx.time())) {
                    out.add(EntryContent.of(ledger.appendTo(l, d, ctx.time())));
                }
            } catch (LedgerException e) {
                ctx.handle();
                throw new IllegalStateException("the ledger refused an entry it planned itself: " + e.getMessage(), e);
            }
            if (out.isEmpty()) {
                throw new NothingDueException();
            }
            return out;
        });
        try {
            List<Receipt> r = appender.appendAll(draft).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("expiry: appended {} entries ({} to {})", r.size(), r.get(0).seq(), r.get(r.size() - 1).seq());
            return r.size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NothingDueException) {
                return 0;
            }
            LOG.warn("expiry round failed: {}", e.getCause().getMessage());
            return 0;
        } catch (TimeoutException e) {
            LOG.warn("expiry round not confirmed within {}", timeout);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Owed entries (after a log that ended mid-batch) go before anything else. */
    private void appendOwed(Ledger l, AppendContext ctx, List<EntryContent> out) throws LedgerException {
        List<Draft> owed;
        while (!(owed = l.owed()).isEmpty()) {
            LOG.warn("appending owed entry {} ({}) left out when the log last ended mid-batch", l.size(),
                    owed.get(0).type());
            out.add(EntryContent.of(ledger.appendTo(l, owed.get(0), ctx.time())));
        }
    }

    private Instant appenderNow() {
        return clock.instant();
    }
}
