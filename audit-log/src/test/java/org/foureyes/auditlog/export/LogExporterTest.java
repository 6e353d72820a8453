package org.foureyes.auditlog.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogExporterTest {

    static SignerKey key;
    static List<byte[]> entries = new ArrayList<>();
    static String checkpoint;

    @BeforeAll
    static void setUp() throws Exception {
        key = SignerKey.generate("example.org/log");
        CompactRange range = CompactRange.empty();
        byte[] prev = LogEntry.GENESIS_PREV;
        for (int i = 0; i < 50; i++) {
            var facts = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            facts.put("change", i).put("state", "expired").put("reason", "r" + i);
            LogEntry e = LogEntry.create(i, Instant.EPOCH.plusSeconds(i), prev, EntryType.CHANGE_EXPIRED, null, facts);
            entries.add(e.bytes());
            range.append(e.leafHash(), null);
            prev = e.leafHash();
        }
        checkpoint = SignedCheckpoint.sign(Checkpoint.of("example.org/log", 50, range.root()), key);
    }

    @Test
    void export_iterator_writesLinesCheckpointAndKey(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("out");
        long n = LogExporter.export(dir, entries.iterator(), checkpoint, key.verifierKey());
        assertThat(n).isEqualTo(50);
        byte[] written = Files.readAllBytes(dir.resolve(ExportFormat.ENTRIES_FILE));
        StringBuilder expected = new StringBuilder();
        for (byte[] e : entries) {
            expected.append(new String(e, StandardCharsets.UTF_8)).append('\n');
        }
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(Files.readString(dir.resolve(ExportFormat.CHECKPOINT_FILE))).isEqualTo(checkpoint);
        assertThat(Files.readString(dir.resolve(ExportFormat.KEY_FILE))).isEqualTo(key.verifierKey() + "\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("entries.ndjson", "checkpoint", "log.key");
        }
    }

    @Test
    void export_pushSource_writesSameBytes(@TempDir Path tmp) throws IOException {
        LogExporter.export(tmp.resolve("a"), entries.iterator(), checkpoint, key.verifierKey());
        LogExporter.export(tmp.resolve("b"), sink -> {
            for (byte[] e : entries) {
                sink.accept(e);
            }
        }, checkpoint, key.verifierKey());
        assertThat(Files.readAllBytes(tmp.resolve("b").resolve(ExportFormat.ENTRIES_FILE)))
                .isEqualTo(Files.readAllBytes(tmp.resolve("a").resolve(ExportFormat.ENTRIES_FILE)));
    }

    @Test
    void export_checkpointOfOtherSize_refusedAndNoCheckpointWritten(@TempDir Path tmp) {
        Path dir = tmp.resolve("out");
        assertThatThrownBy(() -> LogExporter.export(dir, entries.subList(0, 49).iterator(), checkpoint,
                key.verifierKey())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("covers 50 entries but 49 were exported");
        assertThat(dir.resolve(ExportFormat.CHECKPOINT_FILE)).doesNotExist();
    }

    @Test
    void export_reorderedEntries_refusedByRootCheck(@TempDir Path tmp) {
        List<byte[]> swapped = new ArrayList<>(entries);
        swapped.set(3, entries.get(4));
        swapped.set(4, entries.get(3));
        assertThatThrownBy(() -> LogExporter.export(tmp.resolve("out"), swapped.iterator(), checkpoint,
                key.verifierKey())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
    }

    @Test
    void append_entryWithNewline_refused(@TempDir Path tmp) throws IOException {
        try (LogExporter x = LogExporter.create(tmp.resolve("out"))) {
            assertThatThrownBy(() -> x.append("{\"a\":\n1}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("newline");
        }
    }

    @Test
    void create_existingExport_refused(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("out");
        LogExporter.export(dir, entries.iterator(), checkpoint, key.verifierKey());
        assertThatThrownBy(() -> LogExporter.create(dir)).isInstanceOf(FileAlreadyExistsException.class);
    }
}
