package org.foureyes.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.export.LogExporter;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.DecisionClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the real server (maven-failsafe-plugin, after package): {@code java -jar
 * foureyes.jar server} on SQLite, many clients posting change requests and decisions, {@code kill
 * -9} (Process.destroyForcibly sends SIGKILL on Linux) in the middle, a restart on the same files,
 * then: every acknowledged (201) entry is in the log with the exact bytes of its receipt, the
 * restarted server takes statements again, and the whole log, exported, verifies with
 * foureyes-verify.
 */
class CrashSafetyIT {
    private static final int CLIENTS = 12;

    @TempDir
    Path tmp;

    private Path serverJar;
    private Path verifyJar;
    private Process server;
    private int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() throws IOException {
        serverJar = Path.of(System.getProperty("foureyes.serverJar", "target/foureyes.jar"));
        verifyJar = Path.of(System.getProperty("foureyes.verifyJar", "../audit-log/target/foureyes-verify.jar"));
        assumeTrue(Files.isRegularFile(serverJar), "no " + serverJar + ": run mvn verify (package comes first)");
        assumeTrue(Files.isRegularFile(verifyJar), "no " + verifyJar + ": build audit-log first");
        port = AppTestSupport.freePort();
        int admin = AppTestSupport.freePort();
        Path data = tmp.resolve("data");
        Files.writeString(tmp.resolve("config.yml"), AppTestSupport.serverJarConfig(data, AppTestSupport.policyFile(),
                AppTestSupport.ORIGIN, port, admin, 8));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void startServer(String name) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-jar", serverJar.toString(), "server", tmp.resolve("config.yml").toString());
        server = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            assertThat(server.isAlive()).as("server %s exited: %s", name, Files.exists(tmp.resolve(name + ".out"))
                    ? Files.readString(tmp.resolve(name + ".out")) : "").isTrue();
            try {
                if (get("/v1/components/relay").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("server %s did not start", name).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void killDashNine_midStream_everyAcknowledgedAppendSurvivesAndTheLogVerifies() throws Exception {
        startServer("first");
        Map<Long, String> acknowledged = new ConcurrentHashMap<>(); // seq -> exact entry text of the receipt
        ConcurrentLinkedQueue<long[]> changes = new ConcurrentLinkedQueue<>(); // {id}
        Map<Long, String> requestSha = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger counter = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r;
                        long[] pick = changes.poll();
                        if (pick != null && ThreadLocalRandom.current().nextInt(3) == 0) {
                            String who = ThreadLocalRandom.current().nextBoolean() ? "nora" : "anna";
                            r = post("/v1/changes/" + pick[0] + "/decisions", Principals.sign(who, Instant.now(),
                                    DecisionClaims.approve(pick[0], requestSha.get(pick[0]))));
                        } else {
                            if (pick != null) {
                                changes.add(pick);
                            }
                            int n = counter.incrementAndGet();
                            r = post("/v1/changes", Principals.sign("rene", Instant.now(), new ChangeRequestClaims(
                                    "relay", Optional.empty(), WorkflowClient.relay("crash" + n), "crash test " + n,
                                    false)));
                        }
                        if (r.statusCode() == 201) {
                            JsonNode body = WorkflowClient.json(r.body());
                            JsonNode receipts = body.has("entries") ? body.get("entries")
                                    : WorkflowClient.JSON.createArrayNode().add(body.get("receipt"));
                            for (JsonNode receipt : receipts) {
                                acknowledged.put(receipt.get("seq").asLong(), receipt.get("entry").asText());
                            }
                            JsonNode change = body.get("change");
                            if (change.get("state").asText().equals("requested")) {
                                requestSha.put(change.get("id").asLong(), change.get("request_sha256").asText());
                                changes.add(new long[] {change.get("id").asLong()});
                            }
                        }
                    } catch (ConnectException e) {
                        failures.incrementAndGet();
                        return;
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        if (!server.isAlive()) {
                            return;
                        }
                    }
                }
            }, "client-" + c);
            t.start();
            clients.add(t);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        server.destroyForcibly(); // SIGKILL, while the clients keep posting
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        for (Thread t : clients) {
            t.join(60_000);
        }
        assertThat(acknowledged).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(100);

        startServer("second");
        // Every acknowledged entry is in the log, byte for byte.
        List<byte[]> entries = new ArrayList<>();
        String checkpoint = get("/v1/log/checkpoint").body();
        long size = Long.parseLong(checkpoint.split("\n")[1]);
        while (entries.size() < size) {
            HttpResponse<String> page = get("/v1/log/entries?start=" + entries.size() + "&end=" + size);
            assertThat(page.statusCode()).isEqualTo(200);
            for (String line : page.body().split("\n")) {
                if (!line.isEmpty()) {
                    entries.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
            assertThat(ack.getKey()).as("acknowledged seq").isLessThan(size);
            assertThat(new String(entries.get(ack.getKey().intValue()), StandardCharsets.UTF_8))
                    .as("entry %d", ack.getKey()).isEqualTo(ack.getValue());
        }
        // The restarted server takes statements again.
        HttpResponse<String> again = post("/v1/changes", Principals.sign("rene", Instant.now(),
                new ChangeRequestClaims("relay", Optional.empty(), WorkflowClient.relay("afterCrash"), "after", false)));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);

        // The whole log, exported, verifies with foureyes-verify.
        String finalCheckpoint = get("/v1/log/checkpoint").body();
        long finalSize = Long.parseLong(finalCheckpoint.split("\n")[1]);
        while (entries.size() < finalSize) {
            HttpResponse<String> page = get("/v1/log/entries?start=" + entries.size() + "&end=" + finalSize);
            for (String line : page.body().split("\n")) {
                if (!line.isEmpty()) {
                    entries.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        String key = get("/v1/log/key").body().strip();
        Path export = tmp.resolve("export");
        LogExporter.export(export, entries.iterator(), finalCheckpoint, VerifierKey.parse(key));
        Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", verifyJar.toString(), "log", "--key", key, export.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("verify.out").toFile()).start();
        assertThat(verify.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(tmp.resolve("verify.out"));
        assertThat(verify.exitValue()).as(out).isZero();
        assertThat(out).contains("verified " + finalSize + " entries");
        System.out.printf("crash test: %d entries acknowledged before kill -9, %d client errors, log of %d entries"
                + " verified after restart%n", acknowledged.size(), failures.get(), finalSize);
    }
}
