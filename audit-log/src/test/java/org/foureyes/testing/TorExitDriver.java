package org.foureyes.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.ledger.ComponentState;
import org.foureyes.ledger.Draft;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.LedgerException;
import org.foureyes.ledger.Outcome;
import org.foureyes.policy.Policy;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementClaims;
import org.foureyes.statement.StatementSigner;
import org.foureyes.statement.StatementType;
import org.foureyes.statement.WithdrawalClaims;

/**
 * A real log of the tor-exit policy, driven the way the server drives the ledger: every statement
 * goes through {@link Ledger#decide}, and every draft of every outcome is materialised (seq, time,
 * prev) and passed to {@link Ledger#apply}, which must never refuse what decide produced.
 *
 * <p>Statements are signed with the principals' test keys ({@link TorExitFixtures#key}) at
 * {@link #now}, which is also the time of the next entries; {@link #at} and {@link #after} move it.
 * The ledger, the entries and the time are public fields because tests read them directly.
 *
 * <p>This is the common core of the harnesses of the ledger, verifier and agent tests, which
 * extend it with what only they need (replay checks, exports, forged entries, an agent clock).
 */
public class TorExitDriver {
    public static final ObjectMapper JSON = new ObjectMapper();

    public final Ledger ledger = new Ledger();
    /** Every entry appended so far, genesis first. */
    public final List<LogEntry> entries = new ArrayList<>();
    /** The time statements are signed at and new entries carry. */
    public Instant now;

    private final String origin;

    /** A log of {@code origin} that starts at {@code t0} with a genesis entry for {@code genesisPolicy}. */
    public TorExitDriver(String origin, Instant t0, SignerKey logKey, Policy genesisPolicy) {
        this.origin = origin;
        this.now = t0;
        append(List.of(Ledger.genesis(origin, logKey.verifierKey(), genesisPolicy)));
    }

    /** The checked-in test key of a principal of tor-exit.yml, or a registered extra key. */
    public static SignerKey key(String name) {
        return TorExitFixtures.key(name);
    }

    public static SignerKey seeded(String name, int fill) {
        return TorExitFixtures.seeded(name, fill);
    }

    // ---------------------------------------------------------------- time

    public TorExitDriver at(Instant t) {
        now = t;
        return this;
    }

    public TorExitDriver after(Duration d) {
        now = now.plus(d);
        return this;
    }

    // ---------------------------------------------------------------- statements

    /** A statement for {@code origin} signed by {@code key} with {@code iat} as its signing time. */
    public static String sign(String origin, SignerKey key, Instant iat, StatementClaims claims) {
        try {
            return StatementSigner.of(key, Clock.fixed(iat, ZoneOffset.UTC)).sign(origin, claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A statement signed by {@code who}'s test key now. */
    public String sign(String who, StatementClaims claims) {
        return sign(origin, key(who), now, claims);
    }

    /** A change request based on the component's current config. */
    public String requestStatement(String who, String component, JsonNode config, String reason, boolean emergency) {
        Optional<String> base = ledger.component(component).flatMap(ComponentState::configHash);
        return sign(who, new ChangeRequestClaims(component, base, config, reason, emergency));
    }

    public String decisionStatement(String who, long change, boolean approve) {
        String sha = ledger.change(change).orElseThrow().requestSha256();
        return sign(who, approve ? DecisionClaims.approve(change, sha) : DecisionClaims.reject(change, sha, "no"));
    }

    public String withdrawalStatement(String who, long change) {
        return sign(who, new WithdrawalClaims(change, ledger.change(change).orElseThrow().requestSha256()));
    }

    public String reportStatement(String agent, long change, ReportClaims.Status status) {
        ChangeRecord r = ledger.change(change).orElseThrow();
        return sign(agent, new ReportClaims(r.component(), change, r.configSha256(), status, Optional.empty()));
    }

    /** The reason {@link #request} gives; a harness may vary it (it is part of the signed statement). */
    protected String requestReason(String who) {
        return "because";
    }

    // ---------------------------------------------------------------- driving the ledger like the server

    /** decide, then materialise and apply every draft; returns the outcome. */
    public Outcome submit(String compact, StatementType expected) {
        Outcome o = ledger.decide(compact, expected, now);
        append(o.drafts());
        return o;
    }

    /** Appends drafts as the server would, applying each; an apply that refuses fails the test. */
    public List<LogEntry> append(List<Draft> drafts) {
        List<LogEntry> out = new ArrayList<>();
        for (Draft d : drafts) {
            LogEntry e = d.materialise(entries.size(), now, entries.isEmpty() ? LogEntry.GENESIS_PREV : last().leafHash());
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
    public long request(String who, String component, JsonNode config) {
        return request(who, component, config, false);
    }

    public long request(String who, String component, JsonNode config, boolean emergency) {
        long first = entries.size();
        Outcome o = submit(requestStatement(who, component, config, requestReason(who), emergency),
                StatementType.CHANGE_REQUEST);
        return accepted("request by " + who, o).result().change(first);
    }

    public Outcome decide(String who, long change, boolean approve) {
        return submit(decisionStatement(who, change, approve), StatementType.DECISION);
    }

    /** An approval that must be accepted. */
    public Outcome approve(String who, long change) {
        return accepted("approval by " + who, decide(who, change, true));
    }

    public Outcome withdraw(String who, long change) {
        return submit(withdrawalStatement(who, change), StatementType.WITHDRAWAL);
    }

    public Outcome report(String agent, long change, ReportClaims.Status status) {
        return submit(reportStatement(agent, change, status), StatementType.REPORT);
    }

    /** A report of the change applied that must be accepted. */
    public Outcome applied(String agent, long change) {
        return accepted("report by " + agent, report(agent, change, ReportClaims.Status.APPLIED));
    }

    /** Appends what the ledger says has expired by now. */
    public List<LogEntry> expireDue() {
        return append(ledger.expireDue(now));
    }

    private static Outcome.Accepted accepted(String what, Outcome o) {
        if (!(o instanceof Outcome.Accepted a)) {
            throw new AssertionError(what + " refused: " + o);
        }
        return a;
    }

    public LogEntry last() {
        return entries.get(entries.size() - 1);
    }

    /** The entry that would come next, forged by hand: right seq, prev and time, anything else as given. */
    public LogEntry next(EntryType type, String statement, ObjectNode facts) {
        return LogEntry.create(entries.size(), now, last().leafHash(), type, statement, facts);
    }

    // ---------------------------------------------------------------- configurations of the tor-exit components

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode relay(String nickname) {
        return json("{\"nickname\":\"" + nickname + "\",\"contact\":\"ops@example.org\","
                + "\"exit_policy\":[\"accept *:443\",\"reject *:*\"],\"exit_tos\":32,"
                + "\"outbound_bind_address_exit\":\"192.0.2.10\",\"outbound_bind_address_or\":\"192.0.2.11\"}");
    }

    public static ObjectNode monitor(boolean capture) {
        return json("{\"capture\":{\"enabled\":" + capture + ",\"interface\":\"mirror0\",\"exit_tos\":32},"
                + "\"record\":{\"fields\":[\"dst_port\",\"asn\",\"country\"],"
                + "\"bucket_minutes\":60,\"retention_days\":30}}");
    }

    public static ObjectNode switchConfig(boolean mirror) {
        return json("{\"mirror\":{\"enabled\":" + mirror + ",\"sessions\":[{\"name\":\"exit\",\"source\":\"swp1\","
                + "\"direction\":\"ingress\",\"destination\":\"swp8\"}]},\"firewall\":{\"default\":\"accept\","
                + "\"rules\":[]}}");
    }
}
