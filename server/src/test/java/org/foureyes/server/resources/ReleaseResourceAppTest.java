package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.Cosignature;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.WitnessKey;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /v1/components/{name}/release} on the whole service (SQLite), checked the way the
 * agent checks it: checkpoint signature, cosignatures, consistency proof, and entries that extend
 * the kept tree to the signed root, continued through {@code /v1/log/entries} past the cap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseResourceAppTest {
    /** Entries appended after the genesis: more than one release carries. */
    static final int EXTRA = ReleaseResource.MAX_ENTRIES + 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private VerifierKey logKey;
    private JdbiLogStore store;
    private SignerKey witness;

    @BeforeAll
    void start() throws Exception {
        Path data = AppTestSupport.tempDir("foureyes-release");
        db = TestDatabase.sqlite();
        app = AppTestSupport.app(db, data);
        app.before();

        SignerKey key = SignerKeyFile.read(data.resolve("log.key"), null);
        logKey = key.verifierKey();
        Jdbi jdbi = db.newJdbi();
        store = new JdbiLogStore(jdbi);
        AppTestSupport.appendLogOnlyEntries(db, key, EXTRA);
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        witness = SignerKey.fromSeed("witness.example.net/w1", seed);
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

    private JsonNode release(String component, long since) throws Exception {
        Response r = get("/v1/components/" + component + "/release?since=" + since);
        String body = r.readEntity(String.class);
        assertThat(r.getStatus()).as(body).isEqualTo(200);
        assertThat(r.getMediaType().toString()).startsWith("application/json");
        return JSON.readTree(body);
    }

    private List<byte[]> allEntries(long end) {
        List<byte[]> out = new ArrayList<>();
        for (long start = 0; start < end; ) {
            String nd = get("/v1/log/entries?start=" + start + "&end=" + end).readEntity(String.class);
            for (String line : nd.split("\n")) {
                out.add(line.getBytes(StandardCharsets.UTF_8));
            }
            start = out.size();
        }
        return out;
    }

    private static List<byte[]> proof(JsonNode release) {
        List<byte[]> out = new ArrayList<>();
        release.get("consistency_proof").forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
        return out;
    }

    /** The round as an agent does it: entries [since, N) from the release and then /v1/log/entries. */
    private List<byte[]> roundEntries(JsonNode release, long size) {
        List<byte[]> out = new ArrayList<>();
        release.get("entries").forEach(e -> out.add(e.asText().getBytes(StandardCharsets.UTF_8)));
        JsonNode next = release.get("next");
        long start = release.get("since").asLong() + out.size();
        if (!next.isNull()) {
            assertThat(next.asLong()).isEqualTo(start);
        }
        while (start < size) {
            String nd = get("/v1/log/entries?start=" + start + "&end=" + size).readEntity(String.class);
            for (String line : nd.split("\n")) {
                out.add(line.getBytes(StandardCharsets.UTF_8));
            }
            start = release.get("since").asLong() + out.size();
        }
        return out;
    }

    @Test
    void release_sinceZero_startsAtGenesisCappedAndContinuesToTheSignedRoot() throws Exception {
        JsonNode r = release("relay", 0);
        Checkpoint cp = SignedCheckpoint.open(r.get("checkpoint").asText(), logKey);
        assertThat(cp.size()).isEqualTo(1 + EXTRA);
        assertThat(r.get("component").asText()).isEqualTo("relay");
        assertThat(r.get("since").asLong()).isZero();
        assertThat(r.get("consistency_proof")).isEmpty();
        assertThat(r.get("entries")).hasSize(ReleaseResource.MAX_ENTRIES);
        assertThat(r.get("next").asLong()).isEqualTo(ReleaseResource.MAX_ENTRIES);
        assertThat(LogEntry.parse(r.get("entries").get(0).asText().getBytes(StandardCharsets.UTF_8)).type())
                .isEqualTo("log.genesis");

        List<byte[]> entries = roundEntries(r, cp.size());
        assertThat(entries).hasSize((int) cp.size());
        CompactRange range = CompactRange.empty();
        for (int i = 0; i < entries.size(); i++) {
            LogEntry e = LogEntry.parse(entries.get(i));
            assertThat(e.seq()).isEqualTo(i);
            range.append(e.leafHash(), (id, h) -> { });
        }
        assertThat(range.root()).isEqualTo(cp.rootHash());
    }

    @Test
    void release_sinceKeptSize_proofVerifiesAndEntriesExtendTheKeptTree() throws Exception {
        long kept = EXTRA + 1 - 990; // 990 entries to go: one release, no continuation
        List<byte[]> all = allEntries(kept);
        CompactRange range = CompactRange.empty();
        for (byte[] e : all) {
            range.append(LogEntry.parse(e).leafHash(), (id, h) -> { });
        }
        byte[] keptRoot = range.root();

        JsonNode r = release("monitor", kept);
        Checkpoint cp = SignedCheckpoint.open(r.get("checkpoint").asText(), logKey);
        ProofVerifier.verifyConsistency(kept, cp.size(), keptRoot, cp.rootHash(), proof(r));
        assertThat(r.get("next").isNull()).isTrue();
        List<byte[]> entries = roundEntries(r, cp.size());
        assertThat(entries).hasSize((int) (cp.size() - kept));
        for (byte[] e : entries) {
            range.append(LogEntry.parse(e).leafHash(), (id, h) -> { });
        }
        assertThat(range.root()).isEqualTo(cp.rootHash());
        assertThat(LogEntry.parse(entries.get(0)).seq()).isEqualTo(kept);
    }

    @Test
    void release_entries_areTheExactBytesOfTheLogReadApi() throws Exception {
        long since = 5;
        JsonNode r = release("switch", since);
        List<byte[]> fromLog = allEntries(since + r.get("entries").size());
        for (int i = 0; i < r.get("entries").size(); i++) {
            assertThat(r.get("entries").get(i).asText().getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(fromLog.get((int) since + i));
        }
    }

    @Test
    void release_upToDateAgent_emptyProofNoEntries() throws Exception {
        long size = store.size();
        JsonNode r = release("relay", size);
        assertThat(SignedCheckpoint.open(r.get("checkpoint").asText(), logKey).size()).isEqualTo(size);
        assertThat(r.get("consistency_proof")).isEmpty();
        assertThat(r.get("entries")).isEmpty();
        assertThat(r.get("next").isNull()).isTrue();
    }

    @Test
    void release_witnessCosigned_carriesTheCosignatureLines() throws Exception {
        long size = store.size();
        Checkpoint cp = SignedCheckpoint.open(store.latestCheckpoint().orElseThrow().note(), logKey);
        store.addCosignature(size, witness.name(), Cosignature.sign(cp, witness, 1_790_000_000L),
                System.currentTimeMillis());
        JsonNode r = release("relay", size);
        List<Cosignature> cos = Cosignature.verify(r.get("checkpoint").asText(),
                List.of(WitnessKey.forSigner(witness)));
        assertThat(cos).hasSize(1);
        assertThat(cos.get(0).timestamp()).isEqualTo(1_790_000_000L);
        assertThat(SignedCheckpoint.open(r.get("checkpoint").asText(), logKey).size()).isEqualTo(size);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/v1/components/relay/release|bad-parameter",
        "/v1/components/relay/release?since=|bad-parameter",
        "/v1/components/relay/release?since=-1|bad-parameter",
        "/v1/components/relay/release?since=1e3|bad-parameter",
        "/v1/components/relay/release?since=99999999999999999999|bad-parameter",
        "/v1/components/Relay/release?since=0|bad-parameter",
        "/v1/components/relay/release?since=1000000|bad-range",
    })
    void release_badInput_is400Problem(String path, String type) throws Exception {
        Response r = get(path);
        String body = r.readEntity(String.class);
        assertThat(r.getStatus()).as(body).isEqualTo(400);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.get("type").asText()).isEqualTo("https://foureyes.dev/problems/" + type);
        assertThat(problem.get("detail").asText()).hasSizeGreaterThan(20);
    }
}
