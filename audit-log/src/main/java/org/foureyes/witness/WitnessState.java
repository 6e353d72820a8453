package org.foureyes.witness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The witness's record of each log: the size, root hash and note of the latest checkpoint it
 * cosigned. Kept in one JSON file, replaced atomically on every change (write a temporary file in
 * the same directory, fsync it, rename it over the old one, fsync the directory), so a crash
 * leaves either the old or the new state, never a mix.
 *
 * <pre>{"version":1,"logs":{"example.org/log":{"size":7,"root":"base64","checkpoint":"note text"}}}</pre>
 *
 * <p>Not thread-safe: the {@link Witness} serialises access.
 */
public final class WitnessState {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The latest cosigned checkpoint of one log. */
    public record LogState(long size, byte[] root, String checkpoint) {
        public LogState {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(checkpoint, "checkpoint");
            root = root.clone();
        }

        @Override
        public byte[] root() {
            return root.clone();
        }
    }

    private final Path file;
    private final Map<String, LogState> logs;

    private WitnessState(Path file, Map<String, LogState> logs) {
        this.file = file;
        this.logs = logs;
    }

    /**
     * Loads the state file, or starts empty if it does not exist yet.
     *
     * @throws IOException if it exists but cannot be read or is not a witness state file (the
     *     witness must not start then: cosigning from an empty state could sign a fork)
     */
    public static WitnessState load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new WitnessState(file, new TreeMap<>());
        }
        Map<String, LogState> logs = new TreeMap<>();
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || root.path("version").asInt() != 1 || !root.path("logs").isObject()) {
                throw new IOException("witness state file " + file + " is not a version 1 state file");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.get("logs").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode l = e.getValue();
                if (!l.path("size").canConvertToLong() || !l.path("root").isTextual()
                        || !l.path("checkpoint").isTextual()) {
                    throw new IOException("witness state file " + file + ": log " + e.getKey()
                            + " needs size, root and checkpoint");
                }
                byte[] h = Base64.getDecoder().decode(l.get("root").textValue());
                if (h.length != 32) {
                    throw new IOException("witness state file " + file + ": log " + e.getKey()
                            + " has a root that is not 32 bytes");
                }
                logs.put(e.getKey(), new LogState(l.get("size").longValue(), h, l.get("checkpoint").textValue()));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException("witness state file " + file + " is corrupted: " + e.getMessage(), e);
        }
        return new WitnessState(file, logs);
    }

    public Path file() {
        return file;
    }

    /** The latest cosigned checkpoint of {@code origin}, or null if none. */
    public LogState get(String origin) {
        return logs.get(origin);
    }

    /** All logs' states, by origin. */
    public Map<String, LogState> all() {
        return Collections.unmodifiableMap(logs);
    }

    /** Records a new checkpoint for {@code origin} and makes it durable before returning. */
    public void put(String origin, LogState state) throws IOException {
        Map<String, LogState> next = new TreeMap<>(logs);
        next.put(origin, state);
        write(next);
        logs.put(origin, state);
    }

    private void write(Map<String, LogState> next) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ObjectNode ls = root.putObject("logs");
        for (Map.Entry<String, LogState> e : next.entrySet()) {
            ObjectNode l = ls.putObject(e.getKey());
            l.put("size", e.getValue().size());
            l.put("root", Base64.getEncoder().encodeToString(e.getValue().root()));
            l.put("checkpoint", e.getValue().checkpoint());
        }
        byte[] bytes = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename is atomic either way.
        }
    }
}
