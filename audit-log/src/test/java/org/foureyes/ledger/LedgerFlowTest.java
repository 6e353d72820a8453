package org.foureyes.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.ledger.TorExitLog.monitor;
import static org.foureyes.ledger.TorExitLog.relay;
import static org.foureyes.ledger.TorExitLog.sha;

import java.time.Duration;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.policy.ChangeState;
import org.foureyes.policy.Evaluation;
import org.foureyes.policy.PolicyHash;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementType;
import org.junit.jupiter.api.Test;

/** Whole workflows on the tor-exit policy, each decide() outcome materialised and applied back. */
class LedgerFlowTest {

    @Test
    void genesis_torExit_policyInForceAndComponentsEmpty() throws Exception {
        TorExitLog log = new TorExitLog();
        Ledger l = log.ledger;
        assertThat(l.origin()).isEqualTo(TorExitLog.ORIGIN);
        assertThat(l.logKey()).isEqualTo(TorExitLog.LOG_KEY.verifierKey());
        assertThat(l.policy().sha256()).isEqualTo(PolicyHash.sha256Hex(TorExitLog.POLICY));
        assertThat(l.policy().activatedSeq()).isZero();
        assertThat(l.components()).extracting(ComponentState::name)
                .containsExactly("relay", "switch", "monitor", "policy");
        assertThat(l.component("relay").orElseThrow().configHash()).isEmpty();
        assertThat(l.component("relay").orElseThrow().version()).isZero();
        assertThat(l.component("policy").orElseThrow().version()).isEqualTo(1);
        assertThat(l.component("policy").orElseThrow().configSha256()).isEqualTo(l.policy().sha256());
        assertThat(log.last().facts().get("policy_sha256").textValue()).isEqualTo(l.policy().sha256());
        log.assertReplayAgrees();
    }

    @Test
    void request_thenApproval_approvedWithExplanations() throws Exception {
        TorExitLog log = new TorExitLog();
        Outcome o = log.submit(log.requestStatement("rene", "relay", relay("exit1"), "first config", false),
                StatementType.CHANGE_REQUEST);
        assertThat(o).isInstanceOf(Outcome.Accepted.class);
        Result r = ((Outcome.Accepted) o).result();
        assertThat(r.change(1)).isEqualTo(1);
        assertThat(r.state()).isEqualTo("requested");
        assertThat(r.explanation()).isEqualTo("needs 1 more approval from relay-operator, network-operator or analyst");
        assertThat(log.last().toString()).contains("\"facts\":{\"change\":1,\"component\":\"relay\",\"state\":\"requested\"}");

        Outcome a = log.approve("nora", 1);
        assertThat(((Outcome.Accepted) a).result().state()).isEqualTo("approved");
        assertThat(log.last().toString()).endsWith("\"facts\":{\"change\":1,\"state\":\"approved\"}}");
        ChangeRecord c = log.ledger.change(1).orElseThrow();
        assertThat(c.state()).isEqualTo(ChangeState.APPROVED);
        assertThat(c.approvedAt()).contains(TorExitLog.T0);
        assertThat(c.decisions()).extracting(ChangeRecord.DecisionRecord::principal).containsExactly("nora");
        assertThat(c.explanation()).isEqualTo("approved by nora (network-operator)");
        assertThat(c.configSha256()).isEqualTo(sha(relay("exit1")));
        assertThat(log.ledger.jtiSeen("nope")).isFalse();
        log.assertReplayAgrees();
    }

    @Test
    void report_applied_currentConfigUpdatedAndOtherOpenChangesSuperseded() throws Exception {
        TorExitLog log = new TorExitLog();
        long first = log.request("rene", "relay", relay("exit1"));
        long second = log.request("rene", "relay", relay("exit2"));
        long monitorChange = log.request("anna", "monitor", monitor(true));
        log.approve("nora", first);
        log.after(Duration.ofMinutes(5));
        Outcome o = log.report("agent-relay", first, ReportClaims.Status.APPLIED);

        assertThat(o.drafts()).extracting(Draft::type)
                .containsExactly(EntryType.CHANGE_REPORTED, EntryType.CHANGE_SUPERSEDED);
        assertThat(log.state(first)).isEqualTo(ChangeState.APPLIED);
        assertThat(log.state(second)).isEqualTo(ChangeState.SUPERSEDED);
        assertThat(log.state(monitorChange)).isEqualTo(ChangeState.REQUESTED);
        assertThat(log.last().facts().get("reason").textValue()).startsWith("change " + first + " to relay was applied");
        ComponentState relay = log.ledger.component("relay").orElseThrow();
        assertThat(relay.config()).isEqualTo(relay("exit1"));
        assertThat(relay.configSha256()).isEqualTo(sha(relay("exit1")));
        assertThat(relay.version()).isEqualTo(1);
        assertThat(relay.lastAppliedChange()).isEqualTo(first);
        assertThat(relay.lastAgentContact()).isEqualTo(log.now);
        assertThat(log.ledger.change(first).orElseThrow().tookEffectAt()).contains(log.now);
        assertThat(log.ledger.openChanges("relay")).isEmpty();

        // the next request must name the new configuration as its base
        long third = log.request("rene", "relay", relay("exit3"));
        assertThat(log.ledger.change(third).orElseThrow().base()).contains(sha(relay("exit1")));
        log.assertReplayAgrees();
    }

