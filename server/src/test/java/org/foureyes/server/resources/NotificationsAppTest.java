package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.server.WorkflowClient.now;
import static org.foureyes.server.WorkflowClient.relay;

import com.codahale.metrics.Meter;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.Principals;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.WorkflowClient.Answer;
import org.foureyes.server.core.Workflow;
import org.foureyes.server.db.TestDatabase;
import org.foureyes.statement.ChangeRequestClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Webhooks (one receiver that answers 200, one that fails its first two posts) and the per-principal
 * rate limit of logged refusals (2 per minute here), against the running service on SQLite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsAppTest {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private WorkflowClient api;
    private HttpServer receiver;
    private final List<JsonNode> good = new CopyOnWriteArrayList<>();
    private final List<JsonNode> flaky = new CopyOnWriteArrayList<>();
    private final AtomicInteger flakyCalls = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/good", ex -> {
            good.add(WorkflowClient.json(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.createContext("/flaky", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (flakyCalls.incrementAndGet() <= 2) {
                ex.sendResponseHeaders(503, -1);
            } else {
                flaky.add(WorkflowClient.json(new String(body, StandardCharsets.UTF_8)));
                ex.sendResponseHeaders(200, -1);
            }
            ex.close();
        });
        receiver.start();
        String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort();

        Path data = AppTestSupport.tempDir("foureyes-notify");
        db = TestDatabase.sqlite();
        Path config = data.resolve("config.yml");
        Files.writeString(config, Files.readString(Path.of(io.dropwizard.testing.ResourceHelpers
                .resourceFilePath("test-config.yml"))) + """
                workflow:
                  refusalsPerMinute: 2
                  webhookBackoff: 100ms
                  webhookAttempts: 5
                webhooks:
                  - url: %s/good
                  - url: %s/flaky
                    events: [requested, emergency]
                """.formatted(hooks, hooks));
        app = new DropwizardAppExtension<>(TestApp.class, config.toString(),
                io.dropwizard.testing.ConfigOverride.config("dataDir", data.toString()),
                io.dropwizard.testing.ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                io.dropwizard.testing.ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                io.dropwizard.testing.ConfigOverride.config("log.keyFile", data.resolve("log.key").toString()),
                io.dropwizard.testing.ConfigOverride.config("database.driverClass", db.driverClass()),
                io.dropwizard.testing.ConfigOverride.config("database.url", db.url()));
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
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void webhooks_requestAndDecision_arePostedAfterCommitAndRetriedUntilDelivered() throws Exception {
        long id = api.request("rene", "relay", relay("hook"));
        api.approve("nora", id);
        await("requested and decided at /good", () -> good.stream().anyMatch(n -> is(n, "decided", id)));
        JsonNode requested = good.stream().filter(n -> is(n, "requested", id)).findFirst().orElseThrow();
        assertThat(requested.get("component").asText()).isEqualTo("relay");
        assertThat(requested.get("principal").asText()).isEqualTo("rene");
        assertThat(requested.get("state").asText()).isEqualTo("requested");
        assertThat(requested.get("entry").asText()).contains("\"type\":\"change.requested\"");
        JsonNode decided = good.stream().filter(n -> is(n, "decided", id)).findFirst().orElseThrow();
        assertThat(decided.get("state").asText()).isEqualTo("approved");
        assertThat(decided.get("principal").asText()).isEqualTo("nora");

        // The flaky receiver failed twice, then got the request; it never asked for decisions.
        await("requested at /flaky after retries", () -> flaky.stream().anyMatch(n -> is(n, "requested", id)));
        assertThat(flakyCalls.get()).isGreaterThanOrEqualTo(3);
        assertThat(flaky).noneMatch(n -> n.get("event").asText().equals("decided"));
        Meter sent = app.getEnvironment().metrics().meter("org.foureyes.server.core.Webhooks.sent");
        assertThat(sent.getCount()).isGreaterThanOrEqualTo(3);
    }

    private static boolean is(JsonNode n, String event, long change) {
        return n.get("event").asText().equals(event) && n.path("change").asLong(-1) == change;
    }

    @Test
    void refusals_beyondThePrincipalsRateLimit_areAnsweredButNotLogged() throws Exception {
        long before = api.logSize();
        for (int i = 0; i < 3; i++) {
            String s = Principals.sign("ines", now(), new ChangeRequestClaims("relay", api.baseOf("relay"),
                    relay("limit" + i), "no right", false));
            Answer a = api.post("/v1/changes", s);
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.json().get("type").asText()).endsWith("/no-right");
            assertThat(a.json().get("logged").asBoolean()).as("refusal %d: %s", i, a.body()).isEqualTo(i < 2);
        }
        assertThat(api.logSize()).isEqualTo(before + 2);
        await("refused webhook " + good, () -> good.stream().filter(n -> n.get("event").asText().equals("refused"))
                .count() >= 2);
        Meter noRight = app.getEnvironment().metrics().meter(
                com.codahale.metrics.MetricRegistry.name(Workflow.class, "refusals", "no-right"));
        assertThat(noRight.getCount()).isGreaterThanOrEqualTo(3);
    }

}
