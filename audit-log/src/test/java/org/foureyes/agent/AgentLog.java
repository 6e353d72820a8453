package org.foureyes.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyHash;
import org.foureyes.testing.TorExitDriver;
import org.foureyes.testing.TorExitFixtures;

/**
 * The tor-exit log the agent tests serve from their fake host: a {@link TorExitDriver}, plus a
 * clock that agrees with it and hand-forged entries for the attacks.
 */
final class AgentLog extends TorExitDriver {
    static final String ORIGIN = "foureyes.example.org/tor-exit";
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    static final Policy POLICY = TorExitFixtures.torExitPolicy();
    static final String POLICY_SHA = PolicyHash.sha256Hex(POLICY);
    static final SignerKey LOG_KEY = seeded(ORIGIN, 42);

    AgentLog() {
        this(T0);
    }

    /** A log whose first entry is at {@code start}. */
    AgentLog(Instant start) {
        super(ORIGIN, start, LOG_KEY, POLICY);
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

    /** A relay change requested by rene and approved by nora; returns its id. */
    long approvedRelay(String nickname) {
        long id = request("rene", "relay", relay(nickname));
        approve("nora", id);
        return id;
    }

    /** Appends an entry forged by hand (right seq, prev and time) without the ledger. */
    LogEntry forge(EntryType type, String statement, ObjectNode facts) {
        LogEntry e = next(type, statement, facts);
        entries.add(e);
        return e;
    }
}
