package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.server.WorkflowClient.monitor;
import static org.foureyes.server.WorkflowClient.now;
import static org.foureyes.server.WorkflowClient.relay;
import static org.foureyes.server.WorkflowClient.switchConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.Principals;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.WorkflowClient.Answer;
import org.foureyes.server.db.TestDatabase;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Whole workflows through HTTP against the running service (port 0, a clock the test controls), on
 * SQLite and PostgreSQL (subclasses *OnSqliteTest and *OnPostgresTest): requests, decisions,
 * reports, emergencies, a policy change, reads, expiry, and every refusal the design names, each
 * a 4xx problem+json that changes nothing but (where the design says so) appends statement.refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WorkflowAppTestBase {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    WorkflowClient api;

    abstract TestDatabase database();

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        Path data = AppTestSupport.tempDir("foureyes-workflow");
        db = database();
        app = new DropwizardAppExtension<>(TestApp.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("dataDir", data.toString()),
                ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", data.resolve("log.key").toString()),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url()),
                ConfigOverride.config("workflow.refusalsPerMinute", "1000"),
                ConfigOverride.config("workflow.expiryInterval", "200ms"),
                ConfigOverride.config("workflow.syncInterval", "200ms"));
        app.before();
        api = new WorkflowClient(app.client(), app.getLocalPort());
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

    // ================================================================ flows

    @Test
    void request_approvedAndReportedApplied_updatesComponentAndSupersedesOtherOpenChange() {
        long a = api.request("rene", "relay", relay("flowA"));
        long b = api.request("rene", "relay", relay("flowB"));
        JsonNode pending = api.change(a);
        assertThat(pending.get("state").asText()).isEqualTo("requested");
        assertThat(pending.get("missing").get(0).asText()).startsWith("1 more approval from");
        long versionBefore = api.component("relay").get("version").asLong();

        JsonNode approved = api.approve("nora", a);
        assertThat(approved.get("state").asText()).isEqualTo("approved");
        assertThat(approved.get("receipt").get("seq").asLong()).isGreaterThan(b);

        Answer report = api.report("agent-relay", a, ReportClaims.Status.APPLIED);
        assertThat(report.status()).as(report.body()).isEqualTo(201);
        assertThat(report.json().get("state").asText()).isEqualTo("applied");
        long reportSeq = report.json().get("receipt").get("seq").asLong();
        assertThat(report.json().get("entries")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(api.entry(reportSeq + 1).get("type").asText()).isEqualTo("change.superseded");

        JsonNode relay = api.component("relay");
        assertThat(relay.get("config_sha256").asText()).isEqualTo(ConfigHash.sha256Hex(relay("flowA")));
        assertThat(relay.get("config")).isEqualTo(relay("flowA"));
        assertThat(relay.get("version").asLong()).isEqualTo(versionBefore + 1);
        assertThat(relay.get("last_applied_change").asLong()).isEqualTo(a);
        assertThat(relay.get("last_agent_contact").asText()).isNotBlank();
        assertThat(api.change(a).get("state").asText()).isEqualTo("applied");
        assertThat(api.change(b).get("state").asText()).isEqualTo("superseded");
    }

    @Test
    void change_get_showsStatementsVerbatimDecisionsAndEvents() {
        String request = api.requestStatement("nora", "switch", switchConfig(true), false);
        Answer created = api.post("/v1/changes", request);
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("change").get("id").asLong();
        String decision = api.decisionStatement("anna", id, true);
        assertThat(api.post("/v1/changes/" + id + "/decisions", decision).status()).isEqualTo(201);

        JsonNode c = api.change(id);
        assertThat(c.get("request").asText()).isEqualTo(request);
        assertThat(c.get("requester").asText()).isEqualTo("nora");
        assertThat(c.get("config")).isEqualTo(switchConfig(true));
        assertThat(c.get("decisions").get(0).get("statement").asText()).isEqualTo(decision);
        assertThat(c.get("decisions").get(0).get("decision").asText()).isEqualTo("approve");
        assertThat(c.get("approvals").get(0).get("principal").asText()).isEqualTo("anna");
        assertThat(c.get("events")).hasSize(2);
        assertThat(c.get("explanation").asText()).contains("anna");

        JsonNode list = api.getJson("/v1/changes?component=switch&state=approved");
        assertThat(list).anySatisfy(s -> assertThat(s.get("id").asLong()).isEqualTo(id));
        assertThat(api.getJson("/v1/changes?component=relay")).allSatisfy(
                s -> assertThat(s.get("component").asText()).isEqualTo("relay"));
        Answer badState = api.get("/v1/changes?state=pending");
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.mediaType()).startsWith("application/problem+json");
    }

    @Test
    void emergency_onMonitor_isApprovedAtOnceAppliedAndThenReviewed() {
        api.applyNew("monitor", monitor(true, 30), "anna", "rene", "agent-monitor");

        Answer created = api.post("/v1/changes", api.requestStatement("anna", "monitor", monitor(false, 30), true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("change").get("id").asLong();
        assertThat(created.json().get("state").asText()).isEqualTo("approved");
        assertThat(created.json().get("change").get("emergency").asBoolean()).isTrue();

        assertThat(api.report("agent-monitor", id, ReportClaims.Status.APPLIED).status()).isEqualTo(201);
        assertThat(api.component("monitor").get("config")).isEqualTo(monitor(false, 30));
        assertThat(api.change(id).get("review").asText()).isEqualTo("pending");

        JsonNode review = api.approve("nora", id);
        assertThat(review.get("state").asText()).isEqualTo("reviewed");
        assertThat(api.change(id).get("review").asText()).isEqualTo("approved");
    }

    @Test
    void emergency_thatChangesMoreThanDeclared_isRefusedAndLogged() {
        if (api.baseOf("monitor").isEmpty()) {
            api.applyNew("monitor", monitor(true, 30), "anna", "rene", "agent-monitor");
        }
        ObjectNode current = (ObjectNode) api.component("monitor").get("config");
        ObjectNode wider = current.deepCopy();
        ((ObjectNode) wider.get("capture")).put("enabled", false);
        ((ObjectNode) wider.get("record")).put("retention_days", 7);
        refusal(api.requestStatement("anna", "monitor", wider, true), "/v1/changes", 422, "emergency-refused",
                true);
    }

    @Test
    void policyChange_throughThePolicyComponent_activatesAndSupersedesOpenChanges() throws Exception {
        long open = api.request("rene", "relay", relay("beforePolicy"));
        JsonNode policy = api.getJson("/v1/policy");
        String oldSha = policy.get("sha256").asText();
        assertThat(policy.get("analysis").isObject()).isTrue();
        ObjectNode proposed = (ObjectNode) policy.get("policy").deepCopy();
        proposed.put("description", "changed by a test at " + now());
        assertThat(api.baseOf("policy")).contains(oldSha);

        long id = api.request("rene", "policy", proposed);
        JsonNode first = api.approve("nora", id);
        assertThat(first.get("state").asText()).isEqualTo("requested");
        JsonNode second = api.approve("anna", id);
        assertThat(second.get("state").asText()).isEqualTo("approved");
        long decided = second.get("receipt").get("seq").asLong();
        assertThat(api.entry(decided + 1).get("type").asText()).isEqualTo("policy.activated");

        JsonNode after = api.getJson("/v1/policy");
        String newSha = PolicyHash.sha256Hex(PolicyLoader.fromJson(proposed, "test"));
        assertThat(after.get("sha256").asText()).isEqualTo(newSha).isNotEqualTo(oldSha);
        assertThat(after.get("history")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(after.get("change").asLong()).isEqualTo(id);
        assertThat(api.change(open).get("state").asText()).isEqualTo("superseded");
        assertThat(api.change(id).get("state").asText()).isEqualTo("applied");
    }

    @Test
    void reads_componentsAndPolicy_describeTheState() {
        JsonNode components = api.getJson("/v1/components");
        assertThat(components).extracting(c -> c.get("name").asText())
                .contains("relay", "switch", "monitor", "policy");
        JsonNode monitorDef = api.component("monitor");
        assertThat(monitorDef.get("emergency").get("set").get("capture.enabled").asBoolean()).isFalse();
        JsonNode policy = api.component("policy");
        assertThat(policy.get("version").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(policy.get("config_sha256").asText()).hasSize(64);
        Answer missing = api.get("/v1/components/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.mediaType()).startsWith("application/problem+json");
        Answer noChange = api.get("/v1/changes/999999");
        assertThat(noChange.status()).isEqualTo(404);
        assertThat(api.get("/v1/changes/abc").status()).isEqualTo(400);
    }

    @Test
    void whoami_withAccessToken_namesThePrincipal() {
        Answer a = api.get("/v1/whoami", Principals.accessToken("ines", now()));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().get("principal").asText()).isEqualTo("ines");
        assertThat(a.json().get("read").asBoolean()).isTrue();
        Answer none = api.get("/v1/whoami");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.mediaType()).startsWith("application/problem+json");
    }

    // ================================================================ storage failure

    @Test
    void request_whoseAppendRollsBack_is503AndLeavesNoTraceAndCanBeSentAgain() throws Exception {
        long changesBefore = api.getJson("/v1/changes").size();
        String statement = api.requestStatement("rene", "relay", relay("rolledBack"), false);
        long sizeBefore = api.logSize();
        HttpResponse<String> failed;
        db.failInsertsInto("checkpoints", true); // fails inside the append transaction, after the ledger applied it
        try {
            // One attempt, with the JDK client: the test client would honour Retry-After and post again.
            failed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.getLocalPort() + "/v1/changes"))
                    .header("Content-Type", WorkflowClient.JOSE)
                    .POST(HttpRequest.BodyPublishers.ofString(statement)).build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            db.failInsertsInto("checkpoints", false);
        }
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(failed.headers().firstValue("Retry-After")).contains("5");
        assertThat(WorkflowClient.json(failed.body()).get("detail").asText())
                .contains("nothing was written", "simulated storage failure");
        assertThat(api.logSize()).isEqualTo(sizeBefore);
        // The ledger had taken the request inside the rolled-back transaction; readers never see it.
        assertThat(api.getJson("/v1/changes")).hasSize((int) changesBefore);

        // Nothing of it was kept, not even its jti: the same statement is accepted when sent again.
        Answer retried = api.post("/v1/changes", statement);
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        long id = retried.json().get("change").get("id").asLong();
        assertThat(api.change(id).get("request").asText()).isEqualTo(statement);
        assertThat(api.getJson("/v1/changes")).hasSize((int) changesBefore + 1);
    }

    // ================================================================ expiry

    @Test
    void expiry_pendingTtlAndApplyTtl_expireChangesWhenTheClockPassesThem() throws Exception {
        long pending = api.request("rene", "relay", relay("expirePending"));
        TestApp.CLOCK.advance(Duration.ofDays(7).plusMinutes(1));
        awaitState(pending, "expired");
        assertThat(api.change(pending).get("close_reason").asText()).startsWith("pending_ttl PT168H ran out");

        long approved = api.request("rene", "relay", relay("expireApproved"));
        api.approve("anna", approved);
        TestApp.CLOCK.advance(Duration.ofHours(24).plusMinutes(1));
        awaitState(approved, "expired");
        assertThat(api.change(approved).get("close_reason").asText()).startsWith("apply_ttl PT24H ran out");
        // A report after apply_ttl is refused.
        refusal(api.reportStatement("agent-relay", approved, ReportClaims.Status.APPLIED),
                "/v1/components/relay/reports", 409, "closed-change", true, false);
    }

    private void awaitState(long change, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!api.change(change).get("state").asText().equals(state)) {
            assertThat(System.nanoTime()).as("change %d never became %s", change, state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    // ================================================================ refusals

    /**
     * Posts the statement, expects a problem+json refusal, and checks the log grew by exactly one
     * {@code statement.refused} entry (logged) or not at all; the statement's change keeps its state.
     */
    private JsonNode refusal(String body, String path, int status, String slug, boolean logged) {
        return refusal(body, path, status, slug, logged, true);
    }

    private JsonNode refusal(String body, String path, int status, String slug, boolean logged,
            boolean exactSlug) {
        long before = api.logSize();
        Answer a = api.post(path, body);
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.mediaType()).startsWith("application/problem+json");
        JsonNode p = a.json();
        if (exactSlug) {
            assertThat(p.get("type").asText()).isEqualTo("https://foureyes.dev/problems/" + slug);
        }
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        long after = api.logSize();
        if (logged) {
            assertThat(p.get("logged").asBoolean()).as(a.body()).isTrue();
            // Exactly one entry for the statement; after the test clock jumped, the server may also
            // have appended expiries it owed (for other tests' open changes), and nothing else.
            long refusedAt = p.get("entry").asLong();
            for (long seq = before; seq < after; seq++) {
                if (seq != refusedAt) {
                    assertThat(api.entry(seq).get("type").asText()).as("entry %d", seq).isEqualTo("change.expired");
                }
            }
            assertThat(after).isGreaterThanOrEqualTo(before + 1);
            JsonNode entry = api.entry(refusedAt);
            assertThat(entry.get("type").asText()).isEqualTo("statement.refused");
            assertThat(entry.get("statement").asText()).isEqualTo(body.strip());
            assertThat(entry.get("facts").get("problem").asText()).isEqualTo(p.get("type").asText()
                    .substring("https://foureyes.dev/problems/".length()));
            assertThat(refusedAt).isBetween(before, after - 1);
        } else {
            assertThat(after).as("nothing appended").isEqualTo(before);
        }
        return p;
    }

    @Test
    void refusal_selfApproval_is403AndLogged() {
        long id = api.request("rene", "relay", relay("selfApproval"));
        JsonNode p = refusal(api.decisionStatement("rene", id, true), "/v1/changes/" + id + "/decisions", 403,
                "self-approval", true);
        assertThat(p.get("detail").asText()).isEqualTo("change " + id + ": rene may not approve their own change");
        assertThat(p.get("change").asLong()).isEqualTo(id);
        assertThat(p.get("component").asText()).isEqualTo("relay");
        assertThat(p.get("missing").get(0).asText()).contains("1 more approval");
        assertThat(api.change(id).get("state").asText()).isEqualTo("requested");
    }

    @Test
    void refusal_roleWithoutTheRight_is403AndLogged() {
        refusal(api.requestStatement("anna", "relay", relay("noRight"), false), "/v1/changes", 403, "no-right", true);
    }

    @Test
    void refusal_staleBase_is409AndLogged() {
        String stale = Principals.sign("rene", now(), new ChangeRequestClaims("relay", Optional.of("ab".repeat(32)),
                relay("stale"), "stale", false));
        refusal(stale, "/v1/changes", 409, "stale-base", true);
    }

    @Test
    void refusal_replayedJti_is409AndLogged() {
        String request = api.requestStatement("rene", "relay", relay("replay"), false);
        assertThat(api.post("/v1/changes", request).status()).isEqualTo(201);
        refusal(request, "/v1/changes", 409, "replayed", true);
    }

    @Test
    void refusal_expiredStatement_is400AndLogged() {
        String old = Principals.sign(Principals.key("rene"), now().minus(Duration.ofMinutes(20)),
                AppTestSupport.ORIGIN, new ChangeRequestClaims("relay", api.baseOf("relay"), relay("old"), "old",
                        false), Duration.ofMinutes(5));
        refusal(old, "/v1/changes", 400, "expired", true);
    }

    @Test
    void refusal_futureStatement_is400AndLogged() {
        String future = Principals.sign("rene", now().plus(Duration.ofMinutes(10)), new ChangeRequestClaims("relay",
                api.baseOf("relay"), relay("future"), "future", false));
        refusal(future, "/v1/changes", 400, "not-yet-valid", true);
    }

    @Test
    void refusal_wrongAudience_is400AndLogged() {
        String other = Principals.sign(Principals.key("rene"), now(), "other.example/log",
                new ChangeRequestClaims("relay", api.baseOf("relay"), relay("otherAud"), "aud", false),
                StatementSigner.DEFAULT_LIFETIME);
        refusal(other, "/v1/changes", 400, "wrong-audience", true);
    }

    @Test
    void refusal_algNone_is401AndLeavesNoTrace() {
        String header = "{\"alg\":\"none\",\"kid\":\"" + kid("rene") + "\"}";
        refusal(b64(header) + "." + payloadOf(api.requestStatement("rene", "relay", relay("none"), false)) + ".AAAA",
                "/v1/changes", 401, "bad-algorithm", false);
    }

    @Test
    void refusal_hs256KeyedWithThePublicKey_is401AndLeavesNoTrace() throws Exception {
        String header = b64("{\"alg\":\"HS256\",\"kid\":\"" + kid("rene") + "\"}");
        String input = header + "." + payloadOf(api.requestStatement("rene", "relay", relay("hs"), false));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(Principals.key("rene").verifierKey().toString()
                .getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        String token = input + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        refusal(token, "/v1/changes", 401, "bad-algorithm", false);
    }

    @Test
    void refusal_unknownKid_is401AndLeavesNoTrace() throws Exception {
        SignerKey stranger = SignerKey.generate("rene");
        String token = Principals.sign(stranger, now(), AppTestSupport.ORIGIN, new ChangeRequestClaims("relay",
                api.baseOf("relay"), relay("kid"), "kid", false), StatementSigner.DEFAULT_LIFETIME);
        refusal(token, "/v1/changes", 401, "unknown-key", false);
    }

    @Test
    void refusal_signatureByAnotherPrincipalsKey_is401AndLeavesNoTrace() {
        String rene = api.requestStatement("rene", "relay", relay("forged"), false);
        String nora = api.requestStatement("nora", "switch", switchConfig(false), false);
        String forged = rene.substring(0, rene.lastIndexOf('.')) + nora.substring(nora.lastIndexOf('.'));
        refusal(forged, "/v1/changes", 401, "bad-signature", false);
    }

    @Test
    void refusal_oversizedBody_is413AndLeavesNoTrace() {
        refusal("a".repeat(70 * 1024), "/v1/changes", 413, "too-large", false);
    }

    @Test
    void refusal_garbageAndMalformedJson_are400AndLeaveNoTrace() {
        refusal("this is not a statement", "/v1/changes", 400, "malformed", false);
        refusal(b64("{\"alg\":\"EdDSA\",\"kid\":\"" + kid("rene") + "\"}") + "." + b64("{not json") + ".AAAA",
                "/v1/changes", 400, "malformed", false);
    }

    @Test
    void refusal_guardViolation_is422AndLogged() {
        ObjectNode bad = relay("guard");
        bad.putArray("exit_policy").add("accept *:443");
        JsonNode p = refusal(api.requestStatement("rene", "relay", bad, false), "/v1/changes", 422, "guard-failed",
                true);
        assertThat(p.get("detail").asText()).contains("exit-policy-ends-with-reject-all");
    }

    @Test
    void refusal_decisionOnAClosedChange_is409AndLogged() {
        long id = api.request("rene", "relay", relay("closed"));
        assertThat(api.withdraw("rene", id).status()).isEqualTo(201);
        refusal(api.decisionStatement("nora", id, true), "/v1/changes/" + id + "/decisions", 409, "closed-change",
                true);
        assertThat(api.change(id).get("state").asText()).isEqualTo("withdrawn");
    }

    @Test
    void refusal_withdrawalByAnotherPrincipal_is403AndLogged() {
        long id = api.request("rene", "relay", relay("notMine"));
        String sha = api.change(id).get("request_sha256").asText();
        refusal(Principals.sign("nora", now(), new org.foureyes.statement.WithdrawalClaims(id, sha)),
                "/v1/changes/" + id + "/withdrawal", 403, "not-requester", true);
    }

    @Test
    void refusal_urlIdOtherThanTheClaim_is400AndLeavesNoTrace() {
        long id = api.request("rene", "relay", relay("urlMismatch"));
        refusal(api.decisionStatement("nora", id, true), "/v1/changes/" + (id + 1000) + "/decisions", 400,
                "change-mismatch", false);
        refusal(api.reportStatement("agent-relay", id, ReportClaims.Status.DRIFT), "/v1/components/switch/reports",
                400, "component-mismatch", false);
    }

    @Test
    void refusal_decisionSentAsRequest_isWrongTypeAndLogged() {
        long id = api.request("rene", "relay", relay("wrongType"));
        refusal(api.decisionStatement("nora", id, true), "/v1/changes", 400, "wrong-type", true);
    }

    @Test
    void http_wrongContentTypeUnknownPathAndMethod_areProblemJson() {
        Answer wrongType = api.post("/v1/changes", api.requestStatement("rene", "relay", relay("ct"), false),
                "text/plain");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.mediaType()).startsWith("application/problem+json");
        Answer notFound = api.get("/v1/nothing");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.mediaType()).startsWith("application/problem+json");
        Answer wrongMethod = api.post("/v1/policy", "x");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.mediaType()).startsWith("application/problem+json");
    }

    // ---------------------------------------------------------------- token crafting

    private static String kid(String who) {
        String k = Principals.key(who).verifierKey().toString();
        return k.substring(0, k.lastIndexOf('+'));
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String payloadOf(String compact) {
        return compact.split("\\.")[1];
    }
}
