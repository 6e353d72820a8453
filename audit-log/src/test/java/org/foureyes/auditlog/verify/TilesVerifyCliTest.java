package org.foureyes.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.auditlog.verify.CliFixtures.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.InMemoryLogStore;
import org.foureyes.auditlog.tiles.EntryBundle;
import org.foureyes.auditlog.tiles.TileWriter;
import org.foureyes.auditlog.tiles.TlogProof;
import org.foureyes.auditlog.verify.CliFixtures.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foureyes-verify log --tiles} on a real workflow log written as tiles, with full policy
 * replay, and lying copies of it; and receipts in the C2SP tlog-proof form.
 */
class TilesVerifyCliTest {
    @TempDir
    Path tmp;

    @org.junit.jupiter.api.BeforeAll
    static void receipts() {
        ReceiptVerifierTest.setUp();
    }

    private Path tiles(FlowLog log) throws Exception {
        InMemoryLogStore s = log.store();
        String note = log.checkpoint();
        Path dir = tmp.resolve("tiles");
        TileWriter.write(dir, note, Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1)), s, (a, b) -> {
            List<byte[]> out = new ArrayList<>();
            for (long i = a; i < b; i++) {
                out.add(s.entryBytes(i));
            }
            return out;
        });
        return dir;
    }

    private static String key() {
        return FlowLog.LOG_KEY.verifierKey().toString();
    }

    @Test
    void logTiles_wholeWorkflowLog_verifiesWithFullReplayAndChainOnly() throws Exception {
        Path dir = tiles(FlowLog.ordinary());
        Run full = run("log", "--key", key(), "--tiles", dir.toString());
        assertThat(full.code()).as(full.toString()).isZero();
        Run chain = run("log", "--key", key(), "--tiles", "--chain-only", dir.toString());
        assertThat(chain.code()).as(chain.toString()).isZero();
        assertThat(chain.out()).contains("verified ").contains("read from tiles at " + dir);
    }

    @Test
    void logTiles_alteredEntryInBundle_refusedWithExit1() throws Exception {
        Path dir = tiles(FlowLog.ordinary());
        Path bundle = dir.resolve("tile/entries/000.p/" + FlowLog.ordinary().store().size());
        List<byte[]> es = new ArrayList<>(EntryBundle.decode(Files.readAllBytes(bundle),
                (int) FlowLog.ordinary().store().size()));
        es.set(3, new String(es.get(3), StandardCharsets.UTF_8).replace("2026", "2027").getBytes(StandardCharsets.UTF_8));
        Files.write(bundle, EntryBundle.encode(es));
        Run r = run("log", "--key", key(), "--tiles", "--chain-only", dir.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("the tiles source is refused").contains("entry 3 in bundle");
    }

    @Test
    void logTiles_checkpointOfAnotherKey_refusedWithExit1() throws Exception {
        Path dir = tiles(FlowLog.ordinary());
        Run r = run("log", "--key", FlowLog.seeded(FlowLog.ORIGIN, 5).verifierKey().toString(), "--tiles",
                dir.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("not signed by the pinned log key");
    }

    @Test
    void logTiles_missingDirectory_inputErrorExit2() {
        Run r = run("log", "--key", key(), "--tiles", tmp.resolve("nothing").toString());
        assertThat(r.code()).isEqualTo(2);
    }

    @Test
    void receipt_tlogProofForm_verifiesAndRoundTrips() throws Exception {
        Path json = Files.writeString(tmp.resolve("r.json"), ReceiptVerifierTest.receipt(5).toString());
        Path proof = tmp.resolve("r.tlog-proof");
        Run write = run("receipt", "--key", key(), "--write-tlog-proof", proof.toString(), json.toString());
        assertThat(write.code()).as(write.toString()).isZero();
        String text = Files.readString(proof);
        assertThat(text).startsWith("c2sp.org/tlog-proof@v1\nextra ").contains("\nindex 5\n")
                .endsWith(ReceiptVerifierTest.checkpoint);
        Run ok = run("receipt", "--key", key(), proof.toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).startsWith("receipt verified: entry 5 (change.decided, ");
        assertThat(TlogProof.parse(text).format()).isEqualTo(text);
    }

    @Test
    void receipt_tlogProofWithAlteredEntryOrNoEntry_refused() throws Exception {
        String text = ReceiptVerifier.toTlogProof(ReceiptVerifier.parse(ReceiptVerifierTest.receipt(5).toString()));
        TlogProof p = TlogProof.parse(text);
        String altered = new TlogProof(p.index(), p.proof(), p.checkpoint(), java.util.Optional.of(
                p.entryText().get().replace("approved", "rejected").getBytes(StandardCharsets.UTF_8))).format();
        Run bad = run("receipt", "--key", key(), Files.writeString(tmp.resolve("bad"), altered).toString());
        assertThat(bad.code()).isEqualTo(1);
        String bare = new TlogProof(p.index(), p.proof(), p.checkpoint(), java.util.Optional.empty()).format();
        Run none = run("receipt", "--key", key(), Files.writeString(tmp.resolve("bare"), bare).toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("carries no entry");
    }

    @Test
    void tlogProofParse_nonCanonical_refused() {
        String cp = "example.com/log\n1\n" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n\n— x\n";
        String ok = "c2sp.org/tlog-proof@v1\nindex 0\n\n" + cp;
        assertThat(TlogProof.parse(ok).index()).isZero();
        for (String bad : new String[] {"c2sp.org/tlog-proof@v2\nindex 0\n\n" + cp, "c2sp.org/tlog-proof@v1\nindex 01\n\n"
                + cp, "c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\n" + cp, "c2sp.org/tlog-proof@v1\nindex 0\n" + cp,
                "c2sp.org/tlog-proof@v1\nextra !!\nindex 0\n\n" + cp}) {
            assertThatThrownBy(() -> TlogProof.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
