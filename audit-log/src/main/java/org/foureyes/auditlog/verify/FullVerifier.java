package org.foureyes.auditlog.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.foureyes.auditlog.EntryFormatException;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.verify.VerificationFailure.Kind;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.LedgerException;

/**
 * Full offline verification of a log export: everything {@link LogVerifier} checks (checkpoint
 * signature, entry format, chain, genesis, RFC 6962 root, optionally consistency with a saved
 * checkpoint) and, in the same single pass over the export, the replay of every entry through the
 * {@link Ledger}: each statement's signature against the keys of the policy in force at that
 * entry, every state transition re-derived and compared with the entry's facts, each policy
 * activation satisfying the previous policy's rule, no jti twice, nothing approved or applied
 * after its expiry (judged on signed {@code iat}), owed entries in place. Then every emergency
 * change not reviewed within its {@code review_within} is flagged (see {@link AuditReport}), and
 * is a failure unless {@link Builder#allowOverdueReviews} is set.
 *
 * <p>Memory: the export is streamed once; apart from the stream's buffer and the tree border,
 * memory is the ledger's state (every change, its statements and decisions; every jti).
 *
 * <p>Immutable and thread-safe; each {@code verify} call uses its own ledger.
 */
public final class FullVerifier {

    private final VerifierKey key;
    private final String since;
    private final ProgressListener progress;
    private final Duration interval;
    private final String pinnedPolicy;
    private final boolean allowOverdueReviews;

    private FullVerifier(Builder b) {
        this.key = b.key;
        this.since = b.since;
        this.progress = b.progress;
        this.interval = b.interval;
        this.pinnedPolicy = b.pinnedPolicy;
        this.allowOverdueReviews = b.allowOverdueReviews;
    }

    /** A verifier that trusts only {@code pinnedLogKey}. */
    public static Builder builder(VerifierKey pinnedLogKey) {
        return new Builder(pinnedLogKey);
    }

    /** Options of a {@link FullVerifier}. */
    public static final class Builder {
        private final VerifierKey key;
        private String since;
        private ProgressListener progress;
        private Duration interval = Duration.ofSeconds(2);
        private String pinnedPolicy;
        private boolean allowOverdueReviews;

        private Builder(VerifierKey key) {
            this.key = Objects.requireNonNull(key, "pinnedLogKey");
        }

        /** Also check that the export extends this earlier signed checkpoint note. */
        public Builder since(String savedCheckpointNote) {
            this.since = savedCheckpointNote;
            return this;
        }

        /** Report progress every {@code every} and at the end. */
        public Builder progress(ProgressListener listener, Duration every) {
            this.progress = listener;
            this.interval = Objects.requireNonNull(every, "every");
            return this;
        }

        /**
         * Require the genesis policy's {@code policy_sha256} (hex SHA-256 of its RFC 8785 form, as
         * recomputed by the ledger) to be this value.
         *
         * @throws IllegalArgumentException if it is not 64 hex digits
         */
        public Builder pinGenesisPolicy(String sha256Hex) {
            if (sha256Hex != null && !sha256Hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("a policy hash is 64 hex digits (SHA-256), got \""
                        + (sha256Hex.length() > 80 ? sha256Hex.substring(0, 80) + "..." : sha256Hex) + "\"");
            }
            this.pinnedPolicy = sha256Hex == null ? null : sha256Hex.toLowerCase(Locale.ROOT);
            return this;
        }

        /** Report overdue emergency reviews without failing verification. */
        public Builder allowOverdueReviews(boolean allow) {
            this.allowOverdueReviews = allow;
            return this;
        }

        public FullVerifier build() {
            return new FullVerifier(this);
        }
    }

