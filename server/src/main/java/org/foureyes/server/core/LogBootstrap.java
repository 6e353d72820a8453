package org.foureyes.server.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.lifecycle.Managed;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.foureyes.auditlog.EntryFormatException;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.server.api.Receipt;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredCheckpoint;
import org.foureyes.server.db.StoredEntry;
import org.foureyes.server.db.StorageCorruptException;
import org.foureyes.server.db.StoredTreeCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start (after the appender): writes the genesis entry into an empty log, or checks that an
 * existing log belongs to this origin and key. Refuses to start otherwise, because serving or
 * extending another log's history under this key would be a fork.
 */
public final class LogBootstrap implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(LogBootstrap.class);

    /** The initial policy for the genesis entry: its JSON document and hex SHA-256. */
    public record InitialPolicy(JsonNode document, String sha256Hex) {
    }

    private final JdbiLogStore store;
    private final LogAppender appender;
    private final CheckpointSigner signer;
    private final Supplier<InitialPolicy> policy;

    /**
     * @param policy read only if the log is empty, so that a running log does not depend on the
     *     policy file any more (its policy is in the log)
     */
    public LogBootstrap(JdbiLogStore store, LogAppender appender, CheckpointSigner signer,
            Supplier<InitialPolicy> policy) {
        this.store = store;
        this.appender = appender;
        this.signer = signer;
        this.policy = policy;
    }

    @Override
    public void start() throws Exception {
        SignerHighWaterMark mark = signer.highWaterMark().orElse(null);
        if (store.size() == 0) {
            if (mark != null) {
                // A recreated database with a key that has signed before: a new genesis would fork.
                mark.check(0, null, s -> {
                    throw new IllegalStateException("the log is empty");
                });
            }
            InitialPolicy p = policy.get();
            try {
                Receipt r = appender.append(Genesis.draft(signer.origin(), signer.verifierKey(), p.document(),
                        p.sha256Hex())).get(60, TimeUnit.SECONDS);
                LOG.info("started a new log {}: genesis entry written, policy sha256 {}", signer.origin(), p.sha256Hex());
                LOG.debug("genesis receipt {}", r);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof EntryRefusedException)) {
                    throw new IllegalStateException("cannot write the genesis entry: " + e.getCause().getMessage(),
                            e.getCause());
                }
                LOG.info("another instance wrote the genesis entry first");
            }
        }
        StoredCheckpoint latest = checkOwnLog();
        if (mark != null) {
            checkMark(mark, latest);
        }
    }

    /** Refuses to start on a database behind or beside what the key signed; adopts a log without a mark. */
    private void checkMark(SignerHighWaterMark mark, StoredCheckpoint latest) {
        SignerHighWaterMark.Verdict v = mark.check(latest.size(), latest.rootHash(), store::root);
        switch (v) {
            case NO_MARK -> LOG.info("signer high-water mark {} created at size {}", mark.file(), latest.size());
            case UNCOMMITTED -> LOG.warn("the last checkpoint this key signed (size {}) was never committed (the"
                    + " server stopped between signing and committing); the log continues from size {}",
                    mark.current().map(SignerHighWaterMark.Mark::size).orElse(0L), latest.size());
            default -> {
            }
        }
        if (v != SignerHighWaterMark.Verdict.AHEAD) {
            mark.confirm(latest.size(), latest.rootHash());
        }
    }

    private StoredCheckpoint checkOwnLog() {
        List<StoredEntry> first = store.entries(0, 1);
        if (first.isEmpty()) {
            throw new IllegalStateException("the log has no genesis entry after start");
        }
        LogEntry genesis;
        try {
            genesis = LogEntry.parse(first.get(0).entry());
        } catch (EntryFormatException e) {
            throw new IllegalStateException("entry 0 of the stored log is malformed: " + e.getMessage(), e);
        }
        String origin = genesis.facts().path("origin").asText();
        String key = genesis.facts().path("log_key").asText();
        if (genesis.entryType() != EntryType.LOG_GENESIS || !origin.equals(signer.origin())
                || !key.equals(signer.verifierKey().toString())) {
            throw new IllegalStateException("the database holds the log " + origin + " with log key " + key
                    + ", but this server is configured for " + signer.origin() + " with key "
                    + signer.verifierKey() + ". Point database.url at this log's database, or log.keyFile and"
                    + " log.origin at the key of the stored log.");
        }
        StoredCheckpoint latest = store.latestCheckpoint().orElseThrow(
                () -> new IllegalStateException("the log has entries but no signed checkpoint"));
        try {
            SignedCheckpoint.open(latest.note(), signer.verifierKey());
        } catch (Exception e) {
            throw new IllegalStateException("the latest stored checkpoint (size " + latest.size()
                    + ") does not verify under the configured log key: " + e.getMessage(), e);
        }
        try {
            long t0 = System.nanoTime();
            StoredTreeCheck.verify(store.jdbi(), latest.size(), latest.rootHash());
            LOG.info("stored tree of {} entries checked against the signed root in {} ms", latest.size(),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (StorageCorruptException e) {
            throw new IllegalStateException("refusing to start: " + e.getMessage() + ". Proofs built from the"
                    + " stored hashes would not verify, and extending the tree would sign over them. Restore the"
                    + " database from a backup that holds this checkpoint (size " + latest.size() + ") or later.", e);
        }
        LOG.info("log {} at size {}, verifier key {}", signer.origin(), latest.size(), signer.verifierKey());
        return latest;
    }

    @Override
    public void stop() {
    }
}
