package org.foureyes.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.Cosignature;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.WitnessKey;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesApplication;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.api.Receipt;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.TestDatabase;
import org.foureyes.witness.Witness;
import org.foureyes.witness.WitnessServer;
import org.foureyes.witness.WitnessState;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service with a witness running in-process (port 0): checkpoints are pushed and served cosigned. */
class WitnessPushAppTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private WitnessServer witness;
    private LogAppender second;

    @AfterEach
    void stop() throws Exception {
        if (second != null) {
            second.stop();
        }
        if (app != null) {
            app.after();
        }
        if (witness != null) {
            witness.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private String checkpointNote() {
        Response r = app.client().target("http://localhost:" + app.getLocalPort() + "/v1/log/checkpoint").request().get();
        assertThat(r.getStatus()).isEqualTo(200);
        return r.readEntity(String.class);
    }

    /** Polls the served checkpoint until it has size {@code size} and a cosignature by {@code w}. */
    private String awaitCosigned(long size, WitnessKey w, SignerKey logKey) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String note = null;
        while (System.nanoTime() < deadline) {
            note = checkpointNote();
            Checkpoint cp = SignedCheckpoint.open(note, logKey.verifierKey());
            if (cp.size() == size && !Cosignature.verify(note, List.of(w)).isEmpty()) {
                return note;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no cosigned checkpoint of size " + size + " within 60 s; last served:\n" + note);
    }

    @Test
    void append_withWitnessConfigured_checkpointServedWithValidCosignature() throws Exception {
        Path data = AppTestSupport.tempDir("foureyes-witness-app");
        SignerKey logKey = SignerKey.generate(AppTestSupport.ORIGIN);
        SignerKeyFile.write(data.resolve("log.key"), logKey, null);
        SignerKey witnessKey = SignerKey.generate("witness.test/w1");
        WitnessKey wk = WitnessKey.forSigner(witnessKey);
        Witness w = new Witness(witnessKey, List.of(logKey.verifierKey()),
                WitnessState.load(data.resolve("witness-state.json")), Clock.systemUTC());
        witness = WitnessServer.start(w, new InetSocketAddress("127.0.0.1", 0));

        Path config = data.resolve("config.yml");
        Files.writeString(config, Files.readString(Path.of(ResourceHelpers.resourceFilePath("test-config.yml")))
                + "\nwitnesses:\n  - url: " + witness.url() + "\n    key: " + wk + "\n");
        db = TestDatabase.sqlite(data.resolve("foureyes.db"));
        app = new DropwizardAppExtension<>(FoureyesApplication.class, config.toString(),
                ConfigOverride.config("dataDir", data.toString()),
                ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", data.resolve("log.key").toString()),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url()));
        app.before();

        // The genesis checkpoint (size 1) is pushed first, with old size 0.
        String first = awaitCosigned(1, wk, logKey);
        assertThat(first).startsWith(AppTestSupport.ORIGIN + "\n1\n");

        // Appends after it: the next checkpoint is pushed with a consistency proof from size 1.
        Jdbi jdbi = db.newJdbi();
        second = new LogAppender(jdbi, Dialect.of(jdbi), new LogKeySigner(logKey, AppTestSupport.ORIGIN),
                Clock.systemUTC(), new MetricRegistry(), LogAppender.Settings.DEFAULT);
        second.start();
        List<CompletableFuture<Receipt>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fs.add(second.append(EntryDraft.of("change.expired", null, seq -> JSON.createObjectNode()
                    .put("change", seq).put("state", "expired").put("reason", "test"))));
        }
        long size = 0;
        for (CompletableFuture<Receipt> f : fs) {
            size = Math.max(size, SignedCheckpoint.open(f.get(60, TimeUnit.SECONDS).checkpoint(),
                    logKey.verifierKey()).size());
        }
        assertThat(size).isEqualTo(6);

        String note = awaitCosigned(6, wk, logKey);
        List<Cosignature> cs = Cosignature.verify(note, List.of(wk));
        assertThat(cs).singleElement().satisfies(c -> assertThat(c.witness()).isEqualTo(wk));
        assertThat(w.size(AppTestSupport.ORIGIN)).isEqualTo(6);
        // the log's own signature still verifies on the served note
        assertThat(SignedCheckpoint.open(note, logKey.verifierKey()).size()).isEqualTo(6);
    }
}
