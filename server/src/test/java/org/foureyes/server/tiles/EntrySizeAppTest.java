package org.foureyes.server.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
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

/**
 * Every new entry fits a tlog-tiles bundle (at most 65,535 bytes): a statement whose entry would be
 * longer is refused before anything is logged (docs/tiles.md). A statement may have up to 65,536
 * characters, so its entry (statement, facts and envelope) can exceed the bound by a few hundred
 * bytes: the statements here are sized into that gap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntrySizeAppTest {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private WorkflowClient api;

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        Path data = AppTestSupport.tempDir("foureyes-entry-size");
        db = TestDatabase.sqlite();
        app = new DropwizardAppExtension<>(TestApp.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("dataDir", data.toString()),
                ConfigOverride.config("policyFile", looseExitPolicy(data).toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", data.resolve("log.key").toString()),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url()),
                ConfigOverride.config("workflow.refusalsPerMinute", "1000"));
        app.before();
        api = new WorkflowClient(app.client(), app.getLocalPort());
    }

    /**
     * The test policy with the relay's exit policy entries loosened to any string of up to 500
     * characters: the shipped grammar keeps a relay configuration far below 48 KiB, and these tests
     * need statements sized into the gap between the statement and the entry limits.
     */
    private static Path looseExitPolicy(Path dir) throws java.io.IOException {
        com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        ObjectNode policy = (ObjectNode) yaml.readTree(AppTestSupport.policyFile().toFile());
        ObjectNode exitPolicy = (ObjectNode) policy.at("/components/relay/schema/properties/exit_policy");
        exitPolicy.putObject("items").put("type", "string").put("maxLength", 500);
        Path file = dir.resolve("loose-exit-policy.yml");
        java.nio.file.Files.writeString(file, policy.toPrettyString());
        return file;
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

    /** A relay configuration of about {@code rules * 410 + pad} bytes (valid if it ends with reject *:*). */
    private static ObjectNode relayOf(int rules, int pad, boolean endsWithRejectAll) {
        ObjectNode c = WorkflowClient.relay("big");
        ArrayNode policy = c.putArray("exit_policy");
        for (int i = 0; i < rules; i++) {
            policy.add("accept " + "a".repeat(400) + ":" + i);
        }
        policy.add("accept " + "b".repeat(pad + 1) + ":1");
        policy.add(endsWithRejectAll ? "reject *:*" : "accept *:*");
        return c;
    }

    /** A request statement of {@code min} to 65,536 characters: accepted by the statement limit, too long as an entry. */
    private String requestOfLength(int min, boolean valid) {
        for (int pad = 400; pad >= 0; pad -= 3) {
            String s = api.requestStatement("rene", "relay", relayOf(117, pad, valid), false);
            if (s.length() <= 65_536 && s.length() >= min) {
                return s;
            }
        }
        throw new AssertionError("no padding gives a statement of " + min + " to 65536 characters");
    }

    @Test
    void request_entryLongerThanABundleAllows_refused413AndNothingLogged() {
        long before = api.logSize();
        WorkflowClient.Answer a = api.post("/v1/changes", requestOfLength(65_450, true));
        assertThat(a.status()).as(a.body()).isEqualTo(413);
        assertThat(a.json().get("type").asText()).endsWith("/entry-too-large");
        assertThat(a.json().get("detail").asText()).contains("change.requested").contains("65535");
        assertThat(api.logSize()).isEqualTo(before);
    }

    @Test
    void request_entryWithinTheLimit_isAccepted() {
        WorkflowClient.Answer a = api.post("/v1/changes", api.requestStatement("rene", "relay", relayOf(100, 0, true), false));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        long seq = a.json().get("change").get("id").asLong();
        assertThat(api.entry(seq).toString().length()).isBetween(40_000, 65_535);
    }

    @Test
    void refusal_whoseEntryWouldBeTooLong_isAnsweredButNotLogged() {
        long before = api.logSize();
        WorkflowClient.Answer a = api.post("/v1/changes", requestOfLength(65_450, false));
        assertThat(a.status()).as(a.body()).isEqualTo(422);
        assertThat(a.json().get("type").asText()).endsWith("/guard-failed");
        assertThat(api.logSize()).isEqualTo(before);
    }
}
