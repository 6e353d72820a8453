package org.foureyes.auditlog.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.foureyes.auditlog.cli.VerifyMain;
import org.foureyes.auditlog.export.ExportFormat;

/** Export directories on disk for command-line tests (also used by the jar integration test). */
public final class CliFixtures {
    private final Path root;
    private final TestLog log;
    private final Path good;

    /** What {@code foureyes-verify} answered: exit code, standard output, standard error. */
    public record Run(int code, String out, String err) {
    }

    /** Runs {@code foureyes-verify} in this JVM with {@code args}, capturing both streams. */
    public static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VerifyMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private CliFixtures(Path root, TestLog log, Path good) {
        this.root = root;
        this.log = log;
        this.good = good;
    }

    /** A good export of {@code n} entries, a tampered one (entry 517's content), key files and saved checkpoints. */
    public static CliFixtures create(Path root, int n) throws IOException {
        TestLog log = TestLog.generate(n, 2026);
        Path good = log.export(root.resolve("good"));
        CliFixtures fx = new CliFixtures(root, log, good);
        Files.writeString(root.resolve("log.pub"), log.key.verifierKey() + "\n");
        Files.writeString(root.resolve("older.checkpoint"), log.checkpoint(600));
        TestLog fork = TestLog.generate(600, 77, log.key);
        Files.writeString(root.resolve("fork.checkpoint"), fork.checkpoint(600));
        List<byte[]> lines = log.entries();
        String e = new String(lines.get(517), StandardCharsets.UTF_8).replace("\"change\":", "\"change\":9");
        lines.set(517, e.getBytes(StandardCharsets.UTF_8));
        TestLog.writeRaw(root.resolve("tampered"), TestLog.ndjson(lines), log.checkpoint());
        return fx;
    }

    public Path good() {
        return good;
    }

    public Path tampered() {
        return root.resolve("tampered");
    }

    public Path keyFile() {
        return root.resolve("log.pub");
    }

    public Path olderCheckpoint() {
        return root.resolve("older.checkpoint");
    }

    public Path forkCheckpoint() {
        return root.resolve("fork.checkpoint");
    }

    public String keyText() {
        return log.key.verifierKey().toString();
    }

    public String otherKeyText() {
        return TestLog.newKey().verifierKey().toString();
    }

    public String keyName() {
        return log.key.name() + "+" + log.key.verifierKey().keyIdHex();
    }

    public String origin() {
        return TestLog.ORIGIN;
    }

    public String rootB64() {
        return Base64.getEncoder().encodeToString(log.store.root());
    }

    public Path copyOfGood(String name) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        for (String f : new String[] {ExportFormat.ENTRIES_FILE, ExportFormat.CHECKPOINT_FILE}) {
            Files.copy(good.resolve(f), d.resolve(f));
        }
        return d;
    }
}
