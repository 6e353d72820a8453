package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.server.WorkflowClient.relay;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.ledger.Ledger;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.Principals;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.WorkflowClient.Answer;
import org.foureyes.server.db.TestDatabase;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.ReportClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two service instances on one PostgreSQL schema, as in a scale-out: statements race through both,
 * and the log never forks and no change is decided twice, because each instance decides inside
 * the append transaction under the database's log lock, after catching up with the other's entries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesOnPostgresTest {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> one;
    private DropwizardAppExtension<FoureyesConfiguration> two;
    private WorkflowClient a;
    private WorkflowClient b;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        db = TestDatabase.postgres();
        Path data = AppTestSupport.tempDir("foureyes-two");
        one = instance(db, data, data.resolve("log.key"));
        one.before();
        two = instance(db, AppTestSupport.tempDir("foureyes-two-b"), data.resolve("log.key"));
        two.before();
        a = new WorkflowClient(one.client(), one.getLocalPort());
        b = new WorkflowClient(two.client(), two.getLocalPort());
    }

    static DropwizardAppExtension<FoureyesConfiguration> instance(TestDatabase db, Path data, Path key) {
        return new DropwizardAppExtension<>(TestApp.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("dataDir", data.toString()),
                ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", key.toString()),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url()),
                ConfigOverride.config("workflow.syncInterval", "100ms"));
    }

    @AfterAll
    void stop() throws Exception {
        pool.shutdownNow();
        if (two != null) {
            two.after();
        }
        if (one != null) {
            one.after();
        }
        if (db != null) {
            db.close();
        }
    }

    private <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        List<Future<T>> fs = new ArrayList<>();
        for (Callable<T> t : tasks) {
            fs.add(pool.submit(t));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : fs) {
            out.add(f.get());
        }
        return out;
    }

    @Test
    void approvals_racingThroughBothInstances_approveTheChangeOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            long id = a.request("rene", "relay", relay("race" + round));
            String byNora = a.decisionStatement("nora", id, true);
            String byAnna = a.decisionStatement("anna", id, true);
            List<Answer> answers = race(List.of(
                    () -> a.post("/v1/changes/" + id + "/decisions", byNora),
                    () -> b.post("/v1/changes/" + id + "/decisions", byAnna)));
            assertThat(answers).extracting(Answer::status).containsExactlyInAnyOrder(201, 409);
            Answer won = answers.stream().filter(x -> x.status() == 201).findFirst().orElseThrow();
            Answer lost = answers.stream().filter(x -> x.status() == 409).findFirst().orElseThrow();
            assertThat(won.json().get("state").asText()).isEqualTo("approved");
            assertThat(lost.json().get("type").asText()).endsWith("/closed-change");
            JsonNode change = a.change(id);
            assertThat(change.get("state").asText()).isEqualTo("approved");
            assertThat(change.get("decisions")).hasSize(1);
            assertThat(change.get("events")).extracting(e -> e.get("state").asText())
                    .containsOnlyOnce("approved");
        }
        assertLogReplays();
    }

    @Test
    void reports_racingForTwoChangesOnOneBase_applyExactlyOne() throws Exception {
        for (int round = 0; round < 3; round++) {
            long x = a.request("rene", "relay", relay("baseX" + round));
            long y = a.request("rene", "relay", relay("baseY" + round));
            a.approve("nora", x);
            a.approve("anna", y);
            String rx = a.reportStatement("agent-relay", x, ReportClaims.Status.APPLIED);
            String ry = a.reportStatement("agent-relay", y, ReportClaims.Status.APPLIED);
            List<Answer> answers = race(List.of(
                    () -> a.post("/v1/components/relay/reports", rx),
                    () -> b.post("/v1/components/relay/reports", ry)));
            assertThat(answers).extracting(Answer::status).containsOnlyOnce(201);
            Set<String> states = new HashSet<>(List.of(a.change(x).get("state").asText(),
                    a.change(y).get("state").asText()));
            assertThat(states).containsExactlyInAnyOrder("applied", "superseded");
        }
        assertLogReplays();
    }

    @Test
    void requests_concurrentlyThroughBothInstances_getDistinctIdsAndOneChain() throws Exception {
        List<Callable<Answer>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            WorkflowClient via = i % 2 == 0 ? a : b;
            String statement = a.requestStatement(i % 3 == 0 ? "nora" : "rene", i % 3 == 0 ? "switch" : "relay",
                    i % 3 == 0 ? WorkflowClient.switchConfig(i % 2 == 0) : relay("many" + i), false);
            tasks.add(() -> via.post("/v1/changes", statement));
        }
        List<Answer> answers = race(tasks);
        Set<Long> ids = new HashSet<>();
        for (Answer x : answers) {
            assertThat(x.status()).as(x.body()).isEqualTo(201);
            ids.add(x.json().get("change").get("id").asLong());
        }
        assertThat(ids).hasSize(40);
        assertLogReplays();
    }

    /** The whole stored log, read through instance one, replays in a fresh ledger: one chain, no fork. */
    private void assertLogReplays() throws Exception {
        long size = a.logSize();
        List<LogEntry> entries = new ArrayList<>();
        for (long start = 0; start < size; ) {
            Answer page = a.get("/v1/log/entries?start=" + start + "&end=" + size);
            for (String line : page.body().split("\n")) {
                if (!line.isEmpty()) {
                    entries.add(LogEntry.parse(line.getBytes(StandardCharsets.UTF_8)));
                }
            }
            start = entries.size();
        }
        assertThat(entries).hasSize((int) size);
        Ledger replayed = Ledger.replay(entries);
        assertThat(replayed.size()).isEqualTo(size);
    }

    @Test
    void refusals_throughBothInstances_shareOnePrincipalLimit() throws Exception {
        // refusalsPerMinute is 10 (the default): twelve refusals of one principal through the two
        // instances in turn, well within a minute, log ten in all, not ten per instance.
        long before = a.logSize();
        int logged = 0;
        for (int i = 0; i < 12; i++) {
            WorkflowClient via = i % 2 == 0 ? a : b;
            String s = Principals.sign("ines", WorkflowClient.now(),
                    new ChangeRequestClaims("relay", via.baseOf("relay"), relay("shared" + i),
                            "ines has no right to request", false));
            Answer r = via.post("/v1/changes", s);
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            if (r.json().get("logged").asBoolean()) {
                logged++;
            } else {
                assertThat(i).as("refusal %d was not logged although fewer than 10 were", i).isGreaterThanOrEqualTo(10);
            }
        }
        assertThat(logged).isEqualTo(10);
        assertThat(a.logSize()).isEqualTo(before + 10);
    }
}
