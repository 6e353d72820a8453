package org.foureyes.auditlog.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.foureyes.auditlog.ChainException;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.InMemoryLogStore;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.export.LogExporter;
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.ledger.ComponentState;
import org.foureyes.ledger.Draft;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.LedgerException;
import org.foureyes.ledger.Outcome;
import org.foureyes.policy.Policy;
import org.foureyes.testing.TorExitFixtures;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementClaims;
import org.foureyes.statement.StatementSigner;
import org.foureyes.statement.StatementType;

/**
 * A real tor-exit log for verifier tests, driven like the server drives the ledger (statements
 * through {@link Ledger#decide}, drafts materialised and applied), with the principals' checked-in
 * test keys, a log key, and exports. {@link #forged} writes an export of other entries, re-chained
 * and re-signed by the same log key: what a compromised host could produce.
 */
final class FlowLog {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORIGIN = "foureyes.example.org/tor-exit";
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    static final Policy POLICY = load();
    static final SignerKey LOG_KEY = seeded(ORIGIN, 42);
    final Ledger ledger = new Ledger();
    final List<LogEntry> entries = new ArrayList<>();
    Instant now = T0;

    FlowLog() {
        append(List.of(Ledger.genesis(ORIGIN, LOG_KEY.verifierKey(), POLICY)));
    }

    private static Policy load() {
        return TorExitFixtures.torExitPolicy();
    }

    static SignerKey seeded(String name, int fill) {
        return TorExitFixtures.seeded(name, fill);
    }

    static SignerKey key(String name) {
        return TorExitFixtures.key(name);
    }

    FlowLog after(Duration d) {
        now = now.plus(d);
        return this;
    }

    static String sign(SignerKey key, Instant iat, StatementClaims claims) {
        try {
            return StatementSigner.of(key, Clock.fixed(iat, ZoneOffset.UTC)).sign(ORIGIN, claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Outcome submit(String compact, StatementType expected) {
        Outcome o = ledger.decide(compact, expected, now);
        append(o.drafts());
        return o;
    }

    void append(List<Draft> drafts) {
        for (Draft d : drafts) {
            LogEntry e = d.materialise(entries.size(), now, entries.isEmpty() ? LogEntry.GENESIS_PREV : last().leafHash());
            try {
                ledger.apply(e);
            } catch (LedgerException ex) {
                throw new AssertionError(ex.getMessage(), ex);
            }
            entries.add(e);
        }
    }

    String requestStatement(String who, String component, JsonNode config, boolean emergency) {
        Optional<String> base = ledger.component(component).flatMap(ComponentState::configHash);
        return sign(key(who), now, new ChangeRequestClaims(component, base, config, "because " + who + " said so",
                emergency));
    }

    long request(String who, String component, JsonNode config) {
        return request(who, component, config, false);
    }

    long request(String who, String component, JsonNode config, boolean emergency) {
        long first = entries.size();
        Outcome o = submit(requestStatement(who, component, config, emergency), StatementType.CHANGE_REQUEST);
        if (!(o instanceof Outcome.Accepted a)) {
            throw new AssertionError("request refused: " + o);
        }
        return a.result().change(first);
    }

    String decisionStatement(SignerKey key, long change, boolean approve) {
        String sha = ledger.change(change).orElseThrow().requestSha256();
        return sign(key, now, approve ? DecisionClaims.approve(change, sha) : DecisionClaims.reject(change, sha, "no"));
    }

    void approve(String who, long change) {
        Outcome o = submit(decisionStatement(key(who), change, true), StatementType.DECISION);
        if (!(o instanceof Outcome.Accepted)) {
            throw new AssertionError("approval refused: " + o);
        }
    }

    void applied(String agent, long change) {
        ChangeRecord r = ledger.change(change).orElseThrow();
        Outcome o = submit(sign(key(agent), now, new ReportClaims(r.component(), change, r.configSha256(),
                ReportClaims.Status.APPLIED, Optional.empty())), StatementType.REPORT);
        if (!(o instanceof Outcome.Accepted)) {
            throw new AssertionError("report refused: " + o);
        }
    }

    LogEntry last() {
        return entries.get(entries.size() - 1);
    }

    /** The entry that would come next, with any content. */
    LogEntry next(EntryType type, String statement, ObjectNode facts) {
        return LogEntry.create(entries.size(), now, last().leafHash(), type, statement, facts);
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

    // ---------------------------------------------------------------- configurations

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode relay(String nickname) {
        return json("{\"nickname\":\"" + nickname + "\",\"contact\":\"ops@example.org\","
                + "\"exit_policy\":[\"accept *:443\",\"reject *:*\"],\"exit_tos\":32,"
                + "\"outbound_bind_address_exit\":\"192.0.2.10\",\"outbound_bind_address_or\":\"192.0.2.11\"}");
    }

    static ObjectNode monitor(boolean capture) {
        return json("{\"capture\":{\"enabled\":" + capture + ",\"interface\":\"mirror0\",\"exit_tos\":32,"
                + "\"filter\":\"ip[1] & 0xfc == 32\"},\"record\":{\"fields\":[\"dst_port\",\"asn\",\"country\"],"
                + "\"bucket_minutes\":60,\"retention_days\":30}}");
    }

    static ObjectNode switchConfig(boolean mirror) {
        return json("{\"mirror\":{\"enabled\":" + mirror + ",\"sessions\":[{\"name\":\"exit\",\"source\":\"swp1\","
                + "\"direction\":\"ingress\",\"destination\":\"swp8\"}]},\"firewall\":{\"default\":\"accept\","
                + "\"rules\":[]}}");
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