    @Test
    void report_failedAndDrift_failedClosesDriftKeepsState() throws Exception {
        TorExitLog log = new TorExitLog();
        long c = log.request("rene", "relay", relay("exit1"));
        log.approve("anna", c);
        Outcome drift = log.report("agent-relay", c, ReportClaims.Status.DRIFT);
        assertThat(((Outcome.Accepted) drift).result().state()).isEqualTo("approved");
        assertThat(log.last().facts().toString()).isEqualTo("{\"change\":" + c + ",\"state\":\"approved\",\"drift\":true}");
        assertThat(log.ledger.component("relay").orElseThrow().driftReportedAt()).isEqualTo(log.now);
        log.report("agent-relay", c, ReportClaims.Status.FAILED);
        assertThat(log.state(c)).isEqualTo(ChangeState.FAILED);
        assertThat(log.ledger.component("relay").orElseThrow().version()).isZero();
        log.assertReplayAgrees();
    }

    @Test
    void rejection_endsChange_laterDecisionRefusedAndLogged() throws Exception {
        TorExitLog log = new TorExitLog();
        long c = log.request("rene", "relay", relay("exit1"));
        Outcome rej = log.decide("anna", c, false);
        assertThat(((Outcome.Accepted) rej).result().state()).isEqualTo("rejected");
        assertThat(log.state(c)).isEqualTo(ChangeState.REJECTED);
        assertThat(log.ledger.openChanges(null)).isEmpty();

        Outcome late = log.decide("nora", c, true);
        assertThat(late).isInstanceOf(Outcome.Refused.class);
        Refusal refusal = ((Outcome.Refused) late).refusal();
        assertThat(refusal.problem()).isEqualTo("closed-change");
        assertThat(refusal.reason()).isEqualTo("change " + c + " is rejected and takes no more decisions");
        assertThat(refusal.authentic()).isTrue();
        assertThat(log.last().type()).isEqualTo("statement.refused");
        assertThat(log.last().facts().toString()).isEqualTo("{\"reason\":\"change " + c
                + " is rejected and takes no more decisions\",\"problem\":\"closed-change\",\"expected\":\"foureyes.decision/v1\"}");
        log.assertReplayAgrees();
    }

    @Test
    void decide_refusals_stableProblemTypes() throws Exception {
        TorExitLog log = new TorExitLog();
        long c = log.request("rene", "relay", relay("exit1"));
        assertThat(problem(log.decide("rene", c, true))).isEqualTo("self-approval");
        assertThat(problem(log.decide("agent-relay", c, true))).isEqualTo("no-right");
        // rene may request relay only
        assertThat(problem(log.submit(log.requestStatement("rene", "monitor", monitor(true), "x", false),
                StatementType.CHANGE_REQUEST))).isEqualTo("no-right");
        assertThat(problem(log.submit(log.requestStatement("rene", "relay", relay("exit2"), "x", true),
                StatementType.CHANGE_REQUEST))).isEqualTo("no-emergency");
        // a guard: the exit policy must end with reject *:*
        var bad = relay("exit2");
        bad.withArray("exit_policy").remove(1);
        Outcome guard = log.submit(log.requestStatement("rene", "relay", bad, "x", false), StatementType.CHANGE_REQUEST);
        assertThat(problem(guard)).isEqualTo("guard-failed");
        assertThat(((Outcome.Refused) guard).refusal().reason())
                .isEqualTo("the configuration of relay breaks a guard: guard 'exit-policy-ends-with-reject-all': the exit"
                        + " policy must end with 'reject *:*'");
        // a decision sent to the request endpoint
        assertThat(problem(log.submit(log.decisionStatement("nora", c, true), StatementType.CHANGE_REQUEST)))
                .isEqualTo("wrong-type");
        // the same decision twice: the second is a replay
        String approval = log.decisionStatement("nora", c, true);
        assertThat(log.submit(approval, StatementType.DECISION)).isInstanceOf(Outcome.Accepted.class);
        Outcome replay = log.submit(approval, StatementType.DECISION);
        assertThat(problem(replay)).isEqualTo("replayed");
        assertThat(log.ledger.jtiSeen(log.ledger.change(c).orElseThrow().requestJti())).isTrue();
        // an access token is refused and leaves no trace
        long size = log.ledger.size();
        Outcome access = log.submit(TorExitLog.sign(TorExitLog.key("ines"), log.now,
                org.foureyes.statement.AccessClaims.INSTANCE), StatementType.DECISION);
        assertThat(problem(access)).isEqualTo("access-token");
        assertThat(access.drafts()).isEmpty();
        assertThat(log.ledger.size()).isEqualTo(size);
        log.assertReplayAgrees();
    }

