package org.foureyes.agent;

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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.ledger.ComponentState;
import org.foureyes.ledger.Draft;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.LedgerException;
import org.foureyes.ledger.Outcome;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyHash;
import org.foureyes.testing.TorExitFixtures;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.StatementClaims;
import org.foureyes.statement.StatementSigner;
import org.foureyes.statement.StatementType;

/**
 * A real log of the tor-exit policy, built the way the server builds it (decide, materialise,
 * apply), plus hand-forged entries for the attacks. Time is {@link #now}; statements are signed at it.
 */
final class AgentLog {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORIGIN = "foureyes.example.org/tor-exit";
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    static final Policy POLICY = load();
    static final String POLICY_SHA = PolicyHash.sha256Hex(POLICY);
    static final SignerKey LOG_KEY = seeded(ORIGIN, 42);
    final Ledger ledger = new Ledger();
    final List<LogEntry> entries = new ArrayList<>();
    Instant now = T0;

    AgentLog() {
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

    /** A clock that reads this log's time: the agent's machine clock agrees with the log. */
    Clock clock() {
        AgentLog self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return self.now;
            }
        };
    }

    AgentLog after(Duration d) {
        now = now.plus(d);
        return this;
    }

    String sign(String who, StatementClaims claims) {
        try {
            return StatementSigner.of(key(who), Clock.fixed(now, ZoneOffset.UTC)).sign(ORIGIN, claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String requestStatement(String who, String component, JsonNode config) {
        Optional<String> base = ledger.component(component).flatMap(ComponentState::configHash);
        return sign(who, new ChangeRequestClaims(component, base, config, "because", false));
    }

    String decisionStatement(String who, long change) {
        String sha = ledger.change(change).orElseThrow().requestSha256();
        return sign(who, DecisionClaims.approve(change, sha));
    }

    Outcome submit(String compact, StatementType expected) {
        Outcome o = ledger.decide(compact, expected, now);
        append(o.drafts());
        return o;
    }

    List<LogEntry> append(List<Draft> drafts) {
        List<LogEntry> out = new ArrayList<>();
        for (Draft d : drafts) {
            LogEntry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
            LogEntry e = d.materialise(entries.size(), now, last == null ? LogEntry.GENESIS_PREV : last.leafHash());
            try {
                ledger.apply(e);
            } catch (LedgerException ex) {
                throw new AssertionError("decide() produced an entry that apply() refuses: " + ex.getMessage(), ex);
            }
            entries.add(e);
            out.add(e);
        }
        return out;
    }

    long request(String who, String component, JsonNode config) {
        long first = entries.size();
        Outcome o = submit(requestStatement(who, component, config), StatementType.CHANGE_REQUEST);
        assertThat(o).as("request by %s: %s", who, o).isInstanceOf(Outcome.Accepted.class);
        return ((Outcome.Accepted) o).result().change(first);
    }

    void approve(String who, long change) {
        Outcome o = submit(decisionStatement(who, change), StatementType.DECISION);
        assertThat(o).as("approval by %s: %s", who, o).isInstanceOf(Outcome.Accepted.class);
    }

    /** A relay change requested by rene and approved by nora; returns its id. */
    long approvedRelay(String nickname) {
        long id = request("rene", "relay", relay(nickname));
        approve("nora", id);
        return id;
    }

    /** Appends an entry forged by hand (right seq, prev and time) without the ledger. */
    LogEntry forge(EntryType type, String statement, ObjectNode facts) {
        LogEntry last = entries.get(entries.size() - 1);
        LogEntry e = LogEntry.create(entries.size(), now, last.leafHash(), type, statement, facts);
        entries.add(e);
        return e;
    }

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
}
