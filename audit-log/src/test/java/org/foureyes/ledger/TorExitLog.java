package org.foureyes.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.policy.ChangeState;
import org.foureyes.policy.Policy;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.StatementClaims;
import org.foureyes.testing.TorExitDriver;
import org.foureyes.testing.TorExitFixtures;

/**
 * The tor-exit log of the ledger tests: a {@link TorExitDriver} (which must never see apply refuse
 * what decide produced: that is the property "decide then apply never fails"), plus the checks
 * that replaying the entries gives the same ledger and hand-forged entries for the attacks.
 */
final class TorExitLog extends TorExitDriver {
    static final String ORIGIN = "foureyes.example.org/tor-exit";
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    static final Policy POLICY = TorExitFixtures.torExitPolicy();
    static final SignerKey LOG_KEY = seeded(ORIGIN, 42);

    TorExitLog() {
        this(POLICY);
    }

    TorExitLog(Policy genesisPolicy) {
        super(ORIGIN, T0, LOG_KEY, genesisPolicy);
    }

    static void register(SignerKey k) {
        TorExitFixtures.register(k);
    }

    static String sign(SignerKey key, Instant iat, StatementClaims claims) {
        return sign(ORIGIN, key, iat, claims);
    }

    ChangeState state(long change) {
        return ledger.change(change).orElseThrow().state();
    }

    List<String> types() {
        return entries.stream().map(LogEntry::type).toList();
    }

    /** The entry that would come next, forged by hand: right seq, prev and time, anything else as given. */
    LogEntry forge(EntryType type, String statement, ObjectNode facts) {
        return next(type, statement, facts);
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

    static String sha(JsonNode config) {
        return ConfigHash.sha256Hex(config);
    }
}
