package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.foureyes.policy.ChangeState;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.Statement;
import org.junit.jupiter.api.Test;

/** The agent's rounds when everything is in order: apply, report, restart, hook failure, drift. */
class AgentRoundTest extends AgentTestSupport {

    @Test
    void round_properlyApprovedChange_writesFileRunsHookAndReportsApplied() throws Exception {
        long change = log.approvedRelay("exit1");
        Agent agent = agent();

        Agent.RoundResult r = agent.round();

        assertThat(r.action()).isEqualTo(Agent.Action.APPLIED);
        assertThat(r.change()).isEqualTo(change);
        String sha = ConfigHash.sha256Hex(AgentLog.relay("exit1"));
        assertThat(ConfigHash.sha256HexOfJson(targetText())).isEqualTo(sha);
        assertThat(Agent.sha256Hex(Files.readAllBytes(target))).as("the file is the JCS form itself").isEqualTo(sha);
        assertThat(hookRuns()).containsExactly("relay " + change + " 0 " + sha + " " + target);
        assertThat(host.reports).hasSize(1);
        Statement report = verifiedReport(host.reports.get(0));
        assertThat(report.issuer()).isEqualTo("agent-relay");
        ReportClaims claims = report.claims(ReportClaims.class);
        assertThat(claims.status()).isEqualTo(ReportClaims.Status.APPLIED);
        assertThat(claims.change()).isEqualTo(change);
        assertThat(claims.applied()).isEqualTo(sha);
        assertThat(log.ledger.change(change).orElseThrow().state()).isEqualTo(ChangeState.APPLIED);
        assertThat(host.tokens).allMatch(t -> t.startsWith("Bearer ey"));

        Agent.RoundResult next = agent.round();
        assertThat(next.action()).isEqualTo(Agent.Action.IDLE);
        assertThat(next.newEntries()).as("the applied report and nothing else").isEqualTo(1);
        assertThat(hookRuns()).hasSize(1);
        assertThat(agent.undelivered()).isZero();
    }

    @Test
    void round_releaseCappedAndPaged_fetchesEveryEntryToTheCheckpoint() throws Exception {
        host.releaseCap = 2;
        host.pageCap = 1;
        long change = log.approvedRelay("exit1");
        log.request("anna", "monitor", AgentLog.monitor(true));

        Agent.RoundResult r = agent().round();

        assertThat(r.size()).isEqualTo(log.entries.size() - 1); // the report appended after the round's checkpoint
        assertThat(r.newEntries()).isEqualTo(4);
        assertThat(r.change()).isEqualTo(change);
    }

    @Test
    void round_restartWithSameStateDir_keepsCheckpointAndDoesNotReapply() throws Exception {
        log.approvedRelay("exit1");
        Agent first = agent();
        first.round();
        long kept = first.keptSize();
        host.acceptReports = false; // even if the host never logs the report, the agent does not apply twice
        log.request("anna", "monitor", AgentLog.monitor(true));

        Agent second = agent();
        Agent.RoundResult r = second.round();

        assertThat(second.keptSize()).isGreaterThan(kept);
        assertThat(second.appliedChange()).isEqualTo(first.appliedChange());
        assertThat(r.action()).isEqualTo(Agent.Action.IDLE);
        assertThat(hookRuns()).hasSize(1);
        assertThat(host.reports).hasSize(1);
    }

    @Test
    void round_reportNeverLogged_newInstanceWaitsAndDoesNotReapply() throws Exception {
        long change = log.approvedRelay("exit1");
        host.acceptReports = false; // the host takes the report but never logs it
        Agent first = agent();
        first.round();
        assertThat(host.reports).hasSize(1);
        // The report reached the host but was never logged; a new instance finds the change still
        // approved in the log, recognises it as handled, and does not apply it again.
        Agent second = agent();
        Agent.RoundResult r = second.round();
        assertThat(r.action()).isEqualTo(Agent.Action.WAITING);
        assertThat(r.change()).isEqualTo(change);
        assertThat(hookRuns()).hasSize(1);
    }

