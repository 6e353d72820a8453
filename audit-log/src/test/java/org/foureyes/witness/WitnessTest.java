package org.foureyes.witness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.Cosignature;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.InMemoryLogStore;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.WitnessKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WitnessTest {
    static final String ORIGIN = "log.example.org/foureyes";
    static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    @TempDir
    Path tmp;

    SignerKey logKey;
    SignerKey witnessKey;
    InMemoryLogStore log;
    WitnessServer server;
    WitnessClient client;

    @BeforeEach
    void setUp() throws Exception {
        logKey = SignerKey.generate(ORIGIN);
        witnessKey = SignerKey.generate("witness.example.org/w1");
        log = grow(new InMemoryLogStore(), 10, "a");
        server = start();
        client = new WitnessClient(URI.create(server.url()), WitnessKey.forSigner(witnessKey));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    WitnessServer start() throws Exception {
        Witness w = new Witness(witnessKey, List.of(logKey.verifierKey()), WitnessState.load(tmp.resolve("state.json")),
                Clock.fixed(T, ZoneOffset.UTC));
        return WitnessServer.start(w, new java.net.InetSocketAddress("127.0.0.1", 0));
    }

    static InMemoryLogStore grow(InMemoryLogStore s, int n, String tag) throws Exception {
        for (int i = 0; i < n; i++) {
            ObjectNode f = JsonNodeFactory.instance.objectNode();
            f.put("change", s.size());
            f.put("state", "expired");
            f.put("reason", tag + i);
            s.append(T, s.size() == 0 ? EntryType.LOG_GENESIS : EntryType.CHANGE_EXPIRED, null, f);
        }
        return s;
    }

    String checkpoint(InMemoryLogStore s, SignerKey key) {
        return SignedCheckpoint.sign(Checkpoint.of(ORIGIN, s.size(), s.root()), key);
    }

    HttpResponse<String> post(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void addCheckpoint_firstThenConsistent_cosignsEach() throws Exception {
        String cp1 = checkpoint(log, logKey);
        WitnessClient.Outcome o1 = client.addCheckpoint(cp1, 0, List.of());
        assertThat(o1).isInstanceOf(WitnessClient.Cosigned.class);
        String line = ((WitnessClient.Cosigned) o1).line();
        List<Cosignature> cs = Cosignature.verify(cp1 + line, List.of(WitnessKey.forSigner(witnessKey)));
        assertThat(cs).singleElement().satisfies(c -> assertThat(c.timestamp()).isEqualTo(T.getEpochSecond()));

        grow(log, 7, "b");
        String cp2 = checkpoint(log, logKey);
        WitnessClient.Outcome o2 = client.addCheckpoint(cp2, 10, log.consistencyProof(10, 17));
        assertThat(o2).isInstanceOf(WitnessClient.Cosigned.class);
        assertThat(server.witness().size(ORIGIN)).isEqualTo(17);

        // the same checkpoint again: old = size = 17, same root: cosigned again
        assertThat(client.addCheckpoint(cp2, 17, List.of())).isInstanceOf(WitnessClient.Cosigned.class);
    }

    @Test
    void addCheckpoint_inconsistent_422AndStateUnchanged() throws Exception {
        assertThat(client.addCheckpoint(checkpoint(log, logKey), 0, List.of())).isInstanceOf(WitnessClient.Cosigned.class);
        // a fork: another history of 17 entries, signed by the same log key, with its own (valid) proof
        InMemoryLogStore fork = grow(new InMemoryLogStore(), 17, "x");
        WitnessClient.Outcome o = client.addCheckpoint(checkpoint(fork, logKey), 10, fork.consistencyProof(10, 17));
        assertThat(o).isInstanceOf(WitnessClient.Refused.class);
        assertThat(((WitnessClient.Refused) o).status()).isEqualTo(422);
        assertThat(((WitnessClient.Refused) o).message()).contains("consistency proof from size 10 to 17");
        assertThat(server.witness().size(ORIGIN)).isEqualTo(10);
    }

    @Test
    void addCheckpoint_signedByAnotherKey_403() throws Exception {
        SignerKey other = SignerKey.generate(ORIGIN);
        WitnessClient.Outcome o = client.addCheckpoint(checkpoint(log, other), 0, List.of());
        assertThat(o).isInstanceOf(WitnessClient.Refused.class);
        assertThat(((WitnessClient.Refused) o).status()).isEqualTo(403);
        assertThat(server.witness().size(ORIGIN)).isZero();
    }

    @Test
    void addCheckpoint_unknownOrigin_404() throws Exception {
        SignerKey other = SignerKey.generate("other.example.org/log");
        String note = SignedCheckpoint.sign(Checkpoint.of("other.example.org/log", log.size(), log.root()), other);
        WitnessClient.Outcome o = client.addCheckpoint(note, 0, List.of());
        assertThat(((WitnessClient.Refused) o).status()).isEqualTo(404);
    }

    @Test
    void addCheckpoint_staleOldSize_409WithItsSize() throws Exception {
        assertThat(client.addCheckpoint(checkpoint(log, logKey), 0, List.of())).isInstanceOf(WitnessClient.Cosigned.class);
        grow(log, 5, "b");
        HttpResponse<String> r = post(WitnessClient.body(checkpoint(log, logKey), 0, List.of()));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/x.tlog.size");
        assertThat(r.body()).isEqualTo("10\n");
        assertThat(client.addCheckpoint(checkpoint(log, logKey), 3, log.consistencyProof(3, 15)))
                .isEqualTo(new WitnessClient.Conflict(10));
    }

    @Test
    void addCheckpoint_sameSizeOtherRoot_409() throws Exception {
        assertThat(client.addCheckpoint(checkpoint(log, logKey), 0, List.of())).isInstanceOf(WitnessClient.Cosigned.class);
        InMemoryLogStore fork = grow(new InMemoryLogStore(), 10, "x");
        assertThat(client.addCheckpoint(checkpoint(fork, logKey), 10, List.of()))
                .isEqualTo(new WitnessClient.Conflict(10));
    }

    @Test
    void submit_unknownWitnessSize_reprovesFromTheSizeIn409() throws Exception {
        assertThat(client.addCheckpoint(checkpoint(log, logKey), 0, List.of())).isInstanceOf(WitnessClient.Cosigned.class);
        grow(log, 9, "b");
        WitnessClient.Outcome o = client.submit(checkpoint(log, logKey), log.size(), 0, log::consistencyProof);
        assertThat(o).isInstanceOf(WitnessClient.Cosigned.class);
        assertThat(server.witness().size(ORIGIN)).isEqualTo(19);
    }

    @Test
    void addCheckpoint_malformed_400() throws Exception {
        assertThat(post("hello").statusCode()).isEqualTo(400);
        assertThat(post("old 01\n\n" + checkpoint(log, logKey)).statusCode()).isEqualTo(400);
        assertThat(post("old 0\nnot-base64\n\n" + checkpoint(log, logKey)).statusCode()).isEqualTo(400);
        assertThat(post("old 11\n\n" + checkpoint(log, logKey)).statusCode()).as("old > size").isEqualTo(400);
        assertThat(post("old 0\n\nnot a note").statusCode()).isIn(400, 404);
        HttpResponse<String> get = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.url() + "/add-checkpoint")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void restart_sameStateFile_stillRefusesStaleSizeAndContinues() throws Exception {
        assertThat(client.addCheckpoint(checkpoint(log, logKey), 0, List.of())).isInstanceOf(WitnessClient.Cosigned.class);
        server.close();
        server = start(); // a new instance on the same state file
        client = new WitnessClient(URI.create(server.url()), WitnessKey.forSigner(witnessKey));

        grow(log, 4, "b");
        assertThat(client.addCheckpoint(checkpoint(log, logKey), 0, List.of())).isEqualTo(new WitnessClient.Conflict(10));
        InMemoryLogStore fork = grow(new InMemoryLogStore(), 14, "x");
        assertThat(((WitnessClient.Refused) client.addCheckpoint(checkpoint(fork, logKey), 10,
                fork.consistencyProof(10, 14))).status()).isEqualTo(422);
        assertThat(client.addCheckpoint(checkpoint(log, logKey), 10, log.consistencyProof(10, 14)))
                .isInstanceOf(WitnessClient.Cosigned.class);
        WitnessState reloaded = WitnessState.load(tmp.resolve("state.json"));
        assertThat(reloaded.get(ORIGIN).size()).isEqualTo(14);
        assertThat(reloaded.get(ORIGIN).checkpoint()).isEqualTo(checkpoint(log, logKey));
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void client_cosignatureByAnotherWitnessKey_refused() throws Exception {
        WitnessClient wrong = new WitnessClient(URI.create(server.url()),
                WitnessKey.forSigner(SignerKey.generate("witness.example.org/w1")));
        WitnessClient.Outcome o = wrong.addCheckpoint(checkpoint(log, logKey), 0, List.of());
        assertThat(o).isInstanceOf(WitnessClient.Refused.class);
        assertThat(((WitnessClient.Refused) o).status()).isZero();
    }

    @Test
    void main_configFile_servesUntilStopped() throws Exception {
        Path keyFile = tmp.resolve("w.key");
        SignerKeyFile.write(keyFile, witnessKey, null);
        Path cfg = tmp.resolve("witness.yml");
        Files.writeString(cfg, "listen: 127.0.0.1:0\nkey_file: w.key\nstate_file: data/state.json\nlogs:\n"
                + "  - origin: " + ORIGIN + "\n    key: " + logKey.verifierKey() + "\n");
        WitnessConfig c = WitnessConfig.load(cfg);
        assertThat(c.stateFile()).isEqualTo(tmp.resolve("data/state.json").toAbsolutePath());
        Witness w = WitnessMain.open(c);
        try (WitnessServer s = WitnessServer.start(w, c.listen())) {
            WitnessClient cl = new WitnessClient(URI.create(s.url()), w.witnessKey());
            assertThat(cl.addCheckpoint(checkpoint(log, logKey), 0, List.of())).isInstanceOf(WitnessClient.Cosigned.class);
        }
        assertThat(Files.exists(tmp.resolve("data/state.json"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        Files.writeString(cfg, "listen: 127.0.0.1:0\nkey_file: w.key\nstate_file: s.json\nlogs: []\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WitnessConfig.load(cfg))
                .hasMessageContaining("logs must list at least one log");
    }

    @Test
    void load_configWithLoneSurrogateOrDuplicateKey_refused() throws Exception {
        Path cfg = tmp.resolve("witness-bad.yml");
        Files.writeString(cfg, "listen: \"127.0.0.1:0\\ud800\"\nkey_file: w.key\nstate_file: s.json\nlogs: []\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WitnessConfig.load(cfg))
                .hasMessageContaining("lone surrogate");

        Files.writeString(cfg, "listen: 127.0.0.1:0\nlisten: 127.0.0.1:1\nkey_file: w.key\nstate_file: s.json\nlogs: []\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WitnessConfig.load(cfg))
                .hasMessageContaining("Duplicate field 'listen'");
    }
}
