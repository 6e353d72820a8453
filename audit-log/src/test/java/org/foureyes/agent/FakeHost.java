package org.foureyes.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.Cosignature;
import org.foureyes.auditlog.InMemoryLogStore;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.statement.StatementType;

/**
 * A fake foureyes host on the JDK's HttpServer: serves releases (docs/release.md) built from an
 * {@link AgentLog}, and entries pages, and records posted reports. By default it behaves like the
 * real service (reports go through the ledger into the log); its fields let a test make it lie.
 */
final class FakeHost implements AutoCloseable {
    final AgentLog log;
    final HttpServer server;
    final List<String> reports = new ArrayList<>();
    final List<String> tokens = new ArrayList<>();

    /** Whether posted reports are appended to the log, as the real service does. */
    boolean acceptReports = true;
    /** The key that signs checkpoints. */
    SignerKey checkpointKey = AgentLog.LOG_KEY;
    /** Witnesses that cosign every checkpoint served. */
    List<SignerKey> witnesses = new ArrayList<>();
    /** How many entries one release carries, and one entries page. */
    int releaseCap = 1000;
    int pageCap = 1000;
    /** Served instead of the log's entries (but the checkpoint is over the log): hide or alter entries. */
    UnaryOperator<List<byte[]>> servedEntries = UnaryOperator.identity();
    /** Applied to the consistency proof served. */
    UnaryOperator<List<byte[]>> servedProof = UnaryOperator.identity();
    /** If set, the log the host pretends to have (checkpoint, proof and entries all over it). */
    List<LogEntry> pretend;

    FakeHost(AgentLog log) throws IOException {
        this.log = log;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private List<LogEntry> current() {
        return pretend != null ? pretend : log.entries;
    }

    private synchronized void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath();
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                tokens.add(auth);
            }
            if (x.getRequestMethod().equals("GET") && path.matches("/v1/components/[a-z0-9._-]+/release")) {
                send(x, 200, "application/json", release(Long.parseLong(q.get("since"))).getBytes(StandardCharsets.UTF_8));
            } else if (x.getRequestMethod().equals("GET") && path.equals("/v1/log/entries")) {
                long start = Long.parseLong(q.get("start"));
                long end = Math.min(Long.parseLong(q.get("end")), start + pageCap);
                List<byte[]> served = servedEntries.apply(bytes(current()));
                StringBuilder b = new StringBuilder();
                for (long i = start; i < Math.min(end, served.size()); i++) {
                    b.append(new String(served.get((int) i), StandardCharsets.UTF_8)).append('\n');
                }
                send(x, 200, "application/x-ndjson", b.toString().getBytes(StandardCharsets.UTF_8));
            } else if (x.getRequestMethod().equals("POST") && path.matches("/v1/components/[a-z0-9._-]+/reports")) {
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
                reports.add(body);
                if (acceptReports) {
                    log.submit(body, StatementType.REPORT);
                }
                send(x, 201, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            } else {
                send(x, 404, "application/problem+json", "{\"type\":\"not-found\"}".getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            send(x, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The release JSON, exactly as the real service builds it. */
    String release(long since) {
        List<LogEntry> entries = current();
        InMemoryLogStore store = new InMemoryLogStore();
        for (LogEntry e : entries) {
            try {
                store.append(e);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        long size = entries.size();
        Checkpoint cp = Checkpoint.of(AgentLog.ORIGIN, size, store.root());
        StringBuilder note = new StringBuilder(SignedCheckpoint.sign(cp, checkpointKey));
        for (SignerKey w : witnesses) {
            note.append(Cosignature.sign(cp, w, log.now.getEpochSecond()));
        }
        ObjectNode r = AgentLog.JSON.createObjectNode();
        r.put("component", "relay");
        r.put("since", since);
        r.put("checkpoint", note.toString());
        ArrayNode proof = r.putArray("consistency_proof");
        List<byte[]> p = since <= size ? store.consistencyProof(since, size) : List.of();
        servedProof.apply(new ArrayList<>(p)).forEach(h -> proof.add(Base64.getEncoder().encodeToString(h)));
        ArrayNode es = r.putArray("entries");
        List<byte[]> served = servedEntries.apply(bytes(entries));
        long end = Math.min(size, since + releaseCap);
        for (long i = since; i < end && i < served.size(); i++) {
            es.add(new String(served.get((int) i), StandardCharsets.UTF_8));
        }
        if (end < size) {
            r.put("next", end);
        } else {
            r.putNull("next");
        }
        return r.toString();
    }

    private static List<byte[]> bytes(List<LogEntry> entries) {
        List<byte[]> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(e.bytes()));
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int i = kv.indexOf('=');
                m.put(i < 0 ? kv : kv.substring(0, i), i < 0 ? "" : kv.substring(i + 1));
            }
        }
        return m;
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
