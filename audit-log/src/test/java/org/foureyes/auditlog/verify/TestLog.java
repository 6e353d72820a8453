package org.foureyes.auditlog.verify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.foureyes.auditlog.ChainException;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.InMemoryLogStore;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.export.ExportFormat;
import org.foureyes.auditlog.export.LogExporter;

/** A generated log of realistic entries (about 400 bytes, with statements and facts), for tests. */
final class TestLog {
    static final String ORIGIN = "audit.example.org/foureyes-test";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] COMPONENTS = {"relay", "switch", "monitor"};
    private static final String[] PEOPLE = {"rene", "alba", "kofi", "mio"};

    final SignerKey key;
    final InMemoryLogStore store = new InMemoryLogStore();

    private TestLog(SignerKey key) {
        this.key = key;
    }

    static SignerKey newKey() {
        try {
            return SignerKey.generate(ORIGIN);
        } catch (KeyFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A log of {@code n} entries (n >= 1), entry 0 the genesis, generated from {@code seed}. */
    static TestLog generate(int n, long seed) {
        return generate(n, seed, newKey());
    }

    static TestLog generate(int n, long seed, SignerKey key) {
        TestLog log = new TestLog(key);
        Random rnd = new Random(seed);
        Instant t = Instant.parse("2026-11-25T08:00:00.000Z");
        try {
            ObjectNode g = F.objectNode();
            g.put("origin", ORIGIN);
            g.put("log_key", key.verifierKey().toString());
            ObjectNode policy = g.putObject("policy");
            policy.put("policy", "tor-exit");
            policy.putArray("components").add("relay").add("switch").add("monitor");
            g.put("policy_sha256", hex(rnd, 32));
            log.store.append(t, EntryType.LOG_GENESIS, null, g);
            for (int i = 1; i < n; i++) {
                t = t.plusMillis(rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(5000));
                log.appendRandom(rnd, t, i);
            }
        } catch (ChainException e) {
            throw new IllegalStateException(e);
        }
        return log;
    }

    private void appendRandom(Random rnd, Instant t, int seq) throws ChainException {
        String component = COMPONENTS[rnd.nextInt(COMPONENTS.length)];
        String who = PEOPLE[rnd.nextInt(PEOPLE.length)];
        long change = Math.max(1, seq - rnd.nextInt(Math.min(seq, 20)));
        ObjectNode facts = F.objectNode();
        switch (rnd.nextInt(5)) {
            case 0:
                facts.put("change", seq);
                facts.put("component", component);
                facts.put("state", "requested");
                store.append(t, EntryType.CHANGE_REQUESTED, jws(rnd, who, "foureyes.change-request/v1", 64), facts);
                break;
            case 1:
                facts.put("change", change);
                facts.put("state", rnd.nextBoolean() ? "approved" : "requested");
                store.append(t, EntryType.CHANGE_DECIDED, jws(rnd, who, "foureyes.decision/v1", 16), facts);
                break;
            case 2:
                facts.put("change", change);
                facts.put("state", "applied");
                facts.put("applied", hex(rnd, 32));
                store.append(t, EntryType.CHANGE_REPORTED, jws(rnd, component + "-agent", "foureyes.report/v1", 8), facts);
                break;
            case 3:
                facts.put("change", change);
                facts.put("state", "superseded");
                facts.put("reason", "change " + (change + 1) + " was applied");
                store.append(t, EntryType.CHANGE_SUPERSEDED, null, facts);
                break;
            default:
                facts.put("change", change);
                facts.put("state", "expired");
                facts.put("reason", "no approval within pending_ttl P7D; still missing: 1 approval from role "
                        + "network-operator or analyst (\"review\" \u2014 r\u00e9sum\u00e9 \ud83d\udd12)\tend");
                facts.putArray("missing").add("network-operator").add("analyst");
                facts.put("weight", 0.5);
                facts.putNull("comment");
                facts.put("emergency", false);
                store.append(t, EntryType.CHANGE_EXPIRED, null, facts);
        }
    }

    /** A JWS-shaped statement (not really signed: the verifier of this issue does not check statements). */
    private static String jws(Random rnd, String iss, String typ, int pad) {
        String header = "{\"alg\":\"EdDSA\",\"kid\":\"" + iss + "+1a2b3c4d\"}";
        StringBuilder payload = new StringBuilder("{\"typ\":\"" + typ + "\",\"iss\":\"" + iss
                + "\",\"aud\":\"" + ORIGIN + "\",\"iat\":1795593600,\"exp\":1795594200,\"jti\":\"" + hex(rnd, 8) + "\"");
        payload.append(",\"reason\":\"").append(hex(rnd, pad / 4)).append("\"}");
        byte[] sig = new byte[64];
        rnd.nextBytes(sig);
        return B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(sig);
    }

    private static String hex(Random rnd, int bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < bytes; i++) {
            s.append(String.format("%02x", rnd.nextInt(256)));
        }
        return s.toString();
    }

    int size() {
        return (int) store.size();
    }

    byte[] entry(int seq) {
        return store.entryBytes(seq);
    }

    List<byte[]> entries() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            out.add(entry(i));
        }
        return out;
    }

    /** entries.ndjson content. */
    byte[] ndjson() {
        return ndjson(entries());
    }

    static byte[] ndjson(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            out.writeBytes(l);
            out.write('\n');
        }
        return out.toByteArray();
    }

    Checkpoint checkpointBody(long size) {
        return Checkpoint.of(ORIGIN, size, store.root(size));
    }

    /** The signed checkpoint note of the first {@code size} entries. */
    String checkpoint(long size) {
        return SignedCheckpoint.sign(checkpointBody(size), key);
    }

    String checkpoint() {
        return checkpoint(size());
    }

    /** Writes a complete export with LogExporter. */
    Path export(Path dir) throws IOException {
        LogExporter.export(dir, entries().iterator(), checkpoint(), key.verifierKey());
        return dir;
    }

    /** Writes an export from raw parts, bypassing the exporter's checks. */
    static Path writeRaw(Path dir, byte[] ndjson, String checkpoint) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(ExportFormat.ENTRIES_FILE), ndjson);
        Files.writeString(dir.resolve(ExportFormat.CHECKPOINT_FILE), checkpoint);
        return dir;
    }
}
