package org.foureyes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.ledger.TorExitLog.relay;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.policy.ChangeState;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementType;
import org.junit.jupiter.api.Test;

/** The verifying replay: a log the server could not have written honestly is refused, naming the entry. */
class LedgerReplayTest {

    static ObjectNode facts(long change, String state) {
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("change", change);
        f.put("state", state);
        return f;
    }

    static void assertRefused(List<LogEntry> log, String message) {
        assertThatThrownBy(() -> Ledger.replay(log)).isInstanceOf(LedgerException.class).hasMessage(message);
    }

    static void assertRefusedContaining(List<LogEntry> log, String... parts) {
        assertThatThrownBy(() -> Ledger.replay(log)).isInstanceOf(LedgerException.class).hasMessageContainingAll(parts);
    }

    /** genesis, then change 1: rene asks for a relay configuration. */
    static TorExitLog requested() {
        TorExitLog log = new TorExitLog();
        log.request("rene", "relay", relay("exit1"));
        return log;
    }

    @Test
    void forgedDecision_byPrincipalWithoutApproveRight_refused() {
        TorExitLog log = requested();
        String sha = log.ledger.change(1).orElseThrow().requestSha256();
        String byAgent = TorExitLog.sign(TorExitLog.key("agent-relay"), log.now, DecisionClaims.approve(1, sha));
        assertRefused(log.with(log.forge(EntryType.CHANGE_DECIDED, byAgent, facts(1, "approved"))),
                "entry 2 (change.decided): the ledger refuses its statement (no-right): change 1: agent-relay (roles:"
                        + " relay-agent) holds no role with the approve right on relay");
    }

    @Test
    void forgedDecision_signedWithKeyNotInPolicy_refused() {
        TorExitLog log = requested();
        String sha = log.ledger.change(1).orElseThrow().requestSha256();
        SignerKey fakeNora = TorExitLog.seeded("nora", 99);
        String forged = TorExitLog.sign(fakeNora, log.now, DecisionClaims.approve(1, sha));
        assertRefusedContaining(log.with(log.forge(EntryType.CHANGE_DECIDED, forged, facts(1, "approved"))),
                "entry 2 (change.decided): the ledger refuses its statement (unknown-key): kid \"nora+");
    }

    @Test
    void forgedDecision_factsClaimApprovedTooEarly_refusedWithExplanation() {
        TorExitLog log = new TorExitLog();
        ObjectNode doc = TorExitLog.POLICY.document().deepCopy();
        doc.put("description", "reworded");
        long p = log.request("rene", "policy", doc);
        String approval = log.decisionStatement("nora", p, true);
        assertRefused(log.with(log.forge(EntryType.CHANGE_DECIDED, approval, facts(p, "approved"))),
                "entry 2 (change.decided): facts.state is \"approved\" but the policy in force gives \"requested\":"
                        + " approved by nora (network-operator); needs 1 more approval from relay-operator,"
                        + " network-operator or analyst");
    }

