package org.foureyes.server.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.Cosignature;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.WitnessKey;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.cli.WideningPolicy;
import org.foureyes.server.db.TestDatabase;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The transparency page in headless Chromium (Debian's chromium and chromium-driver): the whole
 * service on port 0 with a SQLite log made through the API with real signed statements, the page's own verify.js
 * checked against known answers made by the Java code, then the page itself: it shows the change,
 * verifies, is readable at 375 px, and reports the entry after the database is tampered with.
 * Screenshots go to server/target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PageChromiumTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(90);

    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private VerifierKey logKey;
    private long logSize;
    private WebDriver driver;
    private String base;
    private Path screenshots;

    private long appliedChange;
    private long pendingChange;
    private long approvalSeq;
    private long policyChange;

    @BeforeAll
    void start() throws Exception {
        Chromium.require();
        Path data = AppTestSupport.tempDir("foureyes-page");
        db = TestDatabase.sqlite();
        app = AppTestSupport.app(db, data);
        app.before();
        base = "http://127.0.0.1:" + app.getLocalPort();
        logKey = SignerKeyFile.read(data.resolve("log.key"), null).verifierKey();
        makeChanges();

        screenshots = Path.of(System.getProperty("foureyes.projectRoot", ".."), "server", "target", "screenshots");
        Files.createDirectories(screenshots);
        driver = Chromium.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (app != null) {
            app.after();
        }
        if (db != null) {
            db.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The log, made through the API with real statements signed by the tor-exit test keys:
    // change A to relay requested by rene, approved by nora, applied by the relay agent;
    // change B to relay requested, waiting for an approval; rene's self-approval of B refused.

    static final String RELAY_V1 = """
            {"nickname":"foureyesExit1","contact":"exit-ops@example.org","exit_policy":["accept *:443","reject *:*"],
             "exit_tos":32,"outbound_bind_address_exit":"192.0.2.10","outbound_bind_address_or":"192.0.2.11"}""";
    static final String RELAY_V2 = """
            {"nickname":"foureyesExit1","contact":"exit-ops@example.org","exit_policy":["accept *:80","accept *:443","reject *:*"],
             "exit_tos":32,"outbound_bind_address_exit":"192.0.2.10","outbound_bind_address_or":"192.0.2.11"}""";

    private void makeChanges() throws Exception {
        StatementSigner rene = signer("rene");
        StatementSigner nora = signer("nora");
        StatementSigner agent = signer("agent-relay");
        JsonNode v1 = JSON.readTree(RELAY_V1);
        JsonNode v2 = JSON.readTree(RELAY_V2);

        String request1 = rene.sign(AppTestSupport.ORIGIN, ChangeRequestClaims.of("relay", Optional.empty(), v1,
                "Open the exit for HTTPS only (ticket 7)"));
        appliedChange = post("/v1/changes", request1, 201).get("change").get("id").asLong();
        JsonNode approved = post("/v1/changes/" + appliedChange + "/decisions",
                nora.sign(AppTestSupport.ORIGIN, DecisionClaims.approve(appliedChange, sha256Hex(request1))), 201);
        assertThat(approved.get("state").asText()).isEqualTo("approved");
        approvalSeq = approved.get("receipt").get("seq").asLong();
        post("/v1/components/relay/reports", agent.sign(AppTestSupport.ORIGIN, new ReportClaims("relay", appliedChange,
                ConfigHash.sha256Hex(v1), ReportClaims.Status.APPLIED, Optional.of("hook exited 0"))), 201);

        String request2 = rene.sign(AppTestSupport.ORIGIN, ChangeRequestClaims.of("relay",
                Optional.of(ConfigHash.sha256Hex(v1)), v2, "Also allow plain HTTP on port 80"));
        pendingChange = post("/v1/changes", request2, 201).get("change").get("id").asLong();
        // Refused (self-approval), and logged as statement.refused.
        JsonNode refused = post("/v1/changes/" + pendingChange + "/decisions",
                rene.sign(AppTestSupport.ORIGIN, DecisionClaims.approve(pendingChange, sha256Hex(request2))), 403, 409, 422);
        assertThat(refused.toString()).contains("self-approval");

        // Change C to policy, pending: issue 13's widening (a guard dropped, src_addr recordable).
        JsonNode inForce = JSON.readTree(get("/v1/policy"));
        JsonNode widened = WideningPolicy.guardDroppedAddressRecordable(inForce.get("policy"));
        String request3 = signer("nora").sign(AppTestSupport.ORIGIN, ChangeRequestClaims.of("policy",
                Optional.of(inForce.get("sha256").asText()), widened, "Finer time buckets for the study"));
        policyChange = post("/v1/changes", request3, 201).get("change").get("id").asLong();
        logSize = SignedCheckpoint.open(get("/v1/log/checkpoint"), logKey).size();
    }

    /** A tor-exit test key (copied from audit-log's test resources; public, see policies/tor-exit.yml). */
    private static SignerKey signerKey(String name) throws Exception {
        try (var in = PageChromiumTest.class.getResourceAsStream("/keys/" + name + ".test.key")) {
            return SignerKey.parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    private static StatementSigner signer(String name) throws Exception {
        return StatementSigner.of(signerKey(name));
    }

    private JsonNode post(String path, String statement, int... statuses) throws Exception {
        Response r = app.client().target(base + path).request().post(Entity.entity(statement, "application/jose"));
        String body = r.readEntity(String.class);
        assertThat(r.getStatus()).as("POST %s: %s", path, body).isIn(Arrays.stream(statuses).boxed().toList());
        return JSON.readTree(body);
    }

    private String get(String path) {
        return app.client().target(base + path).request().get(String.class);
    }

    private static String sha256Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
    }

    // ---------------------------------------------------------------------------------------------
    // Tests

    @Test
    @Order(1)
    void verifyJs_inChromium_agreesWithTheJavaCodeOnKnownAnswers() throws Exception {
        // Known answers made by the Java implementation: a signed checkpoint with a witness
        // cosignature, a signed statement, a configuration hash, and an RFC 6962 vector.
        SignerKey kat = SignerKey.generate("kat.example/log");
        SignerKey witness = SignerKey.generate("witness.example");
        byte[] root = HexFormat.of().parseHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        Checkpoint cp = Checkpoint.of("kat.example/log", 8, root);
        String note = SignedCheckpoint.sign(cp, kat) + Cosignature.sign(cp, witness, 1_700_000_000L);
        StatementSigner rene = signer("rene");
        String statement = rene.sign("kat.example/log", DecisionClaims.approve(3, "ab".repeat(32)));
        String reneKey = signerKey("rene").verifierKey().toString();
        JsonNode config = JSON.readTree("{\"b\":[1.0,2.5e3,\"ü\\u0001\"],\"a\":{\"z\":null,\"y\":true}}");
        String vector = Files.readString(Path.of(System.getProperty("foureyes.projectRoot", ".."),
                "audit-log/src/test/resources/testdata/rfc6962/inclusion/1/happy-path.json"));
        String policyKeys = JSON.writeValueAsString(Map.of("principals", Map.of("rene",
                Map.of("keys", List.of(reneKey)))));

        ObjectNode in = JSON.createObjectNode()
                .put("note", note).put("key", kat.verifierKey().toString())
                .put("witness", WitnessKey.forSigner(witness).toString())
                .put("statement", statement).put("policy", policyKeys)
                .put("config", JSON.writeValueAsString(config)).put("vector", vector);
        driver.get(base + "/");
        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const d = JSON.parse(arguments[0]);
                import('/assets/verify.js').then(async (v) => {
                  const out = {};
                  const err = async (f) => { try { await f(); return 'accepted'; } catch (e) { return e.message; } };
                  out.ed25519 = await v.ed25519Supported();
                  const key = await v.parseVerifierKey(d.key);
                  const cp = await v.openCheckpoint(d.note, key);
                  out.size = cp.size; out.root = v.hex(cp.root); out.keyId = cp.keyIdHex;
                  const w = await v.parseVerifierKey(d.witness, v.KEY_TYPE_COSIGNATURE);
                  const cos = await v.verifyCosignatures(cp, [w]);
                  out.cosig = cos.map((c) => c.name + '@' + c.time + ':' + c.status).join(',');
                  out.alteredNote = await err(() => v.openCheckpoint(d.note.replace('\\n8\\n', '\\n9\\n'), key));
                  const lines = d.note.split('\\n');
                  const cosLine = lines[lines.length - 2];
                  const badCos = cosLine.slice(0, -6) + (cosLine.slice(-6, -5) === 'A' ? 'B' : 'A') + cosLine.slice(-5);
                  const cp2 = await v.openCheckpoint(d.note.replace(cosLine, badCos), key);
                  out.alteredCosig = await err(() => v.verifyCosignatures(cp2, [w]));
                  const st = await v.verifyStatement(d.statement, JSON.parse(d.policy));
                  out.statement = st.kid + ' ' + st.payload.decision + ' ' + st.payload.change;
                  const parts = d.statement.split('.');
                  const forged = parts[0] + '.' + btoa(JSON.stringify({...st.payload, change: 4})).replace(/=+$/, '')
                      .replace(/\\+/g, '-').replace(/\\//g, '_') + '.' + parts[2];
                  out.forgedStatement = await err(() => v.verifyStatement(forged, JSON.parse(d.policy)));
                  out.configHash = await v.configHash(JSON.parse(d.config));
                  const t = JSON.parse(d.vector);
                  const b = (s) => v.b64decode(s);
                  out.inclusion = await err(() => v.verifyInclusion(t.leafIdx, t.treeSize, b(t.leafHash), t.proof, b(t.root)));
                  out.inclusionWrongIndex = await err(() => v.verifyInclusion(t.leafIdx + 1, t.treeSize, b(t.leafHash), t.proof, b(t.root)));
                  done(JSON.stringify(out));
                }).catch((e) => done('ERROR ' + e.stack));
                """, JSON.writeValueAsString(in));
        assertThat(result).isInstanceOf(String.class);
        assertThat((String) result).doesNotStartWith("ERROR");
        JsonNode out = JSON.readTree((String) result);
        assertThat(out.get("ed25519").asBoolean()).isTrue();
        assertThat(out.get("size").asLong()).isEqualTo(8);
        assertThat(out.get("root").asText()).isEqualTo(HexFormat.of().formatHex(root));
        assertThat(out.get("keyId").asText()).isEqualTo(kat.verifierKey().keyIdHex());
        assertThat(out.get("cosig").asText()).isEqualTo("witness.example@1700000000:verified");
        assertThat(out.get("alteredNote").asText()).contains("does not verify");
        assertThat(out.get("alteredCosig").asText()).contains("cosignature by witness witness.example");
        assertThat(out.get("statement").asText()).isEqualTo(rene.keyId() + " approve 3");
        assertThat(out.get("forgedStatement").asText()).contains("signature by " + rene.keyId() + " does not verify");
        assertThat(out.get("configHash").asText()).isEqualTo(ConfigHash.sha256Hex(config));
        assertThat(out.get("inclusion").asText()).isEqualTo("accepted");
        assertThat(out.get("inclusionWrongIndex").asText()).isNotEqualTo("accepted");
    }

    @Test
    @Order(2)
    void page_afterChanges_showsThemAndReportsVerified() throws Exception {
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get(base + "/");
        String state = awaitVerification();
        String title = driver.findElement(By.id("status-title")).getText();
        assertThat(state).as("status: %s / %s", title, driver.findElement(By.id("status")).getText()).isEqualTo("ok");
        long size = logSize;
        assertThat(title).isEqualTo("Verified: checkpoint signed by " + logKey.keyIdHex() + ", " + size + " entries included");
        assertThat(driver.findElement(By.id("key-id")).getText()).isEqualTo(logKey.name() + "+" + logKey.keyIdHex());
        assertThat(driver.findElement(By.id("key-source")).getText()).isEqualTo("not pinned, fetched from the server");

        WebElement applied = driver.findElement(By.id("change-" + appliedChange));
        String text = applied.getText();
        assertThat(text).contains("Change " + appliedChange + " to relay", "applied", "rene", "nora approved",
                "Open the exit for HTTPS only (ticket 7)", "agent-relay reported applied");
        assertThat(text).contains("exit_policy");

        WebElement pending = driver.findElement(By.id("pending")).findElement(By.id("change-" + pendingChange));
        assertThat(pending.getText()).contains("requested", "Also allow plain HTTP on port 80",
                // worded as the server's DecisionEngine words it
                "needs 1 more approval from relay-operator, network-operator or analyst", "Who can approve\nnora, anna");
        // The diff of the pending change, computed in the browser: one element inserted in exit_policy.
        assertThat(pending.findElement(By.className("diff")).getText())
                .contains("exit_policy[0] added \"accept *:80\"").doesNotContain("exit_policy[1]");

        // A policy change: what widens, by name, computed in the browser, above the member-by-member diff.
        String policyDiff = driver.findElement(By.id("pending")).findElement(By.id("change-" + policyChange))
                .findElement(By.className("policy-content")).getText();
        assertThat(policyDiff).contains("WIDENS",
                "[widens] monitor: guard coarse-time-buckets removed (it required: config.record.bucket_minutes >= 60)",
                "[widens] monitor: schema record.fields[]: enum value \"src_addr\" added");

        assertThat(driver.findElement(By.id("component-relay")).getText()).contains("version 1",
                ConfigHash.sha256Hex(JSON.readTree(RELAY_V1)));
        assertThat(driver.findElement(By.id("refused")).getText()).contains("self-approval");
        assertThat(driver.findElement(By.id("policy")).getText()).contains("tor-exit", "widen-monitoring", "rene");
        // Coalition sizes come from the server's analysis (/v1/policy), for the policy the page verified.
        assertThat(driver.findElement(By.id("coalitions")).getText())
                .contains("widen-monitoring (relay, switch, monitor): 3 people (rene, nora, anna)");
        // What the browser works out as missing agrees with the server's DecisionEngine.
        String browser = pending.findElement(By.className("missing")).getText();
        assertThat(pending.findElement(By.className("server-says")).getText()).isEqualTo(browser);
        assertThat(driver.findElements(By.cssSelector("#entries tr.bad-row"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("#entries tbody tr"))).hasSize((int) size);

        fullPageScreenshot("page.png", 1280);
    }

    @Test
    @Order(3)
    void page_onAPhone_fitsTheWidthWithoutHorizontalScrolling() throws Exception {
        driver.manage().window().setSize(new Dimension(375, 812));
        driver.get(base + "/");
        assertThat(awaitVerification()).isEqualTo("ok");
        JavascriptExecutor js = (JavascriptExecutor) driver;
        long inner = ((Number) js.executeScript("return window.innerWidth")).longValue();
        long scroll = ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
        assertThat(inner).isLessThanOrEqualTo(400);
        assertThat(scroll).as("page width at %d px", inner).isLessThanOrEqualTo(inner);
        fullPageScreenshot("page-375.png", 375);
    }

    @Test
    @Order(4)
    void page_withAPinnedKey_checksAgainstItAndRefusesACheckpointOfAnotherKey() throws Exception {
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get(base + "/");
        JavascriptExecutor js = (JavascriptExecutor) driver;
        VerifierKey other = SignerKey.generate(AppTestSupport.ORIGIN).verifierKey();
        try {
            js.executeScript("localStorage.setItem('foureyes.pinnedLogKey', arguments[0])", other.toString());
            driver.navigate().refresh();
            assertThat(awaitVerification()).isEqualTo("failed");
            assertThat(driver.findElement(By.id("status-title")).getText()).isEqualTo("VERIFICATION FAILED: the checkpoint");
            assertThat(driver.findElement(By.id("status-detail")).getText())
                    .contains("not signed by the key " + AppTestSupport.ORIGIN + "+" + other.keyIdHex());
            assertThat(driver.findElement(By.id("key-id")).getText()).endsWith("+" + other.keyIdHex());
            assertThat(driver.findElement(By.id("key-source")).getText()).isEqualTo("pinned by you");
            assertThat(driver.findElement(By.id("key-info")).getText()).contains("The server now offers a different key");

            js.executeScript("localStorage.setItem('foureyes.pinnedLogKey', arguments[0])", logKey.toString());
            driver.navigate().refresh();
            assertThat(awaitVerification()).isEqualTo("ok");
            assertThat(driver.findElement(By.id("key-source")).getText()).isEqualTo("pinned by you");
        } finally {
            js.executeScript("localStorage.removeItem('foureyes.pinnedLogKey')");
        }
    }

    @Test
    @Order(5)
    void page_afterTheDatabaseIsTamperedWith_reportsFailureNamingTheEntry() throws Exception {
        // Turn nora's approval into a rejection in the stored bytes; the tree and checkpoint stay.
        try (Connection c = DriverManager.getConnection(db.url())) {
            byte[] entry;
            try (PreparedStatement s = c.prepareStatement("SELECT entry FROM log_entries WHERE seq = ?")) {
                s.setLong(1, approvalSeq);
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    entry = rs.getBytes(1);
                }
            }
            String original = new String(entry, StandardCharsets.UTF_8);
            assertThat(original).contains("\"state\":\"approved\"");
            String forged = original.replace("\"state\":\"approved\"", "\"state\":\"rejected\"");
            try (PreparedStatement s = c.prepareStatement("UPDATE log_entries SET entry = ? WHERE seq = ?")) {
                s.setBytes(1, forged.getBytes(StandardCharsets.UTF_8));
                s.setLong(2, approvalSeq);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get(base + "/");
        assertThat(awaitVerification()).isEqualTo("failed");
        String title = driver.findElement(By.id("status-title")).getText();
        assertThat(title).isEqualTo("VERIFICATION FAILED: entry " + approvalSeq
                + ": inclusion proof does not match the checkpoint root");
        assertThat(driver.findElement(By.id("status")).getText())
                .contains("entry " + (approvalSeq + 1) + ": prev does not match entry " + approvalSeq + "'s leaf hash");
        WebElement row = driver.findElement(By.id("entry-" + approvalSeq));
        assertThat(row.getAttribute("class")).contains("bad-row");
        assertThat(row.findElement(By.cssSelector("td[data-label=included]")).getText()).isEqualTo("✗");
        assertThat(driver.findElement(By.id("entry-" + approvalSeq + "-problem")).getText())
                .startsWith("entry " + approvalSeq + ": inclusion proof does not match the checkpoint root: expected ");
        assertThat(driver.findElements(By.cssSelector("#entries tr.bad-row:not(.problem-row)")))
                .extracting(e -> e.getAttribute("data-seq"))
                .containsExactlyInAnyOrder(String.valueOf(approvalSeq), String.valueOf(approvalSeq + 1));
        fullPageScreenshot("page-tampered.png", 1280);
    }

    // ---------------------------------------------------------------------------------------------

    private String awaitVerification() {
        new WebDriverWait(driver, VERIFY_TIMEOUT).until(d -> !"pending".equals(
                d.findElement(By.tagName("body")).getAttribute("data-verification")));
        return driver.findElement(By.tagName("body")).getAttribute("data-verification");
    }

    /** The whole page: the window is made as tall as the document (capped), then captured. */
    private void fullPageScreenshot(String name, int width) throws IOException {
        long height = ((Number) ((JavascriptExecutor) driver)
                .executeScript("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new Dimension(width, (int) Math.min(Math.max(height, 600), 12000)));
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(screenshots.resolve(name), png);
    }
}
