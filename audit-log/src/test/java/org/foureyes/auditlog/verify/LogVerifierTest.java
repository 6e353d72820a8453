package org.foureyes.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.export.ExportFormat;
import org.foureyes.auditlog.verify.VerificationFailure.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogVerifierTest {

    static final int N = 1200;
    static TestLog log;
    static byte[] ndjson;
    static String checkpoint;
    static LogVerifier verifier;

    @BeforeAll
    static void generate() {
        log = TestLog.generate(N, 42);
        ndjson = log.ndjson();
        checkpoint = log.checkpoint();
        verifier = LogVerifier.builder(log.key.verifierKey()).build();
    }

    static VerificationResult verify(byte[] entries, String cp) throws IOException {
        return verify(verifier, entries, cp);
    }

    static VerificationResult verify(LogVerifier v, byte[] entries, String cp) throws IOException {
        return v.verify(new ByteArrayInputStream(entries), cp);
    }

    static VerificationFailure failure(VerificationResult r) {
        assertThat(r).isInstanceOf(VerificationResult.Failed.class);
        return ((VerificationResult.Failed) r).failure();
    }

    static byte[] join(List<byte[]> lines) {
        return TestLog.ndjson(lines);
    }

    @Test
    void generatedLog_hasRealisticEntries() {
        double avg = (double) ndjson.length / N;
        assertThat(avg).as("average entry bytes").isBetween(300.0, 500.0);
    }

    @Test
    void verify_exportWrittenByExporter_verifies(@TempDir Path tmp) throws IOException {
        Path dir = log.export(tmp.resolve("export"));
        VerificationResult r = verifier.verify(dir);
        assertThat(r.verified()).as(r.toString()).isTrue();
        VerificationResult.Verified v = (VerificationResult.Verified) r;
        assertThat(v.entries()).isEqualTo(N);
        assertThat(v.checkpoint().rootHash()).isEqualTo(log.store.root());
        assertThat(v.since()).isEmpty();
        assertThat(Files.readString(dir.resolve(ExportFormat.KEY_FILE)).strip())
                .isEqualTo(log.key.verifierKey().toString());
    }

    @Test
    void verify_singleGenesisEntry_verifies() throws IOException {
        TestLog one = TestLog.generate(1, 7);
        VerificationResult r = verify(LogVerifier.builder(one.key.verifierKey()).build(), one.ndjson(), one.checkpoint());
        assertThat(r.verified()).as(r.toString()).isTrue();
    }

    @Test
    void verify_singleByteChangedAtSampledPositions_namesTheChangedEntry() throws IOException {
        // Line start offsets, to know which entry each position belongs to (a newline belongs to
        // the entry it terminates).
        long[] lineStart = new long[N + 1];
        int line = 0;
        for (int i = 0; i < ndjson.length; i++) {
            if (ndjson[i] == '\n') {
                lineStart[++line] = i + 1;
            }
        }
        TreeSet<Integer> positions = new TreeSet<>();
        Random rnd = new Random(20261125);
        while (positions.size() < 240) {
            positions.add(rnd.nextInt(ndjson.length));
        }
        // The first and the last entry, and every field of a few entries.
        positions.add(0);
        positions.add(5);
        positions.add(ndjson.length - 1);
        positions.add(ndjson.length - 2);
        positions.add((int) lineStart[N - 1] + 3);
        for (int seq : new int[] {0, 1, 517, N - 2, N - 1}) {
            String entry = new String(log.entry(seq), StandardCharsets.UTF_8);
            for (String field : new String[] {"\"seq\":", "\"time\":", "\"prev\":", "\"type\":", "\"statement\":",
                    "\"facts\":", "\"change\":", "\"state\":"}) {
                int at = entry.indexOf(field);
                if (at >= 0) {
                    positions.add((int) lineStart[seq] + at + field.length() + 2);
                    positions.add((int) lineStart[seq] + at + 1);
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        for (int pos : positions) {
            byte[] t = ndjson.clone();
            byte replacement;
            do {
                replacement = (byte) rnd.nextInt(256);
            } while (replacement == t[pos]);
            t[pos] = replacement;
            int seq = Arrays.binarySearch(lineStart, pos);
            seq = seq >= 0 ? seq : -seq - 2;
            VerificationResult r = verify(t, checkpoint);
            if (r.verified()) {
                wrong.add("byte " + pos + " (entry " + seq + ") changed but the log verified");
                continue;
            }
            VerificationFailure f = failure(r);
            if (f.seq().isEmpty() || f.seq().getAsLong() != seq) {
                wrong.add("byte " + pos + " of entry " + seq + " changed to " + (replacement & 0xff)
                        + ", failure names " + f.seq() + ": " + f.message());
            }
        }
        assertThat(positions.size()).isGreaterThanOrEqualTo(200);
        assertThat(wrong).isEmpty();
    }

    @Test
    void verify_contentOfMiddleEntryChanged_reportsThatEntryWithSuccessorEvidence() throws IOException {
        List<byte[]> lines = log.entries();
        String e = new String(lines.get(516), StandardCharsets.UTF_8).replace("\"state\":\"", "\"state\":\"x");
        lines.set(516, e.getBytes(StandardCharsets.UTF_8));
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.PREV_MISMATCH);
        assertThat(f.seq()).hasValue(516);
        assertThat(f.message()).startsWith("entry 516: its leaf hash is ")
                .contains("but entry 517's prev is " + b64(log.store.entry(516).leafHash()))
                .contains("entry 517 agrees with entry 518's prev");
        assertThat(f.expected()).isEqualTo(b64(log.store.entry(516).leafHash()));
        assertThat(f.computed()).isEqualTo(b64(org.foureyes.auditlog.Rfc6962.leafHash(lines.get(516))));
    }

    @Test
    void verify_prevOfMiddleEntryReplaced_reportsThatEntry() throws IOException {
        List<byte[]> lines = log.entries();
        String good = b64(log.store.entry(516).leafHash());
        String bad = b64(log.store.entry(300).leafHash());
        lines.set(517, new String(lines.get(517), StandardCharsets.UTF_8).replace(good, bad)
                .getBytes(StandardCharsets.UTF_8));
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.PREV_MISMATCH);
        assertThat(f.seq()).hasValue(517);
        assertThat(f.message()).startsWith("entry 517: prev is " + bad + " but the leaf hash of entry 516 is " + good);
    }

    @Test
    void verify_lastEntryChanged_reportsRootMismatchNamingLastSeq() throws IOException {
        List<byte[]> lines = log.entries();
        String e = new String(lines.get(N - 1), StandardCharsets.UTF_8).replace("\"change\":", "\"change\":1");
        lines.set(N - 1, e.getBytes(StandardCharsets.UTF_8));
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.ROOT_MISMATCH);
        assertThat(f.seq()).hasValue(N - 1);
        assertThat(f.message()).contains("chain is intact").contains("entry " + (N - 1))
                .contains(b64(log.store.root()));
        assertThat(f.expected()).isEqualTo(b64(log.store.root()));
    }

    @Test
    void verify_secondToLastEntryChanged_reportsItUsingTheCheckpoint() throws IOException {
        List<byte[]> lines = log.entries();
        String e = new String(lines.get(N - 2), StandardCharsets.UTF_8).replace("\"change\":", "\"change\":1");
        lines.set(N - 2, e.getBytes(StandardCharsets.UTF_8));
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.PREV_MISMATCH);
        assertThat(f.seq()).hasValue(N - 2);
        assertThat(f.message()).contains("the checkpoint's root");
    }

    @Test
    void verify_entryDeleted_reportsMissingSeq() throws IOException {
        List<byte[]> lines = log.entries();
        lines.remove(700);
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.SEQ_MISMATCH);
        assertThat(f.seq()).hasValue(700);
        assertThat(f.message()).contains("entry 700: line 701 should hold seq 700 but has seq 701")
                .contains("entry 700 is missing");
    }

    @Test
    void verify_firstEntryDeleted_reportsSeq0() throws IOException {
        List<byte[]> lines = log.entries();
        lines.remove(0);
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.SEQ_MISMATCH);
        assertThat(f.seq()).hasValue(0);
    }

    @Test
    void verify_entryDuplicated_reportsPositionOfDuplicate() throws IOException {
        List<byte[]> lines = log.entries();
        lines.add(301, lines.get(300));
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.SEQ_MISMATCH);
        assertThat(f.seq()).hasValue(301);
        assertThat(f.message()).contains("has seq 300").contains("duplicated or reordered");
    }

    @Test
    void verify_entriesSwapped_reportsFirstOutOfPlace() throws IOException {
        List<byte[]> lines = log.entries();
        byte[] a = lines.get(400);
        lines.set(400, lines.get(401));
        lines.set(401, a);
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.SEQ_MISMATCH);
        assertThat(f.seq()).hasValue(400);
    }

    @Test
    void verify_exportTruncatedAtEntryBoundary_reportsFirstMissingSeq() throws IOException {
        List<byte[]> lines = log.entries().subList(0, 995);
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(f.seq()).hasValue(995);
        assertThat(f.message()).isEqualTo("export ends after entry 994 but the checkpoint covers " + N
                + " entries (first missing seq 995)");
    }

    @Test
    void verify_exportCutInsideAnEntry_reportsThatEntryAsFirstMissing() throws IOException {
        byte[] all = join(log.entries().subList(0, 996));
        byte[] cut = Arrays.copyOf(all, all.length - 100);
        VerificationFailure f = failure(verify(cut, checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(f.seq()).hasValue(995);
        assertThat(f.message()).contains("cut off").contains("first missing seq 995");
    }

    @Test
    void verify_emptyEntriesFile_reportsTruncationAtSeq0() throws IOException {
        VerificationFailure f = failure(verify(new byte[0], checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(f.seq()).hasValue(0);
    }

    @Test
    void verify_extraEntryAppended_reportsItsSeq() throws IOException {
        TestLog longer = TestLog.generate(N + 1, 42, log.key);
        VerificationFailure f = failure(verify(longer.ndjson(), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.EXTRA_ENTRIES);
        assertThat(f.seq()).hasValue(N);
        assertThat(f.message()).contains("entry " + N + " is beyond the checkpoint");
    }

    @Test
    void verify_checkpointSignedByAnotherKey_namesBothKeys() throws IOException {
        SignerKey other = TestLog.newKey();
        String forged = SignedCheckpoint.sign(log.checkpointBody(N), other);
        VerificationFailure f = failure(verify(ndjson, forged));
        assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
        assertThat(f.seq()).isEmpty();
        String otherName = other.name() + "+" + other.verifierKey().keyIdHex();
        String pinned = log.key.name() + "+" + log.key.verifierKey().keyIdHex();
        assertThat(f.message()).contains(otherName).contains(pinned);
    }

    @Test
    void verify_checkpointSizeEdited_failsSignature() throws IOException {
        String edited = checkpoint.replaceFirst("\n" + N + "\n", "\n" + (N - 1) + "\n");
        assertThat(edited).isNotEqualTo(checkpoint);
        VerificationFailure f = failure(verify(ndjson, edited));
        assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
        assertThat(f.message()).contains("does not verify");
    }

    @Test
    void verify_checkpointRootEdited_failsSignature() throws IOException {
        String root = b64(log.store.root());
        String edited = checkpoint.replace(root, b64(log.store.root(N - 1)));
        assertThat(edited).isNotEqualTo(checkpoint);
        VerificationFailure f = failure(verify(ndjson, edited));
        assertThat(f.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
    }

    @Test
    void verify_checkpointOfOtherRootSignedByLogKey_reportsRootMismatch() throws IOException {
        // The key holder itself signs a root over other entries: the chain is intact, the root is not.
        String lying = SignedCheckpoint.sign(Checkpoint.of(TestLog.ORIGIN, N, log.store.root(N - 1)), log.key);
        VerificationFailure f = failure(verify(ndjson, lying));
        assertThat(f.kind()).isEqualTo(Kind.ROOT_MISMATCH);
        assertThat(f.seq()).hasValue(N - 1);
        assertThat(f.expected()).isEqualTo(b64(log.store.root(N - 1)));
        assertThat(f.computed()).isEqualTo(b64(log.store.root()));
    }

    @Test
    void verify_timeGoesBackwards_reportsThatEntry() throws IOException {
        TestLog l = TestLog.generate(5, 1);
        // Re-create entry 3 with an earlier time than entry 2 and re-chain 4, so only time is wrong.
        List<byte[]> lines = new ArrayList<>();
        byte[] prev = LogEntry.GENESIS_PREV;
        for (int i = 0; i < 5; i++) {
            LogEntry e = l.store.entry(i);
            java.time.Instant t = i == 3 ? l.store.entry(2).time().minusMillis(1) : e.time();
            LogEntry c = LogEntry.create(i, t, prev, e.entryType(), e.statement().orElse(null), e.facts());
            lines.add(c.bytes());
            prev = c.leafHash();
        }
        VerificationFailure f = failure(verify(LogVerifier.builder(l.key.verifierKey()).build(), join(lines),
                l.checkpoint()));
        assertThat(f.kind()).isEqualTo(Kind.TIME_DECREASES);
        assertThat(f.seq()).hasValue(3);
    }

    @Test
    void verify_genesisForAnotherOrigin_failsAtSeq0() throws IOException {
        List<byte[]> lines = log.entries();
        LogEntry g = log.store.entry(0);
        com.fasterxml.jackson.databind.node.ObjectNode facts = g.facts();
        facts.put("origin", "other.example/log");
        lines.set(0, LogEntry.create(0, g.time(), LogEntry.GENESIS_PREV, g.entryType(), null, facts).bytes());
        VerificationFailure f = failure(verify(join(lines), checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.GENESIS);
        assertThat(f.seq()).hasValue(0);
        assertThat(f.message()).contains("other.example/log");
    }

    @Test
    void verify_garbageFile_throwsInputError() {
        byte[] garbage = "hello world\nthis is not json\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verify(garbage, checkpoint))
                .isInstanceOf(ExportInputException.class)
                .hasMessageContaining("not a log export");
    }

    @Test
    void verify_sinceConsistentOlderCheckpoint_verifiesWithProof() throws IOException {
        for (int m : new int[] {0, 1, 2, 3, 517, 1024, N - 1, N}) {
            LogVerifier v = LogVerifier.builder(log.key.verifierKey()).since(log.checkpoint(m)).build();
            VerificationResult r = verify(v, ndjson, checkpoint);
            assertThat(r.verified()).as("since %d: %s", m, r).isTrue();
            VerificationResult.Consistency c = ((VerificationResult.Verified) r).since().orElseThrow();
            assertThat(c.saved().size()).isEqualTo(m);
            assertThat(c.proof()).hasSameSizeAs(log.store.consistencyProof(m, N));
            for (int i = 0; i < c.proof().size(); i++) {
                assertThat(c.proof().get(i)).isEqualTo(log.store.consistencyProof(m, N).get(i));
            }
            assertThatNoException(() -> ProofVerifier.verifyConsistency(m, N, log.store.root(m), log.store.root(),
                    c.proof()));
        }
    }

    @Test
    void verify_sinceCheckpointOfDifferentHistory_failsWithBothRoots() throws IOException {
        TestLog fork = TestLog.generate(600, 99, log.key); // same key, other entries
        LogVerifier v = LogVerifier.builder(log.key.verifierKey()).since(fork.checkpoint(600)).build();
        VerificationFailure f = failure(verify(v, ndjson, checkpoint));
        assertThat(f.kind()).isEqualTo(Kind.INCONSISTENT_WITH_SAVED_CHECKPOINT);
        assertThat(f.message()).contains(b64(fork.store.root(600))).contains(b64(log.store.root(600)));
        assertThat(f.expected()).isEqualTo(b64(fork.store.root(600)));
        assertThat(f.computed()).isEqualTo(b64(log.store.root(600)));
    }

    @Test
    void verify_sinceCheckpointLargerThanExport_fails() throws IOException {
        LogVerifier v = LogVerifier.builder(log.key.verifierKey()).since(checkpoint).build();
        VerificationFailure f = failure(verify(v, join(log.entries().subList(0, 900)), log.checkpoint(900)));
        assertThat(f.kind()).isEqualTo(Kind.INCONSISTENT_WITH_SAVED_CHECKPOINT);
        assertThat(f.message()).contains("size " + N).contains("only 900");
    }

    @Test
    void verify_sinceCheckpointByOtherKey_throwsInputError() {
        TestLog other = TestLog.generate(10, 3);
        LogVerifier v = LogVerifier.builder(log.key.verifierKey()).since(other.checkpoint()).build();
        assertThatThrownBy(() -> verify(v, ndjson, checkpoint)).isInstanceOf(ExportInputException.class)
                .hasMessageContaining("saved checkpoint does not verify");
    }

    @Test
    void verify_missingDirectoryOrFiles_throwsInputError(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> verifier.verify(tmp.resolve("nope"))).isInstanceOf(ExportInputException.class)
                .hasMessageContaining("does not exist");
        Path dir = log.export(tmp.resolve("x"));
        Files.delete(dir.resolve(ExportFormat.ENTRIES_FILE));
        assertThatThrownBy(() -> verifier.verify(dir)).isInstanceOf(ExportInputException.class)
                .hasMessageContaining("entries.ndjson");
        Files.writeString(dir.resolve(ExportFormat.ENTRIES_FILE), "");
        Files.delete(dir.resolve(ExportFormat.CHECKPOINT_FILE));
        assertThatThrownBy(() -> verifier.verify(dir)).isInstanceOf(ExportInputException.class)
                .hasMessageContaining("checkpoint");
    }

    @Test
    void verify_progressListener_calledAtEnd() throws IOException {
        long[] last = new long[2];
        LogVerifier v = LogVerifier.builder(log.key.verifierKey())
                .progress((entries, bytes, nanos, done) -> {
                    last[0] = entries;
                    last[1] = done ? bytes : -1;
                }, java.time.Duration.ofMillis(1)).build();
        assertThat(verify(v, ndjson, checkpoint).verified()).isTrue();
        assertThat(last[0]).isEqualTo(N);
        assertThat(last[1]).isEqualTo(ndjson.length);
    }

    @Test
    void verify_entryLinesInTinyReadChunks_verifies() throws IOException {
        // A stream that returns at most 7 bytes per read exercises lines spanning blocks.
        java.io.InputStream slow = new java.io.FilterInputStream(new ByteArrayInputStream(ndjson)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        assertThat(verifier.verify(slow, checkpoint).verified()).isTrue();
    }

    static void assertThatNoException(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        org.assertj.core.api.Assertions.assertThatCode(c).doesNotThrowAnyException();
    }

    static String b64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }
}
