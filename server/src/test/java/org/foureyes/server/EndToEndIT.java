package org.foureyes.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.foureyes.agent.AgentMain;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.server.core.EntryDraft;
import org.foureyes.server.core.LogAppender;
import org.foureyes.server.core.LogKeySigner;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredCheckpoint;
import org.foureyes.server.db.StoredEntry;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.StatementSigner;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end (issue 5), with the real jars (maven-failsafe-plugin, after package): {@code java -jar
 * foureyes.jar server} on SQLite with policies/tor-exit.yml; the three custodians request a change
 * to their own machine and another custodian approves it (statements signed with the test keys,
 * posted over HTTP); three agents with the real ops/hooks (dry run, into a scratch directory) apply
 * and report them: the relay's and the monitor's agents are {@code java -jar foureyes-verify.jar
 * agent --once} processes, the switch's runs in process ({@link AgentMain}). Then the log is
 * exported with {@code java -jar foureyes.jar export} and {@code foureyes-verify log} passes in full
 * mode with the three applied changes in its report. Finally the host turns hostile: with the
 * server stopped, an approval nobody gave is appended to the SQLite log with the log key (tree
 * recomputed, checkpoint signed, as a compromised host can), served to the relay's agent by a
 * stand-in host that serves the database as it is; the agent refuses it and writes nothing.
 */
class EndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "foureyes.test/e2e-log";
    // The example configurations of ops/examples, which the hooks and guards tests use too.
    static final String RELAY = example("relay");
    static final String SWITCH = example("switch");
    static final String MONITOR = example("monitor");

    @TempDir
    Path tmp;

    private Path serverJar;
    private Path verifyJar;
    private Path projectRoot;
    private Process server;
    private int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() throws Exception {
        serverJar = Path.of(System.getProperty("foureyes.serverJar", "target/foureyes.jar")).toAbsolutePath();
        verifyJar = Path.of(System.getProperty("foureyes.verifyJar", "../audit-log/target/foureyes-verify.jar"))
                .toAbsolutePath();
        projectRoot = Path.of(System.getProperty("foureyes.projectRoot", "..")).toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(serverJar), "no " + serverJar + ": run mvn verify (package comes first)");
        assumeTrue(Files.isRegularFile(verifyJar), "no " + verifyJar + ": build audit-log first");
        port = AppTestSupport.freePort();
        Path data = tmp.resolve("data");
        Files.writeString(tmp.resolve("config.yml"), AppTestSupport.serverJarConfig(data,
                projectRoot.resolve("policies/tor-exit.yml"), ORIGIN, port, AppTestSupport.freePort(), 4));
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        for (String k : List.of("rene", "nora", "anna", "agent-relay", "agent-switch", "agent-monitor")) {
            Path f = keys.resolve(k + ".key");
            try (var in = EndToEndIT.class.getResourceAsStream("/keys/" + k + ".test.key")) {
                Files.write(f, in.readAllBytes());
            }
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void threeCustodiansThreeAgents_changesApplied_exportVerifies_forgedApprovalRefused() throws Exception {
        startServer();
        String logKey = get("/v1/log/key").body().strip();
        String policySha = PolicyHash.sha256Hex(PolicyLoader.load(projectRoot.resolve("policies/tor-exit.yml")));

        // relay: rene requests, nora approves; switch: nora requests, anna approves; monitor: anna requests, rene approves.
        long relay = requestAndApprove("relay", RELAY, "rene", "nora");
        assertThat(agentJar("relay", logKey, policySha).exit).isZero();
        checkApplied("relay", RELAY, relay, "foureyes.conf");

        long sw = requestAndApprove("switch", SWITCH, "nora", "anna");
        Agent inProcess = agentInProcess("switch", logKey, policySha);
        assertThat(inProcess.exit).as(inProcess.output).isZero();
        checkApplied("switch", SWITCH, sw, "apply.sh");

        long monitor = requestAndApprove("monitor", MONITOR, "anna", "rene");
        assertThat(agentJar("monitor", logKey, policySha).exit).isZero();
        checkApplied("monitor", MONITOR, monitor, null);

        // The auditor: export over the public API with the export command, then full verification.
        Path export = tmp.resolve("export");
        Run ex = run(List.of(java(), "-jar", serverJar.toString(), "export", "--url", base(), "--out",
                export.toString(), "--key", logKey));
        assertThat(ex.exit).as(ex.output).isZero();
        Files.writeString(tmp.resolve("pinned-log.key"), logKey + "\n");
        Run verify = run(List.of(java(), "-jar", verifyJar.toString(), "log", "--key", "@" + tmp.resolve("pinned-log.key"),
                "--pin-policy", policySha, export.toString()));
        assertThat(verify.exit).as(verify.output).isZero();
        assertThat(verify.output).contains("replayed ")
                .contains("change " + relay + ": APPLIED; requested by rene")
                .contains("change " + sw + ": APPLIED; requested by nora")
                .contains("change " + monitor + ": APPLIED; requested by anna")
                .contains("approved by nora").contains("approved by anna").contains("approved by rene");
        Run json = run(List.of(java(), "-jar", verifyJar.toString(), "log", "--key", logKey, "--json", export.toString()));
        assertThat(json.exit).as(json.output).isZero();
        JsonNode report = JSON.readTree(json.output.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                .get("report");
        int applied = 0;
        for (JsonNode c : report.get("components")) {
            for (JsonNode ch : c.get("changes")) {
                if (ch.get("state").asText().equals("applied")) {
                    applied++;
                }
            }
        }
        assertThat(applied).isEqualTo(3);

        // A second relay change, requested but not approved by anyone.
        String relay2 = RELAY.replace("ops@example.org", "abuse@example.org");
        ObjectNode posted = post("/v1/changes", sign("rene", ChangeRequestClaims.of("relay",
                Optional.of(ConfigHash.sha256HexOfJson(RELAY)), JSON.readTree(relay2), "new contact address")));
        long second = posted.get("change").get("id").asLong();
        String requestSha = posted.get("change").get("request_sha256").asText();
        assertThat(posted.get("change").get("state").asText()).isEqualTo("requested");

        // The host turns hostile: server stopped, a forged approval appended with the log key.
        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + tmp.resolve("data/foureyes.db") + "?busy_timeout=10000")
                .installPlugin(new SqlObjectPlugin());
        SignerKey hostKey = SignerKeyFile.read(tmp.resolve("data/log.key"), null);
        SignerKey fakeNora = SignerKey.generate("nora"); // the host has no custodian's key: it makes one up
        String forged = StatementSigner.of(fakeNora).sign(ORIGIN, DecisionClaims.approve(second, requestSha));
        LogAppender appender = new LogAppender(jdbi, Dialect.of(jdbi), new LogKeySigner(hostKey, ORIGIN),
                Clock.systemUTC(), new MetricRegistry(), LogAppender.Settings.DEFAULT);
        appender.start();
        try {
            appender.append(EntryDraft.of("change.decided", forged, seq -> JSON.createObjectNode()
                    .put("change", second).put("state", "approved"))).get(60, TimeUnit.SECONDS);
        } finally {
            appender.stop();
        }

        byte[] relayBefore = Files.readAllBytes(tmp.resolve("relay.json"));
        byte[] torrcBefore = Files.readAllBytes(tmp.resolve("out-relay/foureyes.conf"));
        HttpServer hostile = hostileHost(new JdbiLogStore(jdbi));
        try {
            Agent refused = agentJar("relay", logKey, policySha, "http://127.0.0.1:" + hostile.getAddress().getPort());
            assertThat(refused.exit).as(refused.output).isEqualTo(AgentMain.REFUSED);
            assertThat(refused.output).contains("change.decided").containsIgnoringCase("key");
        } finally {
            hostile.stop(0);
        }
        assertThat(Files.readAllBytes(tmp.resolve("relay.json"))).isEqualTo(relayBefore);
        assertThat(Files.readAllBytes(tmp.resolve("out-relay/foureyes.conf"))).isEqualTo(torrcBefore);

        // The auditor's verifier sees the same forgery: the chain and the checkpoint hold, the replay does not.
        Path forgedExport = tmp.resolve("forged-export");
        Run ex2 = run(List.of(java(), "-jar", serverJar.toString(), "export-db", tmp.resolve("config.yml").toString(),
                "--out", forgedExport.toString()));
        assertThat(ex2.exit).as(ex2.output).isZero();
        assertThat(run(List.of(java(), "-jar", verifyJar.toString(), "log", "--key", logKey, "--chain-only",
                forgedExport.toString())).exit).isZero();
        Run full = run(List.of(java(), "-jar", verifyJar.toString(), "log", "--key", logKey, forgedExport.toString()));
        assertThat(full.exit).as(full.output).isEqualTo(1);
        assertThat(full.output).contains("FAILED").contains("change.decided");
    }

    // --- the workflow over HTTP -------------------------------------------------------------------

    private long requestAndApprove(String component, String config, String requester, String approver) throws Exception {
        ObjectNode r = post("/v1/changes", sign(requester, ChangeRequestClaims.of(component, Optional.empty(),
                JSON.readTree(config), "first " + component + " configuration")));
        JsonNode change = r.get("change");
        long id = change.get("id").asLong();
        assertThat(change.get("state").asText()).isEqualTo("requested");
        // The approver checks the request statement's hash himself, as the operator commands do.
        String requestSha = sha256Hex(change.get("request").asText());
        assertThat(change.get("request_sha256").asText()).isEqualTo(requestSha);
        ObjectNode d = post("/v1/changes/" + id + "/decisions", sign(approver, DecisionClaims.approve(id, requestSha)));
        assertThat(d.get("change").get("state").asText()).isEqualTo("approved");
        return id;
    }

    private void checkApplied(String component, String config, long change, String rendered) throws Exception {
        Path target = tmp.resolve(component + ".json");
        String want = ConfigHash.sha256HexOfJson(config);
        assertThat(ConfigHash.sha256HexOfJson(Files.readString(target))).isEqualTo(want);
        JsonNode c = JSON.readTree(get("/v1/components/" + component).body());
        assertThat(c.get("config_sha256").asText()).isEqualTo(want);
        assertThat(c.get("last_applied_change").asLong()).isEqualTo(change);
        assertThat(ConfigHash.sha256Hex(c.get("config"))).isEqualTo(want);
        JsonNode ch = JSON.readTree(get("/v1/changes/" + change).body());
        assertThat(ch.get("state").asText()).isEqualTo("applied");
        if (rendered != null) {
            assertThat(tmp.resolve("out-" + component).resolve(rendered)).exists();
        }
        try (var files = Files.list(tmp.resolve("out-" + component))) {
            assertThat(files.count()).as("the hook rendered into out-" + component).isPositive();
        }
    }

    private String sign(String who, org.foureyes.statement.StatementClaims claims) throws Exception {
        SignerKey key = SignerKeyFile.read(tmp.resolve("keys/" + who + ".key"), null);
        return StatementSigner.of(key).sign(ORIGIN, claims);
    }

    // --- agents -----------------------------------------------------------------------------------

    record Agent(int exit, String output) {
    }

    private Path agentConfig(String component, String logKey, String policySha, String server) throws IOException {
        Path cfg = tmp.resolve("agent-" + component + ".yml");
        Files.writeString(cfg, """
                component: %1$s
                key_file: %2$s
                server: %3$s
                log_key: "%4$s"
                genesis_policy_sha256: %5$s
                target: %6$s
                hook:
                  command: %7$s
                  timeout: PT60S
                  env:
                    FOUREYES_%8$s_OUT: %9$s
                    FOUREYES_DRY_RUN: "1"
                state_dir: %10$s
                http_timeout: PT30S
                """.formatted(component, tmp.resolve("keys/agent-" + component + ".key"), server, logKey, policySha,
                tmp.resolve(component + ".json"), projectRoot.resolve("ops/hooks/" + component + "-hook"),
                component.toUpperCase(java.util.Locale.ROOT), tmp.resolve("out-" + component),
                tmp.resolve("state-" + component)));
        return cfg;
    }

    private Agent agentJar(String component, String logKey, String policySha) throws Exception {
        return agentJar(component, logKey, policySha, base());
    }

    private Agent agentJar(String component, String logKey, String policySha, String server) throws Exception {
        Path cfg = agentConfig(component, logKey, policySha, server);
        Run r = run(List.of(java(), "-jar", verifyJar.toString(), "agent", "--config", cfg.toString(), "--once"));
        return new Agent(r.exit, r.output);
    }

    private Agent agentInProcess(String component, String logKey, String policySha) throws Exception {
        Path cfg = agentConfig(component, logKey, policySha, base());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = AgentMain.run(new String[] {"--config", cfg.toString(), "--once"}, ps, ps);
        return new Agent(exit, out.toString(StandardCharsets.UTF_8));
    }

    /**
     * A compromised host: serves the release of any component straight from the (tampered)
     * database, as the real service would, and nothing else.
     */
    private HttpServer hostileHost(JdbiLogStore store) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/v1/components/", ex -> {
            try {
                String path = ex.getRequestURI().getPath();
                String q = ex.getRequestURI().getQuery();
                if (!path.endsWith("/release") || q == null || !q.startsWith("since=")) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                String component = path.substring("/v1/components/".length(), path.length() - "/release".length());
                long since = Long.parseLong(q.substring("since=".length()));
                StoredCheckpoint cp = store.latestCheckpoint().orElseThrow();
                ObjectNode o = JSON.createObjectNode();
                o.put("component", component);
                o.put("since", since);
                o.put("checkpoint", cp.noteWithCosignatures());
                ArrayNode proof = o.putArray("consistency_proof");
                for (byte[] h : store.consistencyProof(since, cp.size())) {
                    proof.add(Base64.getEncoder().encodeToString(h));
                }
                ArrayNode entries = o.putArray("entries");
                for (StoredEntry e : store.entries(since, cp.size())) {
                    entries.add(new String(e.entry(), StandardCharsets.UTF_8));
                }
                o.putNull("next");
                byte[] body = JSON.writeValueAsBytes(o);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } catch (Exception e) {
                ex.sendResponseHeaders(500, -1);
            } finally {
                ex.close();
            }
        });
        s.start();
        return s;
    }

    // --- processes and HTTP -----------------------------------------------------------------------

    record Run(int exit, String output) {
    }

    private Run run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile(tmp, "run", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s did not finish", cmd).isTrue();
        return new Run(p.exitValue(), Files.readString(out));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private void startServer() throws Exception {
        List<String> cmd = List.of(java(), "-Xmx384m", "-jar", serverJar.toString(), "server",
                tmp.resolve("config.yml").toString());
        Path log = tmp.resolve("server.out");
        server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            assertThat(server.isAlive()).as("server exited: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
            try {
                if (get("/v1/components/relay").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("server did not start").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private ObjectNode post(String path, String statement) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(statement)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(201);
        return (ObjectNode) JSON.readTree(r.body());
    }

    private static String sha256Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String example(String component) {
        Path root = Path.of(System.getProperty("foureyes.projectRoot", ".."));
        try {
            return Files.readString(root.resolve("ops/examples/" + component + ".json")).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
