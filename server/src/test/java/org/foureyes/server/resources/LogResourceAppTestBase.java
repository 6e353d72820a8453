package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole service on port 0, read through HTTP as an auditor would, on SQLite and PostgreSQL
 * (subclasses *OnSqliteTest and *OnPostgresTest), after {@link #EXTRA} change requests through the
 * API (entries by another instance are read in TwoInstancesOnPostgresTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogResourceAppTestBase {
    static final int EXTRA = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private VerifierKey logKey;

    abstract TestDatabase database();

    @BeforeAll
    void start() throws Exception {
        Path data = AppTestSupport.tempDir("foureyes-app");
        db = database();
        app = AppTestSupport.app(db, data);
        app.before();

        SignerKey key = SignerKeyFile.read(data.resolve("log.key"), null);
        logKey = key.verifierKey();
        // Real entries: change requests through the API, each decided by the server's ledger.
        TestApp.CLOCK = TestClock.ticking();
        WorkflowClient api = new WorkflowClient(app.client(), app.getLocalPort());
        for (int i = 0; i < EXTRA; i++) {
            api.request("rene", "relay", WorkflowClient.relay("extra" + i));
        }
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

    private Response get(String path) {
        return app.client().target("http://localhost:" + app.getLocalPort() + path).request().get();
    }

    private String body(String path, int status, String mediaTypePrefix) {
        Response r = get(path);
        String body = r.readEntity(String.class);
        assertThat(r.getStatus()).as("%s: %s", path, body).isEqualTo(status);
        assertThat(r.getMediaType().toString()).as(path).startsWith(mediaTypePrefix);
        return body;
    }

    private Checkpoint checkpoint() throws Exception {
        return SignedCheckpoint.open(body("/v1/log/checkpoint", 200, "text/plain"), logKey);
    }

    private static List<byte[]> proof(JsonNode node) {
        List<byte[]> out = new ArrayList<>();
        node.get("proof").forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
        return out;
    }

    @Test
    void key_get_returnsTheVerifierKeyNamedAfterTheOrigin() throws Exception {
        String text = body("/v1/log/key", 200, "text/plain");
        VerifierKey key = VerifierKey.parse(text.strip());
        assertThat(key).isEqualTo(logKey);
        assertThat(key.name()).isEqualTo(AppTestSupport.ORIGIN);
    }

    @Test
    void checkpoint_get_verifiesAndCoversGenesisAndAppends() throws Exception {
        Checkpoint cp = checkpoint();
        assertThat(cp.origin()).isEqualTo(AppTestSupport.ORIGIN);
        assertThat(cp.size()).isEqualTo(1 + EXTRA);
    }

    @Test
    void entries_all_areExactChainedBytesStartingWithGenesis() throws Exception {
        String ndjson = body("/v1/log/entries?start=0&end=" + (1 + EXTRA), 200, "application/x-ndjson");
        assertThat(ndjson).endsWith("\n");
        String[] lines = ndjson.split("\n");
        assertThat(lines).hasSize(1 + EXTRA);
        LogEntry genesis = LogEntry.parse(lines[0].getBytes(StandardCharsets.UTF_8));
        assertThat(genesis.type()).isEqualTo("log.genesis");
        assertThat(genesis.facts().get("origin").asText()).isEqualTo(AppTestSupport.ORIGIN);
        assertThat(genesis.facts().get("log_key").asText()).isEqualTo(logKey.toString());
        assertThat(genesis.facts().get("policy_sha256").asText())
                .isEqualTo(PolicyHash.sha256Hex(PolicyLoader.load(AppTestSupport.policyFile())));
        byte[] prev = LogEntry.GENESIS_PREV;
        for (int i = 0; i < lines.length; i++) {
            LogEntry e = LogEntry.parse(lines[i].getBytes(StandardCharsets.UTF_8));
            assertThat(e.seq()).isEqualTo(i);
            assertThat(e.prev()).isEqualTo(prev);
            prev = e.leafHash();
        }
    }

    @Test
    void entries_pastTheEndOfTheLog_returnsOnlyWhatIsThere() {
        String ndjson = body("/v1/log/entries?start=18&end=5000", 200, "application/x-ndjson");
        assertThat(ndjson.split("\n")).hasSize(1 + EXTRA - 18);
        assertThat(body("/v1/log/entries?start=" + (1 + EXTRA) + "&end=5000", 200, "application/x-ndjson")).isEmpty();
    }

    @Test
    void inclusion_everyEntry_verifiesAgainstTheCheckpoint() throws Exception {
        Checkpoint cp = checkpoint();
        String[] lines = body("/v1/log/entries?start=0&end=" + cp.size(), 200, "application/x-ndjson").split("\n");
        for (int i = 0; i < cp.size(); i++) {
            JsonNode p = JSON.readTree(body("/v1/log/proof/inclusion?index=" + i + "&size=" + cp.size(), 200,
                    "application/json"));
            assertThat(p.get("index").asLong()).isEqualTo(i);
            assertThat(p.get("size").asLong()).isEqualTo(cp.size());
            byte[] leaf = LogEntry.parse(lines[i].getBytes(StandardCharsets.UTF_8)).leafHash();
            ProofVerifier.verifyInclusion(i, cp.size(), leaf, proof(p), cp.rootHash());
        }
    }

    @Test
    void consistency_fromGenesisCheckpoint_verifies() throws Exception {
        Checkpoint cp = checkpoint();
        // The root of size 1 is the genesis leaf hash.
        String first = body("/v1/log/entries?start=0&end=1", 200, "application/x-ndjson").strip();
        byte[] root1 = LogEntry.parse(first.getBytes(StandardCharsets.UTF_8)).leafHash();
        JsonNode p = JSON.readTree(body("/v1/log/proof/consistency?from=1&to=" + cp.size(), 200, "application/json"));
        assertThat(p.get("from").asLong()).isEqualTo(1);
        assertThat(p.get("to").asLong()).isEqualTo(cp.size());
        ProofVerifier.verifyConsistency(1, cp.size(), root1, cp.rootHash(), proof(p));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/v1/log/entries?start=5&end=2|bad-range",
        "/v1/log/entries?start=-1&end=2|bad-parameter",
        "/v1/log/entries?start=abc&end=2|bad-parameter",
        "/v1/log/entries?end=2|bad-parameter",
        "/v1/log/entries?start=0&end=99999999999999999999|bad-parameter",
        "/v1/log/entries?start=1000&end=2000|bad-range",
        "/v1/log/proof/inclusion?index=0&size=100000|bad-range",
        "/v1/log/proof/inclusion?index=3&size=3|bad-range",
        "/v1/log/proof/inclusion?index=1e3&size=4|bad-parameter",
        "/v1/log/proof/inclusion?index=-2&size=4|bad-parameter",
        "/v1/log/proof/consistency?from=3&to=2|bad-range",
        "/v1/log/proof/consistency?from=1&to=100000|bad-range",
        "/v1/log/proof/consistency?from=&to=4|bad-parameter",
    })
    void badInput_anyReadEndpoint_is400ProblemAndChangesNothing(String path, String type) throws Exception {
        String before = body("/v1/log/checkpoint", 200, "text/plain");
        Response r = get(path);
        String body = r.readEntity(String.class);
        assertThat(r.getStatus()).as(body).isEqualTo(400);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.get("type").asText()).isEqualTo("https://foureyes.dev/problems/" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).hasSizeGreaterThan(20);
        assertThat(body("/v1/log/checkpoint", 200, "text/plain")).isEqualTo(before);
    }

    @Test
    void unknownPath_get_is404Problem() throws Exception {
        Response r = get("/v1/nothing-here");
        assertThat(r.getStatus()).isEqualTo(404);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(JSON.readTree(r.readEntity(String.class)).get("type").asText())
                .isEqualTo("https://foureyes.dev/problems/not-found");
    }

    @Test
    void wrongMethod_postToKey_is405Problem() throws Exception {
        Response r = app.client().target("http://localhost:" + app.getLocalPort() + "/v1/log/key").request()
                .post(Entity.text("x"));
        assertThat(r.getStatus()).isEqualTo(405);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        JsonNode p = JSON.readTree(r.readEntity(String.class));
        assertThat(p.get("type").asText()).isEqualTo("https://foureyes.dev/problems/method-not-allowed");
        assertThat(p.get("detail").asText()).contains("POST").contains("GET");
    }
}