    /**
     * The outcome of a full verification.
     *
     * @param result {@link VerificationResult.Verified} when everything holds; otherwise the first
     *     failure (structural, {@link Kind#REPLAY}, {@link Kind#POLICY_PIN}, or
     *     {@link Kind#REVIEW_OVERDUE} for the first overdue review)
     * @param report present when every entry replayed (so also with {@link Kind#REVIEW_OVERDUE}),
     *     empty after any other failure
     * @param structure the structural verification (chain, tree, checkpoint) when it passed, also
     *     with {@link Kind#REVIEW_OVERDUE}
     */
    public record Result(VerificationResult result, Optional<AuditReport> report,
            Optional<VerificationResult.Verified> structure) {
        public Result {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(structure, "structure");
        }

        public boolean verified() {
            return result.verified();
        }
    }

    /** Verifies the export directory {@code dir} (see {@link LogVerifier#verify(Path)}). */
    public Result verify(Path dir) throws ExportInputException {
        if (java.nio.file.Files.isDirectory(dir) && LogVerifier.isRangeExport(dir)) {
            throw new ExportInputException("this is a range export (it has "
                    + org.foureyes.auditlog.export.ExportFormat.START_FILE + "): full verification replays the"
                    + " policy from the genesis and needs the whole log; verify a range with LogVerifier (chain only)");
        }
        Replay replay = new Replay();
        VerificationResult r = structural(replay).verify(dir);
        return finish(r, replay);
    }

    /** Verifies entries read from {@code entries} (not closed) against {@code checkpointNote}. */
    public Result verify(InputStream entries, String checkpointNote) throws IOException {
        Replay replay = new Replay();
        VerificationResult r = structural(replay).verify(entries, checkpointNote);
        return finish(r, replay);
    }

    private LogVerifier structural(Replay replay) {
        LogVerifier.Builder b = LogVerifier.builder(key).entries(replay);
        if (since != null) {
            b.since(since);
        }
        if (progress != null) {
            b.progress(progress, interval);
        }
        return b.build();
    }

    private Result finish(VerificationResult r, Replay replay) {
        if (!r.verified()) {
            return new Result(r, Optional.empty(), Optional.empty());
        }
        Optional<VerificationResult.Verified> structure = Optional.of((VerificationResult.Verified) r);
        AuditReport report = AuditReport.of(replay.ledger);
        if (!allowOverdueReviews && !report.overdueReviews().isEmpty()) {
            AuditReport.OverdueReview o = report.overdueReviews().get(0);
            int more = report.overdueReviews().size() - 1;
            String expected = "reviewed before " + o.due();
            String computed = o.reviewedAt() == null ? "unreviewed at " + report.reviewReferenceTime()
                    : "reviewed at " + o.reviewedAt();
            VerificationFailure f = VerificationFailure.of(Kind.REVIEW_OVERDUE, o.change(), expected, computed,
                    "emergency review overdue: " + o.message()
                            + (more > 0 ? " (and " + more + " more overdue review" + (more > 1 ? "s" : "") + ")" : ""));
            return new Result(new VerificationResult.Failed(f, r.entriesChecked()), Optional.of(report), structure);
        }
        return new Result(r, Optional.of(report), structure);
    }

    /** The ledger fed from the structural pass. */
    private final class Replay implements LogVerifier.EntryListener {
        final Ledger ledger = new Ledger();

        @Override
        public VerificationFailure entry(long seq, byte[] buf, int off, int len) {
            LogEntry e;
            try {
                e = LogEntry.parse(Arrays.copyOfRange(buf, off, off + len));
            } catch (EntryFormatException ex) {
                return VerificationFailure.of(Kind.MALFORMED_ENTRY, seq, "a canonical entry", null,
                        "entry " + seq + ": " + ex.getMessage());
            }
            try {
                ledger.apply(e);
            } catch (LedgerException ex) {
                return VerificationFailure.of(Kind.REPLAY, ex.seq(), null, null, ex.getMessage());
            }
            if (seq == 0 && pinnedPolicy != null) {
                String genesis = ledger.policy().sha256();
                if (!genesis.equals(pinnedPolicy)) {
                    return VerificationFailure.of(Kind.POLICY_PIN, 0, pinnedPolicy, genesis,
                            "entry 0 (log.genesis): the genesis policy's sha256 is " + genesis
                                    + " but the pinned policy hash is " + pinnedPolicy);
                }
            }
            return null;
        }
    }
}
