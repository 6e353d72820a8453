package org.foureyes.auditlog.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.ChainException;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.InMemoryLogStore;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.export.LogExporter;
import org.foureyes.policy.Policy;
import org.foureyes.statement.StatementClaims;
import org.foureyes.testing.TorExitDriver;
import org.foureyes.testing.TorExitFixtures;

/**
 * A real tor-exit log for verifier tests (a {@link TorExitDriver}), with a log key and exports.
 * {@link #forged} writes an export of other entries, re-chained and re-signed by the same log key:
 * what a compromised host could produce.
 */
final class FlowLog extends TorExitDriver {
    static final String ORIGIN = "foureyes.example.org/tor-exit";
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    static final Policy POLICY = TorExitFixtures.torExitPolicy();
    static final SignerKey LOG_KEY = seeded(ORIGIN, 42);

    FlowLog() {
        super(ORIGIN, T0, LOG_KEY, POLICY);
    }

    static String sign(SignerKey key, Instant iat, StatementClaims claims) {
        return sign(ORIGIN, key, iat, claims);
    }

    /** The verifier tests' requests name their author in the reason. */
    @Override
    protected String requestReason(String who) {
        return "because " + who + " said so";
    }

    // ---------------------------------------------------------------- exports

    InMemoryLogStore store() {
        return store(entries);
    }

    static InMemoryLogStore store(List<LogEntry> es) {
        InMemoryLogStore s = new InMemoryLogStore();
        try {
            for (LogEntry e : es) {
                s.append(e);
            }
        } catch (ChainException e) {
            throw new IllegalStateException(e);
        }
        return s;
    }

    String checkpoint() {
        InMemoryLogStore s = store();
        return SignedCheckpoint.sign(Checkpoint.of(ORIGIN, s.size(), s.root()), LOG_KEY);
    }

    Path export(Path dir) throws IOException {
        return export(dir, entries);
    }

    /** An export of {@code es} as given (they must chain), signed by the log key. */
    static Path export(Path dir, List<LogEntry> es) throws IOException {
        InMemoryLogStore s = store(es);
        String cp = SignedCheckpoint.sign(Checkpoint.of(ORIGIN, s.size(), s.root()), LOG_KEY);
        LogExporter.export(dir, es.stream().map(LogEntry::bytes).iterator(), cp, LOG_KEY.verifierKey());
        return dir;
    }

    /** {@code es} re-chained from entry 0 (seq, prev recomputed; time, type, statement, facts kept), exported, signed. */
    static Path forged(Path dir, List<LogEntry> es) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        byte[] prev = LogEntry.GENESIS_PREV;
        for (LogEntry e : es) {
            LogEntry c = LogEntry.create(out.size(), e.time(), prev, e.entryType(), e.statement().orElse(null),
                    e.facts());
            out.add(c);
            prev = c.leafHash();
        }
        return export(dir, out);
    }

    /** A log with one ordinary change applied on each of relay, switch and monitor, and one pending. */
    static FlowLog ordinary() {
        FlowLog log = new FlowLog();
        long relay = log.request("rene", "relay", relay("exit1"));
        log.after(Duration.ofMinutes(3)).approve("nora", relay);
        log.after(Duration.ofMinutes(10)).applied("agent-relay", relay);
        long sw = log.request("nora", "switch", switchConfig(true));
        log.after(Duration.ofMinutes(1)).approve("anna", sw);
        log.after(Duration.ofMinutes(2)).applied("agent-switch", sw);
        long mon = log.request("anna", "monitor", monitor(true));
        log.after(Duration.ofMinutes(1)).approve("rene", mon);
        log.after(Duration.ofMinutes(2)).applied("agent-monitor", mon);
        log.after(Duration.ofMinutes(5)).request("rene", "relay", relay("exit2"));
        return log;
    }
}