    @Test
    void missingPolicyActivation_laterEntryOfAnotherKind_refused() {
        TorExitLog log = new TorExitLog();
        ObjectNode doc = TorExitLog.POLICY.document().deepCopy();
        doc.put("description", "reworded");
        long p = log.request("rene", "policy", doc);
        log.approve("nora", p);
        Outcome o = log.ledger.decide(log.decisionStatement("anna", p, true), StatementType.DECISION, log.now);
        assertThat(o.drafts()).extracting(Draft::type).containsExactly(EntryType.CHANGE_DECIDED, EntryType.POLICY_ACTIVATED);
        List<LogEntry> forged = new ArrayList<>(log.entries);
        LogEntry decided = o.drafts().get(0).materialise(forged.size(), log.now, log.last().leafHash());
        forged.add(decided);
        String request = log.requestStatement("rene", "relay", relay("exit1"), "sneaked in", false);
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("change", forged.size());
        f.put("component", "relay");
        f.put("state", "requested");
        forged.add(LogEntry.create(forged.size(), log.now, decided.leafHash(), EntryType.CHANGE_REQUESTED, request, f));
        assertRefused(forged, "entry 4 (change.requested): a policy.activated entry for change 1 is owed here (the"
                + " entries a policy activation or an applied change makes owed follow it at once), found change.requested");
        // the log that ends right after the approval is a prefix: it replays, and owes the activation
        forged.remove(forged.size() - 1);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> {
            Ledger l = Ledger.replay(forged);
            assertThat(l.owed()).extracting(Draft::type).containsExactly(EntryType.POLICY_ACTIVATED);
            assertThatThrownBy(() -> l.expireDue(log.now)).isInstanceOf(IllegalStateException.class);
        })).isNull();
    }

    @Test
    void replayedJti_sameStatementTwice_refused() {
        TorExitLog log = requested();
        log.request("rene", "relay", relay("exit2"));
        String approval = log.decisionStatement("nora", 1, true);
        log.submit(approval, StatementType.DECISION);
        assertRefusedContaining(log.with(log.forge(EntryType.CHANGE_DECIDED, approval, facts(1, "approved"))),
                "entry 4 (change.decided): the ledger refuses its statement (replayed): jti \"",
                "is already in the log; a statement is accepted once");
    }

    @Test
    void decisionAfterPendingExpiry_refused() {
        TorExitLog log = requested();
        log.after(Duration.ofDays(7).plusMinutes(1));
        String late = log.decisionStatement("nora", 1, true);
        assertRefused(log.with(log.forge(EntryType.CHANGE_DECIDED, late, facts(1, "approved"))),
                "entry 2 (change.decided): the ledger refuses its statement (pending-expired): change 1 expired at"
                        + " 2026-12-02T08:00:00Z (pending_ttl PT168H after its request's iat 2026-11-25T08:00:00Z), and"
                        + " the decision was signed at 2026-12-02T08:01:00Z; the change must be requested again");
    }

    @Test
    void appliedReport_ofChangeWithStaleBaseWhileSupersessionOwed_refused() {
        TorExitLog log = requested();
        log.request("rene", "relay", relay("exit2"));
        log.approve("nora", 1);
        log.approve("anna", 2);
        Outcome o = log.ledger.decide(log.reportStatement("agent-relay", 1, ReportClaims.Status.APPLIED),
                StatementType.REPORT, log.now);
        List<LogEntry> forged = new ArrayList<>(log.entries);
        LogEntry reported = o.drafts().get(0).materialise(forged.size(), log.now, log.last().leafHash());
        forged.add(reported);
        String second = log.reportStatement("agent-relay", 2, ReportClaims.Status.APPLIED);
        forged.add(LogEntry.create(forged.size(), log.now, reported.leafHash(), EntryType.CHANGE_REPORTED, second,
                facts(2, "applied")));
        assertRefused(forged, "entry 6 (change.reported): a change.superseded entry for change 2 is owed here (the"
                + " entries a policy activation or an applied change makes owed follow it at once), found change.reported");
    }

    @Test
    void expiryEntry_beforeItsTime_refused() {
        TorExitLog log = requested();
        log.after(Duration.ofDays(1));
        ObjectNode f = facts(1, "expired");
        f.put("reason", "pending_ttl PT168H ran out at 2026-12-02T08:00:00Z before the change was approved");
        assertRefused(log.with(log.forge(EntryType.CHANGE_EXPIRED, null, f)),
                "entry 2 (change.expired): change 1 is requested and does not expire before 2026-12-02T08:00:00Z"
                        + " (pending_ttl), but the entry's time is 2026-11-26T08:00:00Z");
    }

    @Test
    void statementRefused_thatThePolicyAccepts_refused() {
        TorExitLog log = requested();
        String fine = log.decisionStatement("nora", 1, true);
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("reason", "nora holds no role with the approve right on relay");
        f.put("problem", "no-right");
        f.put("expected", StatementType.DECISION.typ());
        assertRefused(log.with(log.forge(EntryType.STATEMENT_REFUSED, fine, f)),
                "entry 2 (statement.refused): the statement is logged as refused, but the policy in force accepts it"
                        + " (as a change.decided entry with state \"approved\": approved by nora (network-operator))");
    }

    @Test
    void statementRefused_withAnotherReason_refused() {
        TorExitLog log = requested();
        String self = log.decisionStatement("rene", 1, true);
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("reason", "rene is on holiday");
        f.put("problem", "self-approval");
        f.put("expected", StatementType.DECISION.typ());
        assertRefused(log.with(log.forge(EntryType.STATEMENT_REFUSED, self, f)),
                "entry 2 (statement.refused): facts.reason is \"rene is on holiday\" but the ledger derives"
                        + " \"change 1: rene may not approve their own change\"");
    }

    @Test
    void statementRefused_notAuthentic_leavesNoTrace() {
        TorExitLog log = requested();
        String sha = log.ledger.change(1).orElseThrow().requestSha256();
        String forged = TorExitLog.sign(TorExitLog.seeded("mallory", 5), log.now, DecisionClaims.approve(1, sha));
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("reason", "whatever");
        f.put("problem", "unknown-issuer");
        f.put("expected", StatementType.DECISION.typ());
        assertRefusedContaining(log.with(log.forge(EntryType.STATEMENT_REFUSED, forged, f)),
                "entry 2 (statement.refused): a statement that is not authentically signed by a principal of the"
                        + " policy in force leaves no trace in the log (unknown-issuer: iss \"mallory\"");
    }

    @Test
    void wrongFacts_requestForAnotherComponentOrExtraMember_refused() {
        TorExitLog log = new TorExitLog();
        String request = log.requestStatement("rene", "relay", relay("exit1"), "x", false);
        ObjectNode f = JsonNodeFactory.instance.objectNode();
        f.put("change", 1);
        f.put("component", "switch");
        f.put("state", "requested");
        assertRefused(log.with(log.forge(EntryType.CHANGE_REQUESTED, request, f)),
                "entry 1 (change.requested): facts.component is \"switch\" but the ledger derives \"relay\"");
        f.put("component", "relay");
        f.put("change", 7);
        assertRefused(log.with(log.forge(EntryType.CHANGE_REQUESTED, request, f)),
                "entry 1 (change.requested): facts.change is 7 but the ledger derives 1");
        f.put("change", 1);
        f.put("emergency", false);
        assertRefused(log.with(log.forge(EntryType.CHANGE_REQUESTED, request, f)),
                "entry 1 (change.requested): facts has a member emergency (false) that the ledger does not derive");
        f.remove("emergency");
        f.remove("state");
        assertRefused(log.with(log.forge(EntryType.CHANGE_REQUESTED, request, f)),
                "entry 1 (change.requested): facts.state is missing; the ledger derives \"requested\"");
    }

    @Test
    void unowedSupersessionOrActivation_refused() {
        TorExitLog log = requested();
        ObjectNode f = facts(1, "superseded");
        f.put("reason", "because");
        assertRefusedContaining(log.with(log.forge(EntryType.CHANGE_SUPERSEDED, null, f)),
                "entry 2 (change.superseded): no change.superseded is owed here");
        ObjectNode a = facts(1, "applied");
        assertRefusedContaining(log.with(log.forge(EntryType.POLICY_ACTIVATED, null, a)),
                "entry 2 (policy.activated): no policy.activated is owed here");
    }

    @Test
    void reportByAnotherComponentsAgent_refused() {
        TorExitLog log = requested();
        log.approve("nora", 1);
        ChangeRecord r = log.ledger.change(1).orElseThrow();
        String report = TorExitLog.sign(TorExitLog.key("agent-switch"), log.now,
                new ReportClaims("relay", 1, r.configSha256(), ReportClaims.Status.APPLIED, java.util.Optional.empty()));
        assertRefused(log.with(log.forge(EntryType.CHANGE_REPORTED, report, facts(1, "applied"))),
                "entry 3 (change.reported): the ledger refuses its statement (no-right): agent-switch (roles:"
                        + " switch-agent) holds no role with the report right on relay");
    }

    @Test
    void genesis_wrongHashOrKeyName_refused() {
        TorExitLog log = new TorExitLog();
        LogEntry g = log.entries.get(0);
        ObjectNode f = g.facts();
        f.put("policy_sha256", "00".repeat(32));
        assertRefusedContaining(List.of(LogEntry.create(0, g.time(), LogEntry.GENESIS_PREV, EntryType.LOG_GENESIS, null, f)),
                "entry 0 (log.genesis): facts.policy_sha256 is \"0000");
        ObjectNode k = g.facts();
        k.put("origin", "elsewhere.example.org/log");
        assertRefused(List.of(LogEntry.create(0, g.time(), LogEntry.GENESIS_PREV, EntryType.LOG_GENESIS, null, k)),
                "entry 0 (log.genesis): the log key's name is \"foureyes.example.org/tor-exit\" but the origin is"
                        + " \"elsewhere.example.org/log\"; a log's key name equals its origin");
        assertRefused(List.of(requested().entries.get(1)),
                "entry 1 (change.requested): expected seq 0, got 1");
    }

    @Test
    void apply_refusedEntry_leavesLedgerUnchanged() throws Exception {
        TorExitLog log = requested();
        String approval = log.decisionStatement("nora", 1, true);
        long size = log.ledger.size();
        assertThatThrownBy(() -> log.ledger.apply(log.forge(EntryType.CHANGE_DECIDED, approval, facts(1, "rejected"))))
                .isInstanceOf(LedgerException.class)
                .hasMessage("entry 2 (change.decided): facts.state is \"rejected\" but the policy in force gives"
                        + " \"approved\": approved by nora (network-operator)");
        assertThat(log.ledger.size()).isEqualTo(size);
        assertThat(log.state(1)).isEqualTo(ChangeState.REQUESTED);
        // the honest entry still applies
        assertThat(log.submit(approval, StatementType.DECISION)).isInstanceOf(Outcome.Accepted.class);
        assertThat(log.state(1)).isEqualTo(ChangeState.APPROVED);
    }

    @Test
    void chain_wrongPrevOrTimeBackwards_refused() {
        TorExitLog log = requested();
        String approval = log.decisionStatement("nora", 1, true);
        LogEntry wrongPrev = LogEntry.create(2, log.now, new byte[32], EntryType.CHANGE_DECIDED, approval, facts(1, "approved"));
        assertRefusedContaining(log.with(wrongPrev), "entry 2 (change.decided): prev mismatch: expected ");
        LogEntry back = LogEntry.create(2, log.now.minusMillis(1), log.last().leafHash(), EntryType.CHANGE_DECIDED,
                approval, facts(1, "approved"));
        assertRefused(log.with(back), "entry 2 (change.decided): time 2026-11-25T07:59:59.999Z is before the previous"
                + " entry's 2026-11-25T08:00:00.000Z");
    }

    @Test
    void statementWindow_judgedOnEntryTime_notTheClock() {
        TorExitLog log = requested();
        String approval = log.decisionStatement("nora", 1, true);
        log.after(Duration.ofMinutes(8)); // exp is iat + 5 min, 2 min of skew allowed
        assertRefusedContaining(log.with(log.forge(EntryType.CHANGE_DECIDED, approval, facts(1, "approved"))),
                "entry 2 (change.decided): the ledger refuses its statement (expired): the statement expired at"
                        + " 2026-11-25T08:05:00Z, 3 min before the log entry's time 2026-11-25T08:08:00Z");
    }
}
