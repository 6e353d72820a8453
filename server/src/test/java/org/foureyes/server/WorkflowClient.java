package org.foureyes.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.WithdrawalClaims;

/** Drives one running service through HTTP as operators and agents would, signing at {@link TestApp#CLOCK}. */
public final class WorkflowClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String JOSE = "application/jose";

    private final Client client;
    private final String base;

    public WorkflowClient(Client client, int port) {
        this.client = client;
        this.base = "http://localhost:" + port;
    }

    /** An HTTP answer, its body read. */
    public record Answer(int status, String mediaType, String body) {
        public JsonNode json() {
            return WorkflowClient.json(body);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode object(String text) {
        return (ObjectNode) json(text);
    }

    public static Instant now() {
        return TestApp.CLOCK.instant();
    }

    public Answer post(String path, String body) {
        return post(path, body, JOSE);
    }

    public Answer post(String path, String body, String contentType) {
        Response r = client.target(base + path).request().post(Entity.entity(body, contentType));
        return new Answer(r.getStatus(), String.valueOf(r.getMediaType()), r.readEntity(String.class));
    }

    public Answer get(String path) {
        return get(path, null);
    }

    public Answer get(String path, String bearer) {
        var req = client.target(base + path).request();
        if (bearer != null) {
            req = req.header("Authorization", "Bearer " + bearer);
        }
        Response r = req.get();
        return new Answer(r.getStatus(), String.valueOf(r.getMediaType()), r.readEntity(String.class));
    }

    public JsonNode getJson(String path) {
        Answer a = get(path);
        assertThat(a.status()).as("GET %s: %s", path, a.body()).isEqualTo(200);
        return a.json();
    }

    // ------------------------------------------------------------------ log

    public long logSize() {
        Answer a = get("/v1/log/checkpoint");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return Long.parseLong(a.body().split("\n")[1]);
    }

    public JsonNode entry(long seq) {
        Answer a = get("/v1/log/entries?start=" + seq + "&end=" + (seq + 1));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return json(a.body().strip());
    }

    public String lastEntryType() {
        return entry(logSize() - 1).get("type").asText();
    }

    // ------------------------------------------------------------------ components and changes

    public JsonNode component(String name) {
        return getJson("/v1/components/" + name);
    }

    public Optional<String> baseOf(String component) {
        JsonNode h = component(component).get("config_sha256");
        return h == null || h.isNull() ? Optional.empty() : Optional.of(h.asText());
    }

    public JsonNode change(long id) {
        return getJson("/v1/changes/" + id);
    }

    public String requestStatement(String who, String component, JsonNode config, boolean emergency) {
        return Principals.sign(who, now(), new ChangeRequestClaims(component, baseOf(component), config,
                "test " + component, emergency));
    }

    /** A change request that must be accepted; the change id. */
    public long request(String who, String component, JsonNode config) {
        return request(who, component, config, false);
    }

    public long request(String who, String component, JsonNode config, boolean emergency) {
        Answer a = post("/v1/changes", requestStatement(who, component, config, emergency));
        assertThat(a.status()).as("request by %s: %s", who, a.body()).isEqualTo(201);
        return a.json().get("change").get("id").asLong();
    }

    public String decisionStatement(String who, long change, boolean approve) {
        String sha = change(change).get("request_sha256").asText();
        return Principals.sign(who, now(), approve ? DecisionClaims.approve(change, sha)
                : DecisionClaims.reject(change, sha, "no"));
    }

    public Answer decide(String who, long change, boolean approve) {
        return post("/v1/changes/" + change + "/decisions", decisionStatement(who, change, approve));
    }

    public JsonNode approve(String who, long change) {
        Answer a = decide(who, change, true);
        assertThat(a.status()).as("approval by %s: %s", who, a.body()).isEqualTo(201);
        return a.json();
    }

    public Answer withdraw(String who, long change) {
        String sha = change(change).get("request_sha256").asText();
        return post("/v1/changes/" + change + "/withdrawal", Principals.sign(who, now(),
                new WithdrawalClaims(change, sha)));
    }

    public String reportStatement(String agent, long change, ReportClaims.Status status) {
        JsonNode c = change(change);
        return Principals.sign(agent, now(), new ReportClaims(c.get("component").asText(), change,
                c.get("config_sha256").asText(), status, Optional.empty()));
    }

    public Answer report(String agent, long change, ReportClaims.Status status) {
        String component = change(change).get("component").asText();
        return post("/v1/components/" + component + "/reports", reportStatement(agent, change, status));
    }

    /** Request, approve and report applied: the component's configuration becomes {@code config}. */
    public long applyNew(String component, JsonNode config, String requester, String approver, String agent) {
        long id = request(requester, component, config);
        approve(approver, id);
        Answer r = report(agent, id, ReportClaims.Status.APPLIED);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(baseOf(component)).contains(ConfigHash.sha256Hex(config));
        return id;
    }

    // ------------------------------------------------------------------ configurations (tor-exit)

    public static ObjectNode relay(String nickname) {
        return object("{\"nickname\":\"" + nickname + "\",\"contact\":\"ops@example.org\","
                + "\"exit_policy\":[\"accept *:443\",\"reject *:*\"],\"exit_tos\":32,"
                + "\"outbound_bind_address_exit\":\"192.0.2.10\",\"outbound_bind_address_or\":\"192.0.2.11\"}");
    }

    public static ObjectNode monitor(boolean capture, int retentionDays) {
        return object("{\"capture\":{\"enabled\":" + capture + ",\"interface\":\"mirror0\",\"exit_tos\":32},"
                + "\"record\":{\"fields\":[\"dst_port\",\"asn\",\"country\"],"
                + "\"bucket_minutes\":60,\"retention_days\":" + retentionDays + "}}");
    }

    public static ObjectNode switchConfig(boolean mirror) {
        return object("{\"mirror\":{\"enabled\":" + mirror + ",\"sessions\":[{\"name\":\"exit\",\"source\":\"swp1\","
                + "\"direction\":\"ingress\",\"destination\":\"swp8\"}]},\"firewall\":{\"default\":\"accept\","
                + "\"rules\":[]}}");
    }
}
