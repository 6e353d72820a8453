package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.LedgerException;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.WorkflowClient.Answer;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The limit of open changes per requester ({@code workflow.maxOpenChangesPerPrincipal}, here 2):
 * a request over it is refused with {@code open-limit}, logged as {@code statement.refused} with the
 * limit in its facts, leaves the changes as they were, and the log still replays in the ledger the
 * verifier and agents use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenLimitAppTest {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private WorkflowClient api;

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        db = TestDatabase.sqlite();
        app = HttpTestApps.app(db, "open-limit", true,
                ConfigOverride.config("workflow.maxOpenChangesPerPrincipal", "2"));
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

    private List<LogEntry> entries() throws Exception {
        Answer a = api.get("/v1/log/entries?start=0&end=" + api.logSize());
        List<LogEntry> out = new ArrayList<>();
        for (String line : a.body().split("\n")) {
            if (!line.isBlank()) {
                out.add(LogEntry.parse(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    @Test
    void request_overOpenLimit_isRefusedLoggedAndReplays() throws Exception {
        api.applyNew("monitor", WorkflowClient.monitor(true, 7), "anna", "rene", "agent-monitor");
        long first = api.request("anna", "monitor", WorkflowClient.monitor(true, 8));
        api.request("anna", "monitor", WorkflowClient.monitor(true, 9));
        int changesBefore = api.getJson("/v1/changes").size();

        Answer over = api.post("/v1/changes", api.requestStatement("anna", "monitor",
                WorkflowClient.monitor(true, 10), false));
        assertThat(over.status()).as(over.body()).isEqualTo(409);
        assertThat(over.mediaType()).startsWith("application/problem+json");
        JsonNode p = over.json();
        assertThat(p.get("type").asText()).isEqualTo("https://foureyes.dev/problems/open-limit");
        assertThat(p.get("detail").asText()).contains("anna has 2 open changes", "at most 2");
        assertThat(p.get("logged").asBoolean()).isTrue();
        assertThat(api.getJson("/v1/changes").size()).isEqualTo(changesBefore);
        JsonNode refused = api.entry(p.get("entry").asLong());
        assertThat(refused.get("type").asText()).isEqualTo("statement.refused");
        assertThat(refused.get("facts").get("problem").asText()).isEqualTo("open-limit");
        assertThat(refused.get("facts").get("limit").asInt()).isEqualTo(2);

        // Another principal is not held back by anna's changes.
        api.request("rene", "relay", WorkflowClient.relay("otherrequester"));
        // Withdrawing one makes room again.
        assertThat(api.withdraw("anna", first).status()).isEqualTo(201);
        api.request("anna", "monitor", WorkflowClient.monitor(true, 11));
        // At the limit again, an emergency is never held back: it can only narrow what is monitored.
        Answer emergency = api.post("/v1/changes", api.requestStatement("anna", "monitor",
                WorkflowClient.monitor(false, 7), true));
        assertThat(emergency.status()).as(emergency.body()).isEqualTo(201);

        // The whole log, refusal included, replays in the verifier's ledger.
        List<LogEntry> log = entries();
        Ledger.replay(log);

        // A refusal whose facts claim a limit the requester was not at does not replay.
        int at = (int) p.get("entry").asLong();
        LogEntry e = log.get(at);
        ObjectNode facts = e.facts().deepCopy();
        facts.put("limit", 3);
        LogEntry forged = LogEntry.create(e.seq(), e.time(), e.prev(), e.type(), e.statement().orElseThrow(), facts);
        List<LogEntry> tampered = new ArrayList<>(log.subList(0, at));
        tampered.add(forged);
        assertThatThrownBy(() -> Ledger.replay(tampered)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("accepts");
    }
}
