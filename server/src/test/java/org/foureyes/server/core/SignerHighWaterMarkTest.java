package org.foureyes.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.server.api.Receipt;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerHighWaterMarkTest {
    static final String ORIGIN = "foureyes.test/hwm-log";
    static final byte[] R1 = root(1);
    static final byte[] R5 = root(5);
    static final byte[] R9 = root(9);

    @TempDir
    Path dir;

    private static byte[] root(int b) {
        byte[] r = new byte[32];
        r[0] = (byte) b;
        return r;
    }

    private SignerHighWaterMark mark() {
        return SignerHighWaterMark.open(dir.resolve("log.key.hwm"), ORIGIN);
    }

    @Test
    void check_databaseBehindTheMark_refusesNamingBothCheckpointsAndWhatToDo() {
        SignerHighWaterMark m = mark();
        m.advance(0, null, 1, R1);
        m.advance(1, R1, 5, R5);
        m.confirm(5, R5); // committed: a clean stop
        SignerHighWaterMark reopened = mark();
        assertThatThrownBy(() -> reopened.check(1, R1, s -> R1))
                .isInstanceOf(SignerStateException.class)
                .hasMessageContaining("size 1").hasMessageContaining("signed size 5")
                .hasMessageContaining("Restore the newest backup").hasMessageContaining("new origin");
        assertThatThrownBy(() -> reopened.check(0, null, s -> null))
                .hasMessageContaining("the database is empty");
    }

    @Test
    void check_sameSizeOtherRoot_refuses() {
        SignerHighWaterMark m = mark();
        m.advance(0, null, 5, R5);
        assertThatThrownBy(() -> m.check(5, R9, s -> R9)).isInstanceOf(SignerStateException.class)
                .hasMessageContaining(java.util.Base64.getEncoder().encodeToString(R9))
                .hasMessageContaining(java.util.Base64.getEncoder().encodeToString(R5));
        assertThat(m.check(5, R5, s -> R5)).isEqualTo(SignerHighWaterMark.Verdict.AT_MARK);
    }

    @Test
    void check_databaseAhead_acceptedOnlyIfItsTreeAtTheMarkHasTheMarkedRoot() {
        SignerHighWaterMark m = mark();
        m.advance(0, null, 5, R5);
        assertThat(m.check(9, R9, s -> s == 5 ? R5 : null)).isEqualTo(SignerHighWaterMark.Verdict.AHEAD);
        assertThatThrownBy(() -> m.check(9, R9, s -> R1)).isInstanceOf(SignerStateException.class)
                .hasMessageContaining("calculated");
    }

    @Test
    void check_crashBetweenMarkAndCommit_acceptsTheDatabaseAtTheMarksStartOnly() {
        SignerHighWaterMark m = mark();
        m.advance(0, null, 1, R1);
        m.advance(1, R1, 5, R5); // then the process dies before the commit
        SignerHighWaterMark reopened = mark();
        assertThat(reopened.check(1, R1, s -> R1)).isEqualTo(SignerHighWaterMark.Verdict.UNCOMMITTED);
        reopened.advance(1, R1, 3, R9); // that size-5 checkpoint never left the process
        assertThat(mark().check(3, R9, s -> R9)).isEqualTo(SignerHighWaterMark.Verdict.AT_MARK);
        reopened.confirm(3, R9);
        // Confirmed: the database at size 1 now means a restored backup.
        assertThatThrownBy(() -> mark().check(1, R1, s -> R1)).isInstanceOf(SignerStateException.class);
    }

    @Test
    void reload_tornNewestSlot_fallsBackToThePreviousMark() throws Exception {
        SignerHighWaterMark m = mark();
        m.advance(0, null, 1, R1);
        m.advance(1, R1, 5, R5); // counter 2: slot 0
        try (RandomAccessFile f = new RandomAccessFile(m.file().toFile(), "rw")) {
            f.seek(60);
            f.write('X');
        }
        assertThat(mark().current().orElseThrow().size()).isEqualTo(1);
        try (RandomAccessFile f = new RandomAccessFile(m.file().toFile(), "rw")) {
            f.seek(SignerHighWaterMark.SLOT + 60);
            f.write('X');
        }
        assertThatThrownBy(this::mark).isInstanceOf(SignerStateException.class).hasMessageContaining("corrupted");
    }

    @Test
    void open_markOfAnotherOrigin_refused() {
        mark().advance(0, null, 1, R1);
        assertThatThrownBy(() -> SignerHighWaterMark.open(dir.resolve("log.key.hwm"), "other/log"))
                .isInstanceOf(SignerStateException.class).hasMessageContaining("other/log");
    }

    @Test
    void append_markIsDurableBeforeAnythingIsAcknowledgedAndAtMostOneBatchBehindTheSigner() throws Exception {
        SignerKey key = SignerKey.generate(ORIGIN);
        Path file = dir.resolve("log.key.hwm");
        LogKeySigner real = new LogKeySigner(key, ORIGIN, SignerHighWaterMark.open(file, ORIGIN));
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong signed = new java.util.concurrent.atomic.AtomicLong();
        CheckpointSigner checking = new CheckpointSigner() {
            @Override
            public String origin() {
                return ORIGIN;
            }

            @Override
            public VerifierKey verifierKey() {
                return key.verifierKey();
            }

            @Override
            public String sign(Checkpoint c) {
                // The mark's write for this batch may still be in flight (it overlaps the commit),
                // but the previous batch's is durable: a fresh reader, as after a crash right now,
                // sees at least the checkpoint signed before this one.
                long before = signed.get();
                long held = SignerHighWaterMark.open(file, ORIGIN).current().map(SignerHighWaterMark.Mark::size).orElse(0L);
                if (held < before) {
                    violations.add("signing " + c.size() + " while the file holds " + held + " < " + before);
                }
                signed.set(c.size());
                return real.sign(c);
            }

            @Override
            public java.util.Optional<SignerHighWaterMark> highWaterMark() {
                return real.highWaterMark();
            }
        };
        try (TestDatabase db = TestDatabase.sqlite()) {
            Jdbi jdbi = db.newJdbi();
            LogAppender a = new LogAppender(jdbi, Dialect.of(jdbi), checking, Clock.systemUTC(),
                    new MetricRegistry(), LogAppender.Settings.DEFAULT);
            a.start();
            List<CompletableFuture<Receipt>> fs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fs.add(a.append(EntryDraft.of("change.expired", null,
                        seq -> JsonNodeFactory.instance.objectNode().put("change", seq))));
            }
            List<CompletableFuture<Void>> checked = new ArrayList<>();
            for (CompletableFuture<Receipt> f : fs) {
                // Runs as the receipt is completed, before its caller sees it: the mark on disk
                // covers the acknowledged entry.
                checked.add(f.thenAccept(r -> {
                    long held = SignerHighWaterMark.open(file, ORIGIN).current().orElseThrow().size();
                    if (held < r.seq() + 1) {
                        violations.add("entry " + r.seq() + " acknowledged while the file holds " + held);
                    }
                }));
            }
            for (CompletableFuture<Void> f : checked) {
                f.get(60, TimeUnit.SECONDS);
            }
            a.stop();
        }
        assertThat(violations).isEmpty();
        SignerHighWaterMark.Mark last = SignerHighWaterMark.open(file, ORIGIN).current().orElseThrow();
        assertThat(last.size()).isEqualTo(50);
        assertThat(last.fromRoot()).as("confirmed on a clean stop").isNull();
        assertThat(Files.size(file)).isEqualTo(2L * SignerHighWaterMark.SLOT);
    }
}
