package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.server.WorkflowClient.now;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.Principals;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.WorkflowClient.Answer;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A log that is not public ({@code log.public: false}): reads need an access token with the read right. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadAccessAppTest {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private WorkflowClient api;

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        Path data = AppTestSupport.tempDir("foureyes-private");
        db = TestDatabase.sqlite();
        app = new DropwizardAppExtension<>(TestApp.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("dataDir", data.toString()),
                ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", data.resolve("log.key").toString()),
                ConfigOverride.config("log.public", "false"),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url()));
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

    private static void assertProblem(Answer a, int status) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.mediaType()).startsWith("application/problem+json");
    }

    @Test
    void read_withoutToken_is401() {
        assertProblem(api.get("/v1/changes"), 401);
        assertProblem(api.get("/v1/log/checkpoint"), 401);
        assertProblem(api.get("/v1/policy"), 401);
    }

    @Test
    void read_withAuditorToken_isAllowed() {
        String token = Principals.accessToken("ines", now());
        assertThat(api.get("/v1/changes", token).status()).isEqualTo(200);
        assertThat(api.get("/v1/components", token).status()).isEqualTo(200);
        assertThat(api.get("/v1/log/checkpoint", token).status()).isEqualTo(200);
    }

    @Test
    void read_withTokenOfPrincipalWithoutReadRight_is403() {
        assertProblem(api.get("/v1/changes", Principals.accessToken("anna", now())), 403);
    }

    @Test
    void read_byAgent_isAllowedForItsComponentOnly() {
        String token = Principals.accessToken("agent-relay", now());
        assertThat(api.get("/v1/components/relay", token).status()).isEqualTo(200);
        assertThat(api.get("/v1/changes?component=relay", token).status()).isEqualTo(200);
        assertThat(api.get("/v1/log/entries?start=0&end=1", token).status()).isEqualTo(200);
        assertProblem(api.get("/v1/components/monitor", token), 403);
        assertProblem(api.get("/v1/changes", token), 403);
    }

    @Test
    void read_withExpiredOrForeignToken_is401() {
        assertProblem(api.get("/v1/changes", Principals.accessToken("ines", now().minus(Duration.ofMinutes(30)))),
                401);
        assertProblem(api.get("/v1/changes", "garbage"), 401);
    }

    @Test
    void write_needsNoToken_theStatementIsTheCredential() {
        String request = Principals.sign("rene", now(), new org.foureyes.statement.ChangeRequestClaims("relay",
                java.util.Optional.empty(), WorkflowClient.relay("private"), "private log", false));
        Answer a = api.post("/v1/changes", request);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
    }
}
