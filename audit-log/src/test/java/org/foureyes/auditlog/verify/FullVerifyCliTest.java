package org.foureyes.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.auditlog.verify.CliFixtures.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.verify.CliFixtures.Run;
import org.foureyes.policy.PolicyHash;
import org.foureyes.statement.DecisionClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code foureyes-verify log} in full mode (the default) on real tor-exit flows. */
class FullVerifyCliTest {

    @TempDir
    Path tmp;


    static String key() {
        return FlowLog.LOG_KEY.verifierKey().toString();
    }

    @Test
    void log_realFlows_exits0AndPrintsPerComponentHistory() throws Exception {
        Path dir = FlowLog.ordinary().export(tmp.resolve("x"));
        Run r = run("log", "--key", key(), dir.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("verified 11 entries; root ")
                .contains("replayed 11 entries against the policy in force at each")
                .contains("component relay: version 1, config sha256 ")
                .contains("  change 1: APPLIED; requested by rene at 2026-11-25T08:00:00Z; approved by nora at"
                        + " 2026-11-25T08:03:00Z; took effect at 2026-11-25T08:13:00Z")
                .contains("  change 10: REQUESTED; requested by rene")
                .contains("component policy: version 1")
                .contains("emergency reviews: none overdue");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void log_json_documentedShape() throws Exception {
        Path dir = FlowLog.ordinary().export(tmp.resolve("x"));
        Run r = run("log", "--json", "--key", key(), dir.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("verified").booleanValue()).isTrue();
        assertThat(j.get("mode").textValue()).isEqualTo("full");
        assertThat(j.get("entries").longValue()).isEqualTo(11);
        JsonNode report = j.get("report");
        assertThat(report.get("origin").textValue()).isEqualTo(FlowLog.ORIGIN);
        assertThat(report.get("policies").get(0).get("sha256").textValue())
                .isEqualTo(PolicyHash.sha256Hex(FlowLog.POLICY));
        JsonNode relay = report.get("components").get(0);
        assertThat(relay.get("name").textValue()).isEqualTo("relay");
        JsonNode c1 = relay.get("changes").get(0);
        assertThat(c1.get("id").longValue()).isEqualTo(1);
        assertThat(c1.get("state").textValue()).isEqualTo("applied");
        assertThat(c1.get("requester").textValue()).isEqualTo("rene");
        assertThat(c1.get("decisions").get(0).get("principal").textValue()).isEqualTo("nora");
        assertThat(c1.get("decisions").get(0).get("time").textValue()).isEqualTo("2026-11-25T08:03:00Z");
        assertThat(c1.get("applied_at").textValue()).isEqualTo("2026-11-25T08:13:00Z");
        assertThat(c1.get("review").isNull()).isTrue();
        assertThat(report.get("overdue_reviews").isEmpty()).isTrue();
    }

    @Test
    void log_forgedDecision_exits1NamingSeqButChainOnlyPasses() throws Exception {
        FlowLog log = FlowLog.ordinary();
        LogEntry real = log.entries.get(2);
        String forged = FlowLog.sign(FlowLog.seeded("nora", 7), real.time(),
                DecisionClaims.approve(1, log.ledger.change(1).orElseThrow().requestSha256()));
        List<LogEntry> es = new ArrayList<>(log.entries);
        es.set(2, LogEntry.create(2, real.time(), real.prev(), real.entryType(), forged, real.facts()));
        Path dir = FlowLog.forged(tmp.resolve("f"), es);

        Run chain = run("log", "--chain-only", "--key", key(), dir.toString());
        assertThat(chain.code()).as(chain.toString()).isZero();
        Run r = run("log", "--key", key(), dir.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("foureyes-verify: FAILED: entry 2 (change.decided): ");
        assertThat(r.out()).isEmpty();

        Run j = run("log", "--json", "--key", key(), dir.toString());
        JsonNode f = new ObjectMapper().readTree(j.out()).get("failure");
        assertThat(f.get("kind").textValue()).isEqualTo("replay");
        assertThat(f.get("seq").longValue()).isEqualTo(2);
    }

    @Test
    void log_emergencyNeverReviewed_exits1UnlessAllowed() throws Exception {
        FlowLog log = FullVerifierTest.emergency();
        log.after(Duration.ofHours(25)).request("rene", "relay", FlowLog.relay("later"));
        Path dir = log.export(tmp.resolve("e"));

        Run r = run("log", "--key", key(), dir.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).startsWith("verified 7 entries; root ").contains("change 4: APPLIED EMERGENCY").contains(" OVERDUE")
                .contains("emergency reviews NOT done in time");
        assertThat(r.err()).contains("FAILED: emergency review overdue: change 4");

        Run allowed = run("log", "--allow-overdue-reviews", "--key", key(), dir.toString());
        assertThat(allowed.code()).as(allowed.toString()).isZero();
        assertThat(allowed.out()).contains("emergency reviews NOT done in time");

        Run j = run("log", "--json", "--key", key(), dir.toString());
        JsonNode o = new ObjectMapper().readTree(j.out());
        assertThat(o.get("verified").booleanValue()).isFalse();
        assertThat(o.get("failure").get("kind").textValue()).isEqualTo("review_overdue");
        assertThat(o.get("report").get("overdue_reviews").get(0).get("change").longValue()).isEqualTo(4);
    }

    @Test
    void log_pinPolicy_matchExits0MismatchExits1MalformedExits2() throws Exception {
        Path dir = FlowLog.ordinary().export(tmp.resolve("x"));
        String good = PolicyHash.sha256Hex(FlowLog.POLICY);
        Run ok = run("log", "--pin-policy", good, "--key", key(), dir.toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("matches --pin-policy");

        Run bad = run("log", "--pin-policy", "ff" + good.substring(2), "--key", key(), dir.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("pinned policy hash");

        assertThat(run("log", "--pin-policy", "xyz", "--key", key(), dir.toString()).code()).isEqualTo(2);
        assertThat(run("log", "--chain-only", "--pin-policy", good, "--key", key(), dir.toString()).code())
                .isEqualTo(2);
    }

    @Test
    void log_missingExport_exits2() {
        Run r = run("log", "--key", key(), tmp.resolve("nothing").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("does not exist");
        assertThat(Files.exists(tmp.resolve("nothing"))).isFalse();
    }
}
