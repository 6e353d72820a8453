package org.foureyes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.policy.ChangeState;
import org.foureyes.policy.Policy;
import org.foureyes.testing.TorExitFixtures;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementClaims;
import org.foureyes.statement.StatementSigner;
import org.foureyes.statement.StatementType;
import org.foureyes.statement.WithdrawalClaims;

/**
 * A log of the tor-exit policy under test, driven the way the server drives the ledger: every
 * statement goes through {@link Ledger#decide}, and every draft of every outcome is materialised
 * and passed to {@link Ledger#apply} (which must never throw: that is the property "decide then
 * apply never fails"). Time is the entry time of the next entries; statements are signed at it.
 */
final class TorExitLog {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORIGIN = "foureyes.example.org/tor-exit";
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    static final Path TOR_EXIT = TorExitFixtures.TOR_EXIT;
    static final Policy POLICY = load();
    static final SignerKey LOG_KEY = seeded(ORIGIN, 42);

    final Ledger ledger = new Ledger();
    final List<LogEntry> entries = new ArrayList<>();
    Instant now = T0;

    TorExitLog() {
        this(POLICY);
    }

    TorExitLog(Policy genesisPolicy) {
        append(List.of(Ledger.genesis(ORIGIN, LOG_KEY.verifierKey(), genesisPolicy)));
    }

    private static Policy load() {
        return TorExitFixtures.torExitPolicy();
    }

    static SignerKey seeded(String name, int fill) {
        return TorExitFixtures.seeded(name, fill);
    }

    /** The checked-in test key of a principal of tor-exit.yml, or a registered extra key. */
    static SignerKey key(String name) {
        return TorExitFixtures.key(name);
    }

    static void register(SignerKey k) {
        TorExitFixtures.register(k);
    }

    // ---------------------------------------------------------------- time

    TorExitLog at(Instant t) {
        now = t;
        return this;
    }

    TorExitLog after(Duration d) {
        now = now.plus(d);
        return this;
    }

    // ---------------------------------------------------------------- statements

    static String sign(SignerKey key, Instant iat, StatementClaims claims) {
        try {
            return StatementSigner.of(key, Clock.fixed(iat, ZoneOffset.UTC)).sign(ORIGIN, claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String sign(String who, StatementClaims claims) {
        return sign(key(who), now, claims);
    }

    String requestStatement(String who, String component, JsonNode config, String reason, boolean emergency) {
        Optional<String> base = ledger.component(component).flatMap(ComponentState::configHash);
        return sign(who, new ChangeRequestClaims(component, base, config, reason, emergency));
    }

    String decisionStatement(String who, long change, boolean approve) {
        String sha = ledger.change(change).orElseThrow().requestSha256();
        return sign(who, approve ? DecisionClaims.approve(change, sha) : DecisionClaims.reject(change, sha, "no"));
    }

    String withdrawalStatement(String who, long change) {
        return sign(who, new WithdrawalClaims(change, ledger.change(change).orElseThrow().requestSha256()));
    }

    String reportStatement(String agent, long change, ReportClaims.Status status) {
        ChangeRecord r = ledger.change(change).orElseThrow();
        return sign(agent, new ReportClaims(r.component(), change, r.configSha256(), status, Optional.empty()));
    }

    // ---------------------------------------------------------------- driving the ledger like the server

    /** decide, then materialise and apply every draft; returns the outcome. */
    Outcome submit(String compact, StatementType expected) {
        Outcome o = ledger.decide(compact, expected, now);
        append(o.drafts());
        return o;
    }

    /** Appends drafts as the server would, applying each; any LedgerException fails the test. */
    List<LogEntry> append(List<Draft> drafts) {
        List<LogEntry> out = new ArrayList<>();
        for (Draft d : drafts) {
            LogEntry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
            LogEntry e = d.materialise(entries.size(), now, last == null ? LogEntry.GENESIS_PREV : last.leafHash());
            try {
                ledger.apply(e);
            } catch (LedgerException ex) {
                throw new AssertionError("decide() produced an entry that apply() refuses: " + ex.getMessage()
                        + "\n" + e, ex);
            }
            entries.add(e);
            out.add(e);
        }
        return out;
    }

    /** A change request that must be accepted; returns the change id. */
    long request(String who, String component, JsonNode config) {
        return request(who, component, config, false);
    }

    long request(String who, String component, JsonNode config, boolean emergency) {
        long first = entries.size();
        Outcome o = submit(requestStatement(who, component, config, "because", emergency), StatementType.CHANGE_REQUEST);
        assertThat(o).as("request by %s: %s", who, o).isInstanceOf(Outcome.Accepted.class);
        return ((Outcome.Accepted) o).result().change(first);
    }

    Outcome decide(String who, long change, boolean approve) {
        return submit(decisionStatement(who, change, approve), StatementType.DECISION);
    }

    Outcome approve(String who, long change) {
        Outcome o = decide(who, change, true);
        assertThat(o).as("approval by %s: %s", who, o).isInstanceOf(Outcome.Accepted.class);
        return o;
    }

    Outcome report(String agent, long change, ReportClaims.Status status) {
        return submit(reportStatement(agent, change, status), StatementType.REPORT);
    }

    Outcome withdraw(String who, long change) {
        return submit(withdrawalStatement(who, change), StatementType.WITHDRAWAL);
    }

    List<LogEntry> expireDue() {
        return append(ledger.expireDue(now));
    }

    ChangeState state(long change) {
        return ledger.change(change).orElseThrow().state();
    }

    LogEntry last() {
        return entries.get(entries.size() - 1);
    }

    List<String> types() {
        return entries.stream().map(LogEntry::type).toList();
    }

    /** The entry that would come next, forged by hand: right seq, prev and time, anything else as given. */
    LogEntry forge(EntryType type, String statement, ObjectNode facts) {
        return LogEntry.create(entries.size(), now, last().leafHash(), type, statement, facts);
    }

    /** This log's entries plus more. */
    List<LogEntry> with(LogEntry... more) {
        List<LogEntry> all = new ArrayList<>(entries);
        all.addAll(List.of(more));
        return all;
    }

    /** Replaying the whole log from scratch gives the same state as the ledger that was built entry by entry. */
    void assertReplayAgrees() throws LedgerException {
        Ledger replayed = Ledger.replay(entries);
        assertThat(replayed.size()).isEqualTo(ledger.size());
        assertThat(replayed.policy().sha256()).isEqualTo(ledger.policy().sha256());
        assertThat(replayed.changes(null, null)).map(ChangeRecord::toString)
                .containsExactlyElementsOf(ledger.changes(null, null).stream().map(ChangeRecord::toString).toList());
        assertThat(replayed.components()).containsExactlyElementsOf(ledger.components());
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

    static String sha(JsonNode config) {
        return ConfigHash.sha256Hex(config);
    }
}
