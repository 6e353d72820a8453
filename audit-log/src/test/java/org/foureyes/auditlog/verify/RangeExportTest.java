package org.foureyes.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.auditlog.verify.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.foureyes.auditlog.export.ExportFormat;
import org.foureyes.auditlog.export.ExportStart;
import org.foureyes.auditlog.export.LogExporter;
import org.foureyes.auditlog.verify.CliFixtures.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Range exports (docs/export-format.md, "Range exports"): written by LogExporter, verified chain-only. */
class RangeExportTest {

    static TestLog log;

    @BeforeAll
    static void setUp() {
        log = TestLog.generate(100, 6);
    }

    static ExportStart start(long s) {
        return ExportStart.fromInclusionProof(s, log.entry((int) s - 1), log.store.inclusionProof(s - 1, s));
    }

    static Path export(Path dir, long s) throws IOException {
        try (LogExporter x = LogExporter.create(dir, start(s))) {
            for (int i = (int) s; i < log.size(); i++) {
                x.append(log.entry(i));
            }
            x.finish(log.checkpoint(), log.key.verifierKey());
        }
        return dir;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 7, 8, 9, 31, 32, 64, 65, 99, 100})
    void rangeExport_verifiesChainOnly(long s, @TempDir Path tmp) throws IOException {
        Path dir = export(tmp.resolve("x"), s);
        assertThat(dir.resolve(ExportFormat.START_FILE)).exists();
        assertThat(start(s).border()).hasSize(Long.bitCount(s));
        VerificationResult r = LogVerifier.builder(log.key.verifierKey()).build().verify(dir);
        assertThat(r).isInstanceOf(VerificationResult.Verified.class);
        VerificationResult.Verified v = (VerificationResult.Verified) r;
        assertThat(v.start()).isEqualTo(s);
        assertThat(v.entries()).isEqualTo(100 - s);
    }

    @Test
    void startJson_roundTrips() {
        ExportStart a = start(37);
        ExportStart b = ExportStart.parse(a.toJson().getBytes(StandardCharsets.UTF_8));
        assertThat(b.toJson()).isEqualTo(a.toJson());
        assertThat(b.range().root()).isEqualTo(log.store.root(37));
    }

    @Test
    void exporter_wrongBorder_refused(@TempDir Path tmp) throws IOException {
        ExportStart good = start(40);
        List<byte[]> border = new ArrayList<>(good.border());
        border.set(0, new byte[32]);
        try (LogExporter x = LogExporter.create(tmp.resolve("x"), new ExportStart(40, good.prev(), border))) {
            for (int i = 40; i < log.size(); i++) {
                x.append(log.entry(i));
            }
            assertThatThrownBy(() -> x.finish(log.checkpoint(), log.key.verifierKey()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("border");
        }
        assertThat(tmp.resolve("x").resolve(ExportFormat.CHECKPOINT_FILE)).doesNotExist();
    }

    @Test
    void tamperedBorderHash_rootMismatch(@TempDir Path tmp) throws IOException {
        Path dir = export(tmp.resolve("x"), 40);
        tamperStart(dir, "border");
        VerificationResult r = LogVerifier.builder(log.key.verifierKey()).build().verify(dir);
        assertThat(r).isInstanceOf(VerificationResult.Failed.class);
        VerificationFailure f = ((VerificationResult.Failed) r).failure();
        assertThat(f.kind()).isEqualTo(VerificationFailure.Kind.ROOT_MISMATCH);
        assertThat(f.message()).contains("start.json");
    }

    @Test
    void tamperedPrev_failsAtFirstEntry(@TempDir Path tmp) throws IOException {
        Path dir = export(tmp.resolve("x"), 40);
        tamperStart(dir, "prev");
        VerificationResult r = LogVerifier.builder(log.key.verifierKey()).build().verify(dir);
        VerificationFailure f = ((VerificationResult.Failed) r).failure();
        assertThat(f.kind()).isEqualTo(VerificationFailure.Kind.PREV_MISMATCH);
        assertThat(f.seq()).hasValue(40);
    }

    @Test
    void entriesNotFromStart_failSeq(@TempDir Path tmp) throws IOException {
        Path dir = export(tmp.resolve("x"), 40);
        Files.writeString(dir.resolve(ExportFormat.START_FILE), start(41).toJson());
        VerificationResult r = LogVerifier.builder(log.key.verifierKey()).build().verify(dir);
        assertThat(((VerificationResult.Failed) r).failure().kind()).isEqualTo(VerificationFailure.Kind.SEQ_MISMATCH);
    }

    @Test
    void since_onRangeExport_isInputError(@TempDir Path tmp) throws IOException {
        Path dir = export(tmp.resolve("x"), 40);
        assertThatThrownBy(() -> LogVerifier.builder(log.key.verifierKey()).since(log.checkpoint(50)).build()
                .verify(dir)).isInstanceOf(ExportInputException.class).hasMessageContaining("range export");
    }

    @Test
    void cli_rangeExport_chainOnly0_full2_tampered1(@TempDir Path tmp) throws IOException {
        Path dir = export(tmp.resolve("x"), 40);
        String key = log.key.verifierKey().toString();
        Run ok = run("log", "--key", key, "--chain-only", dir.toString());
        assertThat(ok.code()).as(ok.err()).isEqualTo(0);
        assertThat(ok.out()).contains("verified entries 40 to 99 (60 entries");
        Run json = run("log", "--key", key, "--chain-only", "--json", dir.toString());
        assertThat(json.out()).contains("\"start\":40");
        Run full = run("log", "--key", key, dir.toString());
        assertThat(full.code()).isEqualTo(2);
        assertThat(full.err()).contains("range export").contains("--chain-only");
        tamperStart(dir, "border");
        Run bad = run("log", "--key", key, "--chain-only", dir.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("FAILED: root mismatch");
    }

    @Test
    void cli_malformedStartJson_is2(@TempDir Path tmp) throws IOException {
        Path dir = export(tmp.resolve("x"), 40);
        Files.writeString(dir.resolve(ExportFormat.START_FILE), "{\"start\":40}");
        Run r = run("log", "--key", log.key.verifierKey().toString(), "--chain-only", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("start.json");
    }

    /** Flips one byte of the first border hash or of prev, keeping canonical base64. */
    static void tamperStart(Path dir, String field) throws IOException {
        ExportStart s = ExportStart.parse(Files.readAllBytes(dir.resolve(ExportFormat.START_FILE)));
        byte[] h = field.equals("prev") ? s.prev() : s.border().get(0);
        String from = Base64.getEncoder().encodeToString(h);
        h[5] ^= 1;
        String to = Base64.getEncoder().encodeToString(h);
        String text = Files.readString(dir.resolve(ExportFormat.START_FILE));
        assertThat(text).contains(from);
        Files.writeString(dir.resolve(ExportFormat.START_FILE), text.replace(from, to));
    }

}
