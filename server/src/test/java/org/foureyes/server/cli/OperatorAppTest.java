package org.foureyes.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.Principals;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The operator commands' logic against the running service (SQLite). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorAppTest {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private WorkflowClient api;
    private Path tmp;
    private String url;

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        tmp = AppTestSupport.tempDir("foureyes-operator");
        db = TestDatabase.sqlite();
        app = new DropwizardAppExtension<>(TestApp.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("dataDir", tmp.toString()),
                ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", tmp.resolve("log.key").toString()),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url()));
        app.before();
        api = new WorkflowClient(app.client(), app.getLocalPort());
        url = "http://127.0.0.1:" + app.getLocalPort();
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.after();
        }
        if (db != null) {
            db.close();
        }
    }

    /** An operator session: who signs, what they answer at the y/N question, what they see. */
    private final class Session {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Operator op;

        Session(String who, String answers, boolean json, String pinnedPolicy) {
            op = new Operator(new ApiClient(url, null), who == null ? null : Principals.key(who),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    answers == null ? null : new BufferedReader(new StringReader(answers)), json, TestApp.CLOCK,
                    pinnedPolicy);
        }

        String output() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private Path file(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private Path relayYaml(String nickname) throws Exception {
        return file(nickname + ".yml", """
                nickname: %s
                contact: ops@example.org
                exit_policy: ["accept *:443", "reject *:*"]
                exit_tos: 32
                outbound_bind_address_exit: 192.0.2.10
                outbound_bind_address_or: 192.0.2.11
                """.formatted(nickname));
    }

    @Test
    void request_configWithLoneSurrogate_refusedBeforeSigningNothingAppended() throws Exception {
        Path f = file("surrogate.yml", "nickname: x\ncontact: \"\\ud800@example.org\"\n");
        long before = api.logSize();

        assertThatThrownBy(() -> new Session("rene", null, false, null).op.request("relay", f, "r", false))
                .isInstanceOf(Operator.OperatorException.class)
                .hasMessageStartingWith(f + ": not I-JSON (RFC 7493)")
                .hasMessageContaining("the string at \"/contact\" holds a lone surrogate \\ud800");
        assertThat(api.logSize()).isEqualTo(before);
    }

    @Test
    void request_thenApprove_showsLocalDiffAndVerifiedRequest() throws Exception {
        Session rene = new Session("rene", null, false, null);
        long id = rene.op.request("relay", relayYaml("cliApprove"), "new nickname", false);
        assertThat(rene.output()).contains("change request for relay by rene", "diff (computed locally):",
                "cliApprove", "request accepted: change " + id);

        Session nora = new Session("nora", "y\n", false, null);
        nora.op.decide(id, true, "looks right", false);
        assertThat(nora.output()).contains("signature verified here", "reason: new nickname",
                "diff against the current configuration (computed locally)", "nickname", "Approve change " + id,
                "approve accepted: change " + id + " (relay) is approved");
        assertThat(api.change(id).get("state").asText()).isEqualTo("approved");
    }

    @Test
    void approve_answeredNo_signsNothing() throws Exception {
        long id = new Session("rene", null, false, null).op.request("relay", relayYaml("cliNo"), "r", false);
        long before = api.logSize();
        Session nora = new Session("nora", "n\n", false, null);
        assertThatThrownBy(() -> nora.op.decide(id, true, null, false)).isInstanceOf(Operator.OperatorException.class)
                .hasMessageContaining("not signed");
        assertThat(api.logSize()).isEqualTo(before);
    }

    @Test
    void approve_withOtherPinnedPolicy_refusesBeforeSigning() throws Exception {
        long id = new Session("rene", null, false, null).op.request("relay", relayYaml("cliPin"), "r", false);
        Session nora = new Session("nora", null, false, "00".repeat(32));
        assertThatThrownBy(() -> nora.op.decide(id, true, null, true)).hasMessageContaining("pinned");
        assertThat(api.change(id).get("decisions")).isEmpty();
    }

    @Test
    void approve_ownChange_isRefusedByTheServerAndSaysSo() throws Exception {
        long id = new Session("rene", null, false, null).op.request("relay", relayYaml("cliSelf"), "r", false);
        Session rene = new Session("rene", null, false, null);
        assertThatThrownBy(() -> rene.op.decide(id, true, null, true))
                .hasMessageContaining("403 self-approval").hasMessageContaining("logged as entry");
    }

    @Test
    void reject_andWithdraw_closeChanges() throws Exception {
        long a = new Session("rene", null, false, null).op.request("relay", relayYaml("cliReject"), "r", false);
        new Session("anna", null, false, null).op.decide(a, false, "not now", true);
        assertThat(api.change(a).get("state").asText()).isEqualTo("rejected");

        long b = new Session("rene", null, false, null).op.request("relay", relayYaml("cliWithdraw"), "r", false);
        assertThatThrownBy(() -> new Session("nora", null, false, null).op.withdraw(b, true))
                .hasMessageContaining("only the requester");
        new Session("rene", null, false, null).op.withdraw(b, true);
        assertThat(api.change(b).get("state").asText()).isEqualTo("withdrawn");
    }

    @Test
    void request_policyFromAFile_isAcceptedAgainstThePolicyInForce() throws Exception {
        JsonNode policy = api.getJson("/v1/policy").get("policy");
        ObjectNode proposed = policy.deepCopy();
        proposed.put("description", "proposed through the request command");
        long id = new Session("nora", null, false, null).op.request("policy",
                file("policy.json", proposed.toString()), "describe it better", false);
        assertThat(api.change(id).get("state").asText()).isEqualTo("requested");
        assertThat(api.change(id).get("base").asText()).isEqualTo(api.getJson("/v1/policy").get("sha256").asText());
    }

    @Test
    void approve_policyThatDropsAGuardAndRecordsAddresses_showsBothAsWideningBeforeAsking() throws Exception {
        JsonNode policy = api.getJson("/v1/policy").get("policy");
        long id = new Session("nora", null, false, null).op.request("policy",
                file("widening-policy.json", WideningPolicy.guardDroppedAddressRecordable(policy).toString()),
                "finer buckets", false);
        Session anna = new Session("anna", "n\n", false, null);
        assertThatThrownBy(() -> anna.op.decide(id, true, null, false)).hasMessageContaining("not signed");
        String shown = anna.output();
        assertThat(shown).contains("policy change (computed locally):", "WIDENS: the new policy accepts",
                "[widens] monitor: guard coarse-time-buckets removed (it required: config.record.bucket_minutes >= 60)",
                "[widens] monitor: schema record.fields[]: enum value \"src_addr\" added");
        // What widens is shown before the positional JSON diff and before the question.
        assertThat(shown.indexOf("[widens] monitor: guard coarse-time-buckets"))
                .isLessThan(shown.indexOf("diff against the current configuration"))
                .isLessThan(shown.indexOf("Approve change " + id));
        new Session("nora", null, false, null).op.withdraw(id, true);
    }

    @Test
    void request_fileThatIsNotAnObject_isRefusedLocally() throws Exception {
        assertThatThrownBy(() -> new Session("rene", null, false, null).op.request("relay",
                file("list.yml", "- a\n- b\n"), "r", false)).hasMessageContaining("object");
    }

    @Test
    void statusAndHistory_printOpenChangesAndAllChanges() throws Exception {
        long id = new Session("rene", null, false, null).op.request("relay", relayYaml("cliStatus"), "status", false);
        Session s = new Session(null, null, false, null);
        s.op.status(null);
        assertThat(s.output()).contains("what it needs").contains(String.valueOf(id));
        Session one = new Session(null, null, false, null);
        one.op.status(id);
        assertThat(one.output()).contains("change " + id + ": relay", "change.requested");
        Session h = new Session(null, null, false, null);
        h.op.history("relay");
        assertThat(h.output()).contains("relay: version", "status");
        Session j = new Session(null, null, true, null);
        j.op.history(null);
        assertThat(WorkflowClient.json(j.output()).isArray()).isTrue();
    }

    @Test
    void status_ofAnAppliedChange_saysClosedAndGivesNoStaleBaseWarning() throws Exception {
        long id = api.applyNew("monitor", WorkflowClient.monitor(true, 11), "anna", "rene", "agent-monitor");
        Session s = new Session(null, null, false, null);
        s.op.status(id);
        assertThat(s.output()).contains("change " + id + ": monitor", "state: applied",
                "closed: the component's current configuration is", "(this change's)", "change.reported    applied")
                .doesNotContain("WARNING", "can no longer take effect");
    }

    @Test
    void status_ofASupersededChange_saysClosedAndNamesTheOtherConfiguration() throws Exception {
        long stale = new Session("anna", null, false, null).op.request("monitor",
                file("monitor-stale.json", WorkflowClient.monitor(true, 12).toString()), "stale", false);
        api.applyNew("monitor", WorkflowClient.monitor(true, 13), "anna", "rene", "agent-monitor");
        Session s = new Session(null, null, false, null);
        s.op.status(stale);
        // Applying another monitor change supersedes it, so it is closed; the message says so.
        assertThat(api.change(stale).get("state").asText()).isEqualTo("superseded");
        assertThat(s.output()).contains("state: superseded", "closed: the component's current configuration is")
                .doesNotContain("(this change's)", "WARNING");
    }

    @Test
    void status_changeIdThatDoesNotExist_saysIdsAreEntryNumbersAndWhereToListThem() {
        Session s = new Session(null, null, false, null);
        assertThatThrownBy(() -> s.op.status(987_654L)).isInstanceOf(Operator.OperatorException.class)
                .hasMessage("there is no change 987654 in this log: a change id is the log entry number of its"
                        + " request; 'status' lists the open changes and 'history' all of them");
    }

    @Test
    void approve_changeIdThatDoesNotExist_saysSoBeforeSigning() {
        Session nora = new Session("nora", "y\n", false, null);
        assertThatThrownBy(() -> nora.op.decide(987_654L, true, null, true))
                .hasMessageStartingWith("there is no change 987654 in this log");
        assertThat(nora.output()).isEmpty();
    }

    @Test
    void history_misspeltComponent_suggestsTheNearNameAndListsAll() {
        Session s = new Session(null, null, false, null);
        assertThatThrownBy(() -> s.op.history("rellay")).isInstanceOf(Operator.OperatorException.class)
                .hasMessageStartingWith("there is no component 'rellay' in the policy in force; did you mean relay?")
                .hasMessageContaining("The components are: ")
                .hasMessageContaining("monitor");
        assertThat(s.output()).isEmpty();
    }

    @Test
    void request_misspeltComponent_suggestsTheNearNameAndLogsNothing() throws Exception {
        long before = api.logSize();
        Session rene = new Session("rene", null, false, null);
        assertThatThrownBy(() -> rene.op.request("relya", relayYaml("typo"), "r", false))
                .hasMessageContaining("did you mean relay?");
        assertThat(api.logSize()).isEqualTo(before);
    }

    @Test
    void request_malformedYaml_givesFileLineColumnAndOneSentence() throws Exception {
        Path f = file("broken.yml", "nickname: a\ncontact: [unclosed\nexit_tos: 3\n");
        Session rene = new Session("rene", null, false, null);
        assertThatThrownBy(() -> rene.op.request("relay", f, "r", false)).isInstanceOf(Operator.OperatorException.class)
                .hasMessageMatching(java.util.regex.Pattern.quote(f.toString()) + ":\\d+:\\d+: not valid YAML: [^\\n]+");
    }

    @Test
    void request_malformedJson_givesFileLineColumnAndOneSentence() throws Exception {
        Path f = file("broken.json", "{\"nickname\": \"a\",\n \"contact\": [\"x\"}\n");
        Session rene = new Session("rene", null, false, null);
        assertThatThrownBy(() -> rene.op.request("relay", f, "r", false))
                .hasMessageMatching(java.util.regex.Pattern.quote(f.toString()) + ":2:\\d+: not valid YAML: [^\\n]+");
    }

    @Test
    void request_fileThatDoesNotExist_saysWhichFile() {
        Path f = tmp.resolve("no-such.yml");
        Session rene = new Session("rene", null, false, null);
        assertThatThrownBy(() -> rene.op.request("relay", f, "r", false)).hasMessage(f + " does not exist");
    }
}
