package org.foureyes.server.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.SignerKeyFile;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.export.ExportFormat;
import org.foureyes.auditlog.verify.LogVerifier;
import org.foureyes.auditlog.verify.VerificationResult;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.cli.ExportCommand;
import org.foureyes.server.core.LogExport;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports (docs/export-format.md) of a log of more than two pages: GET /v1/log/export (tar),
 * the remote {@code export} command over the public API, and the database export of
 * {@code export-db}; whole and range exports, each verified with the auditor's LogVerifier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExportAppTestBase {
    static final int EXTRA = 2 * LogExport.PAGE + 150;

    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private VerifierKey logKey;
    private Jdbi jdbi;
    private long size;

    abstract TestDatabase database();

    @BeforeAll
    void start() throws Exception {
        Path data = AppTestSupport.tempDir("foureyes-export");
        db = database();
        app = AppTestSupport.app(db, data);
        app.before();
        SignerKey key = SignerKeyFile.read(data.resolve("log.key"), null);
        logKey = key.verifierKey();
        jdbi = db.newJdbi();
        AppTestSupport.appendLogOnlyEntries(db, key, EXTRA);
        size = new JdbiLogStore(jdbi).size();
        assertThat(size).isEqualTo(EXTRA + 1);
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

    private String base() {
        return "http://localhost:" + app.getLocalPort();
    }

    private Response get(String path) {
        return app.client().target(base() + path).request().get();
    }

    private VerificationResult.Verified verified(Path dir) throws IOException {
        VerificationResult r = LogVerifier.builder(logKey).build().verify(dir);
        assertThat(r).as(r.toString()).isInstanceOf(VerificationResult.Verified.class);
        return (VerificationResult.Verified) r;
    }

    @Test
    void endpoint_wholeLog_tarUnpacksToAVerifiedExport(@TempDir Path tmp) throws Exception {
        Response r = get("/v1/log/export");
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getMediaType().toString()).isEqualTo("application/x-tar");
        List<String> names = untar(r.readEntity(InputStream.class), tmp);
        assertThat(names).containsExactly(ExportFormat.KEY_FILE, ExportFormat.ENTRIES_FILE, ExportFormat.CHECKPOINT_FILE);
        VerificationResult.Verified v = verified(tmp);
        assertThat(v.start()).isZero();
        assertThat(v.entries()).isEqualTo(size);
    }

    @Test
    void endpoint_range_hasStartJsonAndVerifies(@TempDir Path tmp) throws Exception {
        Response r = get("/v1/log/export?start=1001");
        assertThat(r.getStatus()).isEqualTo(200);
        List<String> names = untar(r.readEntity(InputStream.class), tmp);
        assertThat(names).containsExactly(ExportFormat.START_FILE, ExportFormat.KEY_FILE,
                ExportFormat.ENTRIES_FILE, ExportFormat.CHECKPOINT_FILE);
        VerificationResult.Verified v = verified(tmp);
        assertThat(v.start()).isEqualTo(1001);
        assertThat(v.entries()).isEqualTo(size - 1001);
    }

    @Test
    void endpoint_badRanges_areProblems() {
        for (String q : new String[] {"?start=" + (size + 1), "?end=" + (size + 5), "?start=3&end=2", "?start=x"}) {
            Response r = get("/v1/log/export" + q);
            String body = r.readEntity(String.class);
            assertThat(r.getStatus()).as(q + ": " + body).isEqualTo(400);
            assertThat(r.getMediaType().toString()).startsWith("application/problem+json");
        }
    }

    @Test
    void endpoint_endAtAnEarlierCheckpoint(@TempDir Path tmp) throws Exception {
        long end = new JdbiLogStore(jdbi).checkpoints(2, size - 1).get(0).size();
        Response r = get("/v1/log/export?start=1&end=" + end);
        assertThat(r.getStatus()).isEqualTo(200);
        untar(r.readEntity(InputStream.class), tmp);
        VerificationResult.Verified v = verified(tmp);
        assertThat(v.checkpoint().size()).isEqualTo(end);
        Response cp = get("/v1/log/checkpoint?size=" + end);
        assertThat(cp.getStatus()).isEqualTo(200);
        assertThat(cp.readEntity(String.class)).isEqualTo(Files.readString(tmp.resolve(ExportFormat.CHECKPOINT_FILE)));
    }

    @Test
    void command_wholeAndRange_overThePublicApi(@TempDir Path tmp) throws Exception {
        ExportCommand.Result whole = ExportCommand.export(URI.create(base()), tmp.resolve("whole"), null, null,
                logKey.toString(), null);
        assertThat(whole.entries()).isEqualTo(size);
        assertThat(verified(tmp.resolve("whole")).entries()).isEqualTo(size);
        assertThat(Files.readAllBytes(tmp.resolve("whole").resolve(ExportFormat.ENTRIES_FILE)))
                .hasSize((int) Files.size(tmp.resolve("whole").resolve(ExportFormat.ENTRIES_FILE)));

        for (long s : new long[] {1, 2, 1000, 1024, size - 1, size}) {
            Path dir = tmp.resolve("range-" + s);
            ExportCommand.export(URI.create(base()), dir, s, null, null, null);
            VerificationResult.Verified v = verified(dir);
            assertThat(v.start()).isEqualTo(s);
            assertThat(v.entries()).isEqualTo(size - s);
        }
        // the same bytes as the endpoint's range export
        Path viaTar = tmp.resolve("tar");
        untar(get("/v1/log/export?start=1000").readEntity(InputStream.class), viaTar);
        for (String f : new String[] {ExportFormat.START_FILE, ExportFormat.ENTRIES_FILE}) {
            assertThat(Files.readAllBytes(tmp.resolve("range-1000").resolve(f))).isEqualTo(Files.readAllBytes(viaTar.resolve(f)));
        }
    }

    @Test
    void command_wrongPinnedKey_exportsNothing(@TempDir Path tmp) throws Exception {
        String other = SignerKey.generate(AppTestSupport.ORIGIN).verifierKey().toString();
        assertThatThrownBy(() -> ExportCommand.export(URI.create(base()), tmp.resolve("x"), null, null, other, null))
                .isInstanceOf(IOException.class).hasMessageContaining("not the pinned key");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void database_export_wholeAndRange(@TempDir Path tmp) throws Exception {
        LogExport export = new LogExport(new JdbiLogStore(jdbi));
        long n = export.writeDirectory(export.plan(null, null), logKey, tmp.resolve("whole"));
        assertThat(n).isEqualTo(size);
        verified(tmp.resolve("whole"));
        export.writeDirectory(export.plan(777L, null), logKey, tmp.resolve("range"));
        assertThat(verified(tmp.resolve("range")).start()).isEqualTo(777);
        assertThatThrownBy(() -> export.writeDirectory(export.plan(null, null), logKey, tmp.resolve("whole")))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    /** Unpacks a ustar stream of regular files into {@code dir}; returns the names in order. */
    static List<String> untar(InputStream in, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>();
        try (in) {
            while (true) {
                byte[] h = in.readNBytes(512);
                assertThat(h).hasSize(512);
                if (allZero(h)) {
                    break;
                }
                int nameLen = 0;
                while (nameLen < 100 && h[nameLen] != 0) {
                    nameLen++;
                }
                String name = new String(h, 0, nameLen, StandardCharsets.US_ASCII);
                assertThat(new String(h, 257, 5, StandardCharsets.US_ASCII)).isEqualTo("ustar");
                long sum = 0;
                for (int i = 0; i < 512; i++) {
                    sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
                }
                assertThat(Long.parseLong(new String(h, 148, 6, StandardCharsets.US_ASCII), 8)).isEqualTo(sum);
                long len = Long.parseLong(new String(h, 124, 11, StandardCharsets.US_ASCII), 8);
                try (var out = Files.newOutputStream(dir.resolve(name))) {
                    long left = len;
                    byte[] buf = new byte[65536];
                    while (left > 0) {
                        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                        assertThat(r).isPositive();
                        out.write(buf, 0, r);
                        left -= r;
                    }
                }
                in.readNBytes((int) ((512 - len % 512) % 512));
                names.add(name);
            }
        }
        return names;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