    @Test
    void round_hookFails_reportsFailedAndRestoresPreviousConfiguration() throws Exception {
        log.approvedRelay("exit1");
        Agent agent = agent();
        agent.round();
        String before = targetText();
        long second = log.approvedRelay("exit2");
        Files.createFile(hookDir.resolve("fail"));

        Agent.RoundResult r = agent.round();

        assertThat(r.action()).isEqualTo(Agent.Action.FAILED);
        assertThat(r.change()).isEqualTo(second);
        assertThat(targetText()).isEqualTo(before);
        List<String> runs = hookRuns();
        assertThat(runs).hasSize(3);
        assertThat(runs.get(1)).startsWith("relay " + second + " 0 ");
        assertThat(runs.get(2)).as("the hook re-run for the restored configuration").startsWith("relay 1 1 ");
        ReportClaims failed = verifiedReport(host.reports.get(1)).claims(ReportClaims.class);
        assertThat(failed.status()).isEqualTo(ReportClaims.Status.FAILED);
        assertThat(failed.change()).isEqualTo(second);
        assertThat(failed.applied()).isEqualTo(ConfigHash.sha256Hex(AgentLog.relay("exit1")));
        assertThat(failed.detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("hook exited 3: tor refused the torrc").contains("previous configuration restored"));
        assertThat(log.ledger.change(second).orElseThrow().state()).isEqualTo(ChangeState.FAILED);
        assertThat(agent.appliedChange()).contains(1L);
    }

    @Test
    void round_hookTimesOut_reportsFailedAndRemovesTheFirstConfiguration() throws Exception {
        hookTimeout = Duration.ofSeconds(1);
        long change = log.approvedRelay("exit1");
        Files.createFile(hookDir.resolve("hang"));

        Agent.RoundResult r = agent().round();

        assertThat(r.action()).isEqualTo(Agent.Action.FAILED);
        assertThat(target).doesNotExist(); // there was no configuration before: restored means none
        ReportClaims failed = verifiedReport(host.reports.get(0)).claims(ReportClaims.class);
        assertThat(failed.status()).isEqualTo(ReportClaims.Status.FAILED);
        assertThat(failed.applied()).isEqualTo(Agent.EMPTY_SHA256);
        assertThat(failed.detail().orElseThrow()).contains("hook timed out after PT1S");
        assertThat(log.ledger.change(change).orElseThrow().state()).isEqualTo(ChangeState.FAILED);
    }

    @Test
    void round_targetEditedByHand_reportsDriftOncePerObservedHash() throws Exception {
        long change = log.approvedRelay("exit1");
        Agent agent = agent();
        agent.round();
        Files.writeString(target, "{\"nickname\":\"hacked\"}");

        Agent.RoundResult r = agent.round();
        agent.round();

        assertThat(r.notes()).anyMatch(n -> n.startsWith("drift:"));
        assertThat(host.reports).hasSize(2);
        ReportClaims drift = verifiedReport(host.reports.get(1)).claims(ReportClaims.class);
        assertThat(drift.status()).isEqualTo(ReportClaims.Status.DRIFT);
        assertThat(drift.change()).isEqualTo(change);
        assertThat(drift.applied()).isEqualTo(ConfigHash.sha256HexOfJson("{\"nickname\":\"hacked\"}"));
        assertThat(log.ledger.component("relay").orElseThrow().driftReportedAt()).isNotNull();

        Files.delete(target);
        agent.round();
        assertThat(host.reports).hasSize(3);
        assertThat(verifiedReport(host.reports.get(2)).claims(ReportClaims.class).applied())
                .isEqualTo(Agent.EMPTY_SHA256);
        assertThat(hookRuns()).hasSize(1);
    }

    @Test
    void round_nothingApproved_idleAndKeepsCheckpoint() throws Exception {
        log.request("rene", "relay", AgentLog.relay("exit1"));
        Agent agent = agent();

        Agent.RoundResult r = agent.round();

        assertThat(r.action()).isEqualTo(Agent.Action.IDLE);
        assertThat(agent.keptSize()).isEqualTo(2);
        assertThat(target).doesNotExist();
        assertThat(Files.readAllLines(stateDir.resolve(AgentState.ENTRIES))).hasSize(2);
    }

    @Test
    void load_entriesFileLongerThanState_cutsTheUncommittedTail() throws Exception {
        Agent agent = agent();
        agent.round();
        Files.writeString(stateDir.resolve(AgentState.ENTRIES), "{\"seq\":1,\"half", java.nio.file.StandardOpenOption.APPEND);

        Agent again = agent();
        again.load();

        assertThat(again.keptSize()).isEqualTo(1);
        assertThat(Files.readAllLines(stateDir.resolve(AgentState.ENTRIES))).hasSize(1);
    }
}
