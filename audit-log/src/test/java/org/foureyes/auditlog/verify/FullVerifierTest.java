package org.foureyes.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.auditlog.verify.FlowLog.monitor;
import static org.foureyes.auditlog.verify.FlowLog.relay;
import static org.foureyes.auditlog.verify.FlowLog.switchConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.verify.AuditReport.ChangeHistory;
import org.foureyes.auditlog.verify.AuditReport.ComponentHistory;
import org.foureyes.auditlog.verify.VerificationFailure.Kind;
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.policy.PolicyHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FullVerifierTest {

    @TempDir
    Path tmp;

    static FullVerifier.Result full(Path dir) throws Exception {
        return FullVerifier.builder(FlowLog.LOG_KEY.verifierKey()).build().verify(dir);
    }

    static VerificationResult chainOnly(Path dir) throws Exception {
        return LogVerifier.builder(FlowLog.LOG_KEY.verifierKey()).build().verify(dir);
    }

    static VerificationFailure failure(FullVerifier.Result r) {
        assertThat(r.result()).isInstanceOf(VerificationResult.Failed.class);
        return ((VerificationResult.Failed) r.result()).failure();
    }

    static ComponentHistory component(AuditReport a, String name) {
        return a.components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void verify_realFlows_verifiedWithEveryComponentsHistory() throws Exception {
        FlowLog log = FlowLog.ordinary();
        FullVerifier.Result r = full(log.export(tmp.resolve("x")));

        assertThat(r.verified()).as("%s", r.result()).isTrue();
        AuditReport a = r.report().orElseThrow();
        assertThat(a.entries()).isEqualTo(log.entries.size());
        assertThat(a.reviewReferenceTime()).isEqualTo(log.last().time());
        assertThat(a.components()).extracting(ComponentHistory::name)
                .containsExactly("relay", "switch", "monitor", "policy");
        ComponentHistory relay = component(a, "relay");
        assertThat(relay.version()).isEqualTo(1);
        assertThat(relay.lastAppliedChange()).isEqualTo(1L);
        assertThat(relay.changes()).extracting(ChangeHistory::id, ChangeHistory::state, ChangeHistory::requester)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "applied", "rene"),
                        org.assertj.core.groups.Tuple.tuple(10L, "requested", "rene"));
        ChangeHistory first = relay.changes().get(0);
        assertThat(first.decisions()).singleElement().satisfies(d -> {
            assertThat(d.principal()).isEqualTo("nora");
            assertThat(d.decision()).isEqualTo("approve");
            assertThat(d.seq()).isEqualTo(2);
            assertThat(d.time()).isEqualTo(FlowLog.T0.plus(Duration.ofMinutes(3)));
        });
        assertThat(first.appliedAt()).isEqualTo(FlowLog.T0.plus(Duration.ofMinutes(13)));
        assertThat(first.review()).isNull();
        assertThat(a.policies()).singleElement().satisfies(p -> {
            assertThat(p.sha256()).isEqualTo(PolicyHash.sha256Hex(FlowLog.POLICY));
            assertThat(p.seq()).isZero();
        });
        assertThat(a.overdueReviews()).isEmpty();
        assertThat(a.owedAtEnd()).isEmpty();
    }

    @Test
    void verify_forgedDecisionResignedByLogKey_chainValidButReplayFailsAtItsSeq() throws Exception {
        FlowLog log = FlowLog.ordinary();
        // The host replaces nora's approval (seq 2) by one signed with a key it made up for "nora".
        LogEntry real = log.entries.get(2);
        assertThat(real.type()).isEqualTo("change.decided");
        String forgedStatement = FlowLog.sign(FlowLog.seeded("nora", 7), real.time(),
                org.foureyes.statement.DecisionClaims.approve(1, log.ledger.change(1).orElseThrow().requestSha256()));
        List<LogEntry> es = new ArrayList<>(log.entries);
        es.set(2, LogEntry.create(2, real.time(), real.prev(), real.entryType(), forgedStatement, real.facts()));
        Path dir = FlowLog.forged(tmp.resolve("forged"), es);

        assertThat(chainOnly(dir).verified()).as("chain and checkpoint are valid").isTrue();
        FullVerifier.Result r = full(dir);
        VerificationFailure f = failure(r);
        assertThat(f.kind()).isEqualTo(Kind.REPLAY);
        assertThat(f.seq()).hasValue(2);
        assertThat(f.message()).startsWith("entry 2 (change.decided): ").contains("unknown-key");
        assertThat(r.report()).isEmpty();
        assertThat(r.result().entriesChecked()).isEqualTo(2);
    }

    @Test
    void verify_decisionInsertedWithWrongFacts_replayFailsWithExpectedAndFound() throws Exception {
        FlowLog log = new FlowLog();
        long change = log.request("rene", "relay", relay("exit1"));
        // A genuine approval by nora, but the host claims it approved a different change state.
        String approval = log.decisionStatement("nora", change, true);
        ObjectNode facts = FlowLog.JSON.createObjectNode().put("change", change).put("state", "rejected");
        List<LogEntry> es = new ArrayList<>(log.entries);
        es.add(log.next(EntryType.CHANGE_DECIDED, approval, facts));
        Path dir = FlowLog.forged(tmp.resolve("f"), es);

        VerificationFailure f = failure(full(dir));
        assertThat(f.kind()).isEqualTo(Kind.REPLAY);
        assertThat(f.seq()).hasValue(2);
        assertThat(f.message()).contains("\"rejected\"").contains("\"approved\"");
    }

    @Test
    void verify_policyActivatedWithoutQuorum_failsAtTheActivation() throws Exception {
        FlowLog log = new FlowLog();
        ObjectNode next = (ObjectNode) FlowLog.POLICY.document().deepCopy();
        ((ObjectNode) next.get("timing")).put("pending_ttl", "P3D");
        long change = log.request("anna", "policy", next);
        log.after(Duration.ofMinutes(2)).approve("nora", change); // 1 of the 2 approvals the policy rule needs
        ChangeRecord r = log.ledger.change(change).orElseThrow();
        assertThat(r.state().word()).isEqualTo("requested");
        ObjectNode facts = FlowLog.JSON.createObjectNode();
        facts.put("change", change);
        facts.set("policy", next);
        facts.put("policy_sha256", r.configSha256());
        facts.put("state", "applied");
        List<LogEntry> es = new ArrayList<>(log.entries);
        es.add(log.next(EntryType.POLICY_ACTIVATED, null, facts));
        Path dir = FlowLog.forged(tmp.resolve("p"), es);

        assertThat(chainOnly(dir).verified()).isTrue();
        VerificationFailure f = failure(full(dir));
        assertThat(f.kind()).isEqualTo(Kind.REPLAY);
        assertThat(f.seq()).hasValue(3);
        assertThat(f.message()).startsWith("entry 3 (policy.activated): no policy.activated is owed here");
    }

    @Test
    void verify_policyActivatedWithQuorum_newPolicyInHistory() throws Exception {
        FlowLog log = new FlowLog();
        ObjectNode next = (ObjectNode) FlowLog.POLICY.document().deepCopy();
        ((ObjectNode) next.get("timing")).put("pending_ttl", "P3D");
        long change = log.request("anna", "policy", next);
        log.approve("nora", change);
        log.approve("rene", change);
        FullVerifier.Result r = full(log.export(tmp.resolve("q")));

        assertThat(r.verified()).as("%s", r.result()).isTrue();
        AuditReport a = r.report().orElseThrow();
        assertThat(a.policies()).hasSize(2);
        assertThat(a.policies().get(1).change()).isEqualTo(change);
        assertThat(component(a, "policy").changes()).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("applied"));
    }

    /** switch configured, then an emergency that turns mirroring off (no approval needed), applied. */
    static FlowLog emergency() {
        FlowLog log = new FlowLog();
        long sw = log.request("nora", "switch", switchConfig(true));
        log.approve("rene", sw);
        log.applied("agent-switch", sw);
        log.after(Duration.ofMinutes(30));
        long e = log.request("nora", "switch", switchConfig(false), true);
        log.after(Duration.ofMinutes(1)).applied("agent-switch", e);
        return log;
    }

    @Test
    void verify_emergencyNeverReviewed_flaggedAndFailsUnlessAllowed() throws Exception {
        FlowLog log = emergency();
        log.after(Duration.ofHours(25)).request("rene", "relay", relay("later"));
        Path dir = log.export(tmp.resolve("e"));

        FullVerifier.Result r = full(dir);
        VerificationFailure f = failure(r);
        assertThat(f.kind()).isEqualTo(Kind.REVIEW_OVERDUE);
        assertThat(f.seq()).hasValue(4);
        assertThat(f.message()).contains("change 4 (emergency to switch by nora)").contains("still unreviewed");
        AuditReport a = r.report().orElseThrow();
        assertThat(a.overdueReviews()).singleElement().satisfies(o -> {
            assertThat(o.change()).isEqualTo(4);
            assertThat(o.reviewedAt()).isNull();
            assertThat(o.due()).isEqualTo(o.tookEffectAt().plus(Duration.ofHours(24)));
        });

        FullVerifier.Result allowed = FullVerifier.builder(FlowLog.LOG_KEY.verifierKey()).allowOverdueReviews(true)
                .build().verify(dir);
        assertThat(allowed.verified()).isTrue();
        assertThat(allowed.report().orElseThrow().overdueReviews()).hasSize(1);
    }

    @Test
    void verify_emergencyUnreviewedButNotYetDue_notFlagged() throws Exception {
        FlowLog log = emergency();
        log.after(Duration.ofHours(23)).request("rene", "relay", relay("later"));
        FullVerifier.Result r = full(log.export(tmp.resolve("e")));
        assertThat(r.verified()).isTrue();
        ChangeHistory e = component(r.report().orElseThrow(), "switch").changes().get(1);
        assertThat(e.emergency()).isTrue();
        assertThat(e.review().status()).isEqualTo("pending");
        assertThat(e.review().inTime()).isTrue();
    }

    @Test
    void verify_emergencyReviewedInTime_reviewApprovedNotFlagged() throws Exception {
        FlowLog log = emergency();
        log.after(Duration.ofHours(2)).approve("anna", 4);
        log.after(Duration.ofHours(30)).request("rene", "relay", relay("later"));
        FullVerifier.Result r = full(log.export(tmp.resolve("e")));

        assertThat(r.verified()).as("%s", r.result()).isTrue();
        ChangeHistory e = component(r.report().orElseThrow(), "switch").changes().get(1);
        assertThat(e.review().status()).isEqualTo("approved");
        assertThat(e.review().reviewedAt()).isNotNull();
        assertThat(e.decisions()).singleElement().satisfies(d -> assertThat(d.review()).isTrue());
    }

    @Test
    void verify_emergencyReviewedLate_flaggedAsLate() throws Exception {
        FlowLog log = emergency();
        log.after(Duration.ofHours(26)).approve("anna", 4);
        FullVerifier.Result r = full(log.export(tmp.resolve("e")));

        VerificationFailure f = failure(r);
        assertThat(f.kind()).isEqualTo(Kind.REVIEW_OVERDUE);
        assertThat(f.message()).contains("reviewed only at");
        assertThat(r.report().orElseThrow().overdueReviews().get(0).reviewedAt()).isNotNull();
    }

    @Test
    void verify_replayedStatement_failsAsReplayed() throws Exception {
        FlowLog log = new FlowLog();
        long c = log.request("rene", "relay", relay("exit1"));
        log.request("anna", "monitor", monitor(true));
        // The host logs rene's request a second time (same bytes, same jti).
        LogEntry again = log.entries.get(1);
        ObjectNode facts = FlowLog.JSON.createObjectNode().put("change", 3).put("component", "relay")
                .put("state", "requested");
        List<LogEntry> es = new ArrayList<>(log.entries);
        es.add(log.next(EntryType.CHANGE_REQUESTED, again.statement().orElseThrow(), facts));
        VerificationFailure f = failure(full(FlowLog.forged(tmp.resolve("r"), es)));
        assertThat(f.seq()).hasValue(3);
        assertThat(f.message()).contains("replayed");
        assertThat(c).isEqualTo(1);
    }

    @Test
    void verify_pinnedPolicy_matchesOrFails() throws Exception {
        Path dir = FlowLog.ordinary().export(tmp.resolve("x"));
        String good = PolicyHash.sha256Hex(FlowLog.POLICY);
        assertThat(FullVerifier.builder(FlowLog.LOG_KEY.verifierKey()).pinGenesisPolicy(good.toUpperCase())
                .build().verify(dir).verified()).isTrue();

        String other = "00" + good.substring(2);
        FullVerifier.Result r = FullVerifier.builder(FlowLog.LOG_KEY.verifierKey()).pinGenesisPolicy(other)
                .build().verify(dir);
        VerificationFailure f = failure(r);
        assertThat(f.kind()).isEqualTo(Kind.POLICY_PIN);
        assertThat(f.seq()).hasValue(0);
        assertThat(f.expected()).isEqualTo(other);
        assertThat(f.computed()).isEqualTo(good);
        assertThatThrownBy(() -> FullVerifier.builder(FlowLog.LOG_KEY.verifierKey()).pinGenesisPolicy("abc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verify_structuralFailure_reportedBeforeReplay() throws Exception {
        FlowLog log = FlowLog.ordinary();
        Path dir = log.export(tmp.resolve("x"));
        // another key: the checkpoint does not verify, nothing is replayed
        FullVerifier.Result r = FullVerifier.builder(FlowLog.seeded(FlowLog.ORIGIN, 9).verifierKey()).build()
                .verify(dir);
        assertThat(failure(r).kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
        assertThat(r.report()).isEmpty();
    }

    @Test
    void verify_sinceSavedCheckpoint_consistencyCheckedInTheSamePass() throws Exception {
        FlowLog log = FlowLog.ordinary();
        String saved = log.checkpoint();
        log.after(Duration.ofMinutes(1)).approve("nora", 10);
        Path dir = log.export(tmp.resolve("x"));
        FullVerifier.Result r = FullVerifier.builder(FlowLog.LOG_KEY.verifierKey()).since(saved).build().verify(dir);
        assertThat(r.verified()).isTrue();
        assertThat(((VerificationResult.Verified) r.result()).since()).isPresent();
    }
}