    static String problem(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Refused.class);
        return ((Outcome.Refused) o).refusal().problem();
    }

    @Test
    void withdrawal_byRequester_withdrawnAndOthersRefused() throws Exception {
        TorExitLog log = new TorExitLog();
        long c = log.request("rene", "relay", relay("exit1"));
        assertThat(problem(log.withdraw("nora", c))).isEqualTo("not-requester");
        Outcome w = log.withdraw("rene", c);
        assertThat(((Outcome.Accepted) w).result().state()).isEqualTo("withdrawn");
        assertThat(log.last().facts().toString()).isEqualTo("{\"change\":" + c + ",\"state\":\"withdrawn\"}");
        assertThat(log.state(c)).isEqualTo(ChangeState.WITHDRAWN);
        assertThat(log.ledger.change(c).orElseThrow().explanation()).startsWith("withdrawn by rene");
        assertThat(problem(log.withdraw("rene", c))).isEqualTo("closed-change");
        log.assertReplayAgrees();
    }

    @Test
    void pendingExpiry_afterPendingTtl_expiredAndDecisionRefused() throws Exception {
        TorExitLog log = new TorExitLog();
        long c = log.request("rene", "relay", relay("exit1"));
        log.after(Duration.ofDays(7).minusSeconds(1));
        assertThat(log.ledger.expireDue(log.now)).isEmpty();
        log.after(Duration.ofSeconds(1));
        // not yet marked expired, but the decision is signed too late
        Outcome late = log.decide("nora", c, true);
        assertThat(problem(late)).isEqualTo("pending-expired");
        assertThat(log.expireDue()).hasSize(1);
        assertThat(log.last().facts().toString()).isEqualTo("{\"change\":" + c + ",\"state\":\"expired\",\"reason\":"
                + "\"pending_ttl PT168H ran out at 2026-12-02T08:00:00Z before the change was approved\"}");
        assertThat(log.state(c)).isEqualTo(ChangeState.EXPIRED);
        assertThat(log.ledger.expireDue(log.now)).isEmpty();
        assertThat(problem(log.decide("anna", c, true))).isEqualTo("closed-change");
        log.assertReplayAgrees();
    }

    @Test
    void applyExpiry_afterApplyTtl_expiredAndReportRefused() throws Exception {
        TorExitLog log = new TorExitLog();
        long c = log.request("rene", "relay", relay("exit1"));
        log.after(Duration.ofHours(1));
        log.approve("nora", c);
        log.after(Duration.ofHours(24));
        assertThat(problem(log.report("agent-relay", c, ReportClaims.Status.APPLIED))).isEqualTo("apply-expired");
        assertThat(log.expireDue()).hasSize(1);
        assertThat(log.last().facts().get("reason").textValue())
                .isEqualTo("apply_ttl PT24H ran out at 2026-11-26T09:00:00Z before an agent reported the change applied");
        assertThat(log.state(c)).isEqualTo(ChangeState.EXPIRED);
        assertThat(problem(log.report("agent-relay", c, ReportClaims.Status.APPLIED))).isEqualTo("not-approved");
        log.assertReplayAgrees();
    }

    @Test
    void emergency_captureOffWithZeroApprovals_appliedThenReviewed() throws Exception {
        TorExitLog log = new TorExitLog();
        long base = log.request("anna", "monitor", monitor(true));
        log.approve("rene", base);
        log.report("agent-monitor", base, ReportClaims.Status.APPLIED);

        log.after(Duration.ofHours(1));
        long e = log.request("anna", "monitor", monitor(false), true);
        assertThat(log.last().facts().get("state").textValue()).isEqualTo("approved");
        ChangeRecord rec = log.ledger.change(e).orElseThrow();
        assertThat(rec.emergency()).isTrue();
        assertThat(rec.explanation()).startsWith("approved as an emergency (its rule needs no approval)");
        log.after(Duration.ofMinutes(2));
        log.report("agent-monitor", e, ReportClaims.Status.APPLIED);
        assertThat(log.state(e)).isEqualTo(ChangeState.APPLIED);
        assertThat(log.ledger.change(e).orElseThrow().review()).isEqualTo(Evaluation.Review.PENDING);
        assertThat(log.ledger.component("monitor").orElseThrow().config()).isEqualTo(monitor(false));
        assertThat(log.ledger.reviewsOverdue(log.now.plus(Duration.ofHours(23)))).isEmpty();
        assertThat(log.ledger.reviewsOverdue(log.now.plus(Duration.ofHours(24)))).extracting(ChangeRecord::id)
                .containsExactly(e);

        // an emergency may only switch capture off: anything else is refused
        var wider = monitor(false);
        wider.with("record").put("retention_days", 29);
        Outcome refused = log.submit(log.requestStatement("anna", "monitor", wider, "x", true), StatementType.CHANGE_REQUEST);
        assertThat(problem(refused)).isEqualTo("emergency-refused");

        log.after(Duration.ofHours(3));
        Outcome review = log.approve("nora", e);
        assertThat(((Outcome.Accepted) review).result().state()).isEqualTo("reviewed");
        assertThat(log.last().facts().toString()).isEqualTo("{\"change\":" + e
                + ",\"state\":\"reviewed\",\"review\":\"approved\"}");
        ChangeRecord reviewed = log.ledger.change(e).orElseThrow();
        assertThat(reviewed.state()).isEqualTo(ChangeState.APPLIED);
        assertThat(reviewed.review()).isEqualTo(Evaluation.Review.APPROVED);
        assertThat(log.ledger.reviewsOverdue(log.now.plus(Duration.ofDays(30)))).isEmpty();
        log.assertReplayAgrees();
    }

    @Test
    void staleBase_requestAgainstOldConfig_refused() throws Exception {
        TorExitLog log = new TorExitLog();
        String early = log.requestStatement("rene", "relay", relay("exit2"), "signed against no config", false);
        long c = log.request("rene", "relay", relay("exit1"));
        log.approve("nora", c);
        log.report("agent-relay", c, ReportClaims.Status.APPLIED);
        Outcome o = log.submit(early, StatementType.CHANGE_REQUEST);
        assertThat(problem(o)).isEqualTo("stale-base");
        assertThat(((Outcome.Refused) o).refusal().reason()).isEqualTo("base is null but the current configuration"
                + " of relay is " + sha(relay("exit1")) + " (version 1); request the change again against the current"
                + " configuration");
        log.assertReplayAgrees();
    }

    @Test
    void outcomes_everyEntryAppliedBack_logReplaysToSameState() throws Exception {
        TorExitLog log = new TorExitLog();
        long c = log.request("rene", "relay", relay("exit1"));
        log.approve("nora", c);
        log.report("agent-relay", c, ReportClaims.Status.APPLIED);
        for (LogEntry e : log.entries) {
            assertThat(LogEntry.parse(e.bytes())).isEqualTo(e);
        }
        log.assertReplayAgrees();
        assertThat(log.types()).containsExactly("log.genesis", "change.requested", "change.decided", "change.reported");
    }

    // ---------------------------------------------------------------- decide's plan reused by apply

    @Test
    void apply_afterDecideOfAnotherStatement_appliesTheEntrysOwnStatement() throws Exception {
        TorExitLog log = new TorExitLog();
        TorExitLog twin = new TorExitLog(); // the same state, to draft the other statement
        String decided = log.requestStatement("rene", "relay", relay("decided"), "decided only", false);
        String applied = twin.requestStatement("rene", "relay", relay("applied"), "applied instead", false);
        assertThat(log.ledger.decide(decided, StatementType.CHANGE_REQUEST, log.now))
                .isInstanceOf(Outcome.Accepted.class);
        Outcome other = twin.ledger.decide(applied, StatementType.CHANGE_REQUEST, twin.now);
        log.append(other.drafts());
        assertThat(log.ledger.change(1).orElseThrow().requestStatement()).isEqualTo(applied);
        assertThat(log.ledger.change(1).orElseThrow().configSha256()).isEqualTo(sha(relay("applied")));
        log.assertReplayAgrees();
    }

    @Test
    void apply_ofTheDecidedStatementAtALaterTime_isJudgedAtThatTime() throws Exception {
        TorExitLog log = new TorExitLog();
        String request = log.requestStatement("rene", "relay", relay("late"), "valid for 5 minutes", false);
        Outcome o = log.ledger.decide(request, StatementType.CHANGE_REQUEST, log.now);
        assertThat(o).isInstanceOf(Outcome.Accepted.class);
        // The same statement, materialised an hour later: past its exp, so apply must refuse it
        // rather than reuse what decide planned at the earlier time.
        LogEntry late = o.drafts().get(0).materialise(1, log.now.plus(Duration.ofHours(1)), log.last().leafHash());
        assertThatThrownBy(() -> log.ledger.apply(late)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("exp");
        assertThat(log.ledger.size()).isEqualTo(1);
        // At the decided time it is accepted.
        log.append(o.drafts());
        assertThat(log.state(1)).isEqualTo(ChangeState.REQUESTED);
    }
}
