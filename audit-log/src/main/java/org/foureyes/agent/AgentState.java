package org.foureyes.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.foureyes.statement.ReportClaims;

/**
 * What the agent keeps between rounds and across restarts (docs/agent.md, "State"), in its state
 * directory:
 *
 * <ul>
 *   <li>{@code state.json}: the kept checkpoint and its size, the last applied change and its hash,
 *       the last change acted on, an apply in progress (intent), reports not yet delivered, and the
 *       drift hashes already reported; replaced atomically;
 *   <li>{@code entries.ndjson}: every verified entry from seq 0 up to the kept size, exact bytes, one
 *       per line, append-only; replayed through the ledger at start;
 *   <li>{@code previous.config}: the configuration that was in place when an apply began, to restore
 *       if the hook fails.
 * </ul>
 */
final class AgentState {
    static final String STATE = "state.json";
    static final String ENTRIES = "entries.ndjson";
    static final String PREVIOUS = "previous.config";
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** A change the agent applied: its id and configuration hash. */
    record Applied(long change, String sha256) {}

    /** An apply in progress: written before the target file is touched. */
    record Pending(long change, String sha256, String previousSha256, boolean previousPresent, Instant deadline) {}

    /** A report to deliver (signed fresh at each attempt). */
    record Outgoing(long change, ReportClaims.Status status, String applied, String detail) {}

    String checkpoint; // the kept signed checkpoint note, null before the first round
    long size;
    Applied applied;
    Long handled;
    Pending pending;
    final List<Outgoing> outbox = new ArrayList<>();
    final Set<String> driftReported = new LinkedHashSet<>();

    static AgentState read(Path dir) throws AgentException {
        Path file = dir.resolve(STATE);
        AgentState s = new AgentState();
        byte[] bytes;
        try {
            bytes = AtomicFiles.readOrNull(file);
        } catch (IOException e) {
            throw new AgentException(AgentException.Check.STATE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes == null) {
            return s;
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n.path("version").asInt() != 1) {
                throw new IOException("unknown state version " + n.path("version"));
            }
            s.checkpoint = n.hasNonNull("checkpoint") ? n.get("checkpoint").textValue() : null;
            s.size = n.path("size").asLong();
            JsonNode a = n.get("applied");
            if (a != null && !a.isNull()) {
                s.applied = new Applied(a.get("change").asLong(), a.get("sha256").textValue());
            }
            s.handled = n.hasNonNull("handled") ? n.get("handled").asLong() : null;
            JsonNode p = n.get("pending");
            if (p != null && !p.isNull()) {
                s.pending = new Pending(p.get("change").asLong(), p.get("sha256").textValue(),
                        p.hasNonNull("previous_sha256") ? p.get("previous_sha256").textValue() : null,
                        p.get("previous_present").asBoolean(), Instant.parse(p.get("deadline").textValue()));
            }
            for (JsonNode o : n.path("outbox")) {
                s.outbox.add(new Outgoing(o.get("change").asLong(), status(o.get("status").textValue()),
                        o.get("applied").textValue(), o.hasNonNull("detail") ? o.get("detail").textValue() : null));
            }
            for (JsonNode d : n.path("drift_reported")) {
                s.driftReported.add(d.textValue());
            }
            if ((s.checkpoint == null) != (s.size == 0)) {
                throw new IOException("checkpoint and size disagree");
            }
            return s;
        } catch (IOException | RuntimeException e) {
            throw new AgentException(AgentException.Check.STATE, file + " is corrupt (" + e.getMessage()
                    + "); it is written atomically, so this is not a crash: find out who changed it", e);
        }
    }

    private static ReportClaims.Status status(String s) {
        for (ReportClaims.Status v : ReportClaims.Status.values()) {
            if (v.json().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown report status " + s);
    }

    void save(Path dir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", 1);
        n.put("checkpoint", checkpoint);
        n.put("size", size);
        if (applied == null) {
            n.putNull("applied");
        } else {
            n.putObject("applied").put("change", applied.change()).put("sha256", applied.sha256());
        }
        if (handled == null) {
            n.putNull("handled");
        } else {
            n.put("handled", handled);
        }
        if (pending == null) {
            n.putNull("pending");
        } else {
            n.putObject("pending").put("change", pending.change()).put("sha256", pending.sha256())
                    .put("previous_sha256", pending.previousSha256()).put("previous_present", pending.previousPresent())
                    .put("deadline", pending.deadline().toString());
        }
        ArrayNode out = n.putArray("outbox");
        for (Outgoing o : outbox) {
            out.addObject().put("change", o.change()).put("status", o.status().json()).put("applied", o.applied())
                    .put("detail", o.detail());
        }
        ArrayNode drift = n.putArray("drift_reported");
        driftReported.forEach(drift::add);
        AtomicFiles.write(dir.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n), PRIVATE);
    }

    // ---------------------------------------------------------------- entries.ndjson

    /** Receives the entries read back from entries.ndjson. */
    @FunctionalInterface
    interface EntrySink {
        void accept(byte[] entry) throws AgentException;
    }

    /**
     * Streams the first {@code size} entries of entries.ndjson to {@code sink}. Lines beyond
     * {@code size} were appended by a round whose state.json was never written (a crash in
     * between): they are cut off, and the next round fetches them again.
     */
    static void readEntries(Path dir, long size, EntrySink sink) throws AgentException {
        Path file = dir.resolve(ENTRIES);
        try {
            if (!Files.exists(file)) {
                if (size == 0) {
                    return;
                }
                throw new AgentException(AgentException.Check.STATE, file + " is missing, but state.json keeps a"
                        + " checkpoint of size " + size);
            }
            long count = 0;
            long end = 0;
            try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(1024);
                int b;
                while (count < size && (b = in.read()) != -1) {
                    if (b == '\n') {
                        byte[] entry = line.toByteArray();
                        end += entry.length + 1;
                        line.reset();
                        count++;
                        sink.accept(entry);
                    } else {
                        line.write(b);
                    }
                }
            }
            if (count < size) {
                throw new AgentException(AgentException.Check.STATE, file + " holds " + count
                        + " complete entries, but state.json keeps a checkpoint of size " + size);
            }
            if (Files.size(file) > end) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(end);
                    ch.force(true);
                }
            }
        } catch (IOException e) {
            throw new AgentException(AgentException.Check.STATE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends verified entries and fsyncs them (before state.json names the new size). */
    static void appendEntries(Path dir, List<byte[]> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        Path file = dir.resolve(ENTRIES);
        boolean created = !Files.exists(file);
        int total = 0;
        for (byte[] e : entries) {
            total += e.length + 1;
        }
        ByteBuffer buf = ByteBuffer.allocate(total);
        for (byte[] e : entries) {
            buf.put(e).put((byte) '\n');
        }
        buf.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        if (created) {
            try {
                Files.setPosixFilePermissions(file, PRIVATE);
            } catch (UnsupportedOperationException e) {
                // not POSIX
            }
            AtomicFiles.syncDirectory(dir);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
