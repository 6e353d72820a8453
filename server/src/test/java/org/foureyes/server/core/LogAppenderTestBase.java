package org.foureyes.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.foureyes.auditlog.ChainChecker;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.InMemoryLogStore;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.server.api.Receipt;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.TreeNodeDao;
import org.foureyes.server.db.StoredCheckpoint;
import org.foureyes.server.db.StoredEntry;
import org.foureyes.server.db.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The appender against a real database: SQLite and PostgreSQL (subclasses *OnSqliteTest, *OnPostgresTest). */
abstract class LogAppenderTestBase {
    static final String ORIGIN = "foureyes.test/appender-log";

    private TestDatabase db;
    private final List<LogAppender> appenders = new ArrayList<>();
    private SignerKey key;
    private VerifierKey verifier;

    abstract TestDatabase database();

    @BeforeEach
    void open() throws Exception {
        db = database();
        key = SignerKey.generate(ORIGIN);
        verifier = key.verifierKey();
    }

    @AfterEach
    void close() throws Exception {
        for (LogAppender a : appenders) {
            a.stop();
        }
        if (db != null) { // null when PostgreSQL is unreachable and the test was skipped
            db.close();
        }
    }

    private LogAppender start(Jdbi jdbi, CheckpointSigner signer, Clock clock) {
        LogAppender a = new LogAppender(jdbi, Dialect.of(jdbi), signer, clock, new MetricRegistry(),
                LogAppender.Settings.DEFAULT);
        a.start();
        appenders.add(a);
        return a;
    }

    private LogAppender start(Jdbi jdbi) {
        return start(jdbi, new LogKeySigner(key, ORIGIN), Clock.systemUTC());
    }

    /** A change.expired entry whose facts name its own seq, as change ids do. */
    static EntryDraft draft(String tag) {
        return EntryDraft.of("change.expired", null, seq -> {
            ObjectNode f = JsonNodeFactory.instance.objectNode();
            f.put("change", seq);
            f.put("state", "expired");
            f.put("reason", tag + " " + "x".repeat(200));
            return f;
        });
    }

    /** Appends threads x perThread drafts at once through the given appenders (round robin). */
    private static List<Receipt> appendConcurrently(List<LogAppender> targets, int threads, int perThread)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Receipt>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                LogAppender target = targets.get(t % targets.size());
                int thread = t;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<Receipt>> fs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        fs.add(target.append(draft("t" + thread + " i" + i)));
                        if (i % 7 == 0) {
                            fs.get(fs.size() - 1).get(30, TimeUnit.SECONDS); // mix waiting and pipelining
                        }
                    }
                    List<Receipt> rs = new ArrayList<>();
                    for (CompletableFuture<Receipt> f : fs) {
                        rs.add(f.get(60, TimeUnit.SECONDS));
                    }
                    return rs;
                }));
            }
            List<Receipt> all = new ArrayList<>();
            for (Future<List<Receipt>> f : results) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Checks everything an auditor would: dense seqs, chain, receipts, checkpoints, proofs vs in-memory. */
    private void verifyLog(JdbiLogStore store, List<Receipt> receipts, long expectedSize) throws Exception {
        assertThat(store.size()).isEqualTo(expectedSize);
        assertThat(receipts).extracting(Receipt::seq).doesNotHaveDuplicates().hasSize((int) expectedSize);

        List<StoredEntry> entries = store.entries(0, expectedSize);
        assertThat(entries).extracting(StoredEntry::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, expectedSize).boxed().toList());
        ChainChecker chain = ChainChecker.fromGenesis();
        InMemoryLogStore memory = new InMemoryLogStore();
        for (StoredEntry e : entries) {
            LogEntry parsed = LogEntry.parse(e.entry());
            chain.check(parsed);
            assertThat(e.leafHash()).isEqualTo(parsed.leafHash());
            assertThat(parsed.facts().get("change").asLong()).isEqualTo(e.seq());
            memory.append(parsed);
        }

        for (Receipt r : receipts) {
            Checkpoint cp = SignedCheckpoint.open(r.checkpoint(), verifier);
            byte[] bytes = r.entry().getBytes(StandardCharsets.UTF_8);
            assertThat(bytes).isEqualTo(entries.get((int) r.seq()).entry());
            ProofVerifier.verifyInclusion(r.seq(), cp.size(), LogEntry.parse(bytes).leafHash(), decode(r.proof()),
                    cp.rootHash());
            assertThat(store.checkpointAt(cp.size())).isPresent();
        }

        List<StoredCheckpoint> checkpoints = store.checkpoints(0, expectedSize);
        assertThat(checkpoints).isNotEmpty();
        for (int i = 0; i < checkpoints.size(); i++) {
            StoredCheckpoint c = checkpoints.get(i);
            Checkpoint cp = SignedCheckpoint.open(c.note(), verifier);
            assertThat(cp.size()).isEqualTo(c.size());
            assertThat(cp.rootHash()).isEqualTo(memory.root(c.size()));
            if (i > 0) {
                StoredCheckpoint prev = checkpoints.get(i - 1);
                ProofVerifier.verifyConsistency(prev.size(), c.size(), prev.rootHash(), c.rootHash(),
                        store.consistencyProof(prev.size(), c.size()));
            }
        }

        for (long size : new long[] {1, 2, 3, 7, 64, 65, expectedSize - 1, expectedSize}) {
            if (size < 1 || size > expectedSize) {
                continue;
            }
            assertThat(store.root(size)).isEqualTo(memory.root(size));
            for (long index : new long[] {0, size / 2, size - 1}) {
                assertThat(store.inclusionProof(index, size))
                        .usingElementComparator(java.util.Arrays::compare)
                        .containsExactlyElementsOf(memory.inclusionProof(index, size));
            }
            assertThat(store.consistencyProof(size / 3, size))
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(memory.consistencyProof(size / 3, size));
        }
    }

    private static List<byte[]> decode(List<String> b64) {
        return b64.stream().map(Base64.getDecoder()::decode).toList();
    }

    @Test
    void append_sixteenThreadsFiftyEach_allAcknowledgedDenseChainAndProofsVerify() throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender appender = start(jdbi);
        List<Receipt> receipts = appendConcurrently(List.of(appender), 16, 50);
        verifyLog(new JdbiLogStore(jdbi), receipts, 800);
        // Levels 1 to 3 are not stored (docs/storage.md); the proofs above were built without them.
        Integer lowest = jdbi.withHandle(h -> h.createQuery("SELECT MIN(level) FROM tree_nodes").mapTo(Integer.class).one());
        assertThat(lowest).isEqualTo(TreeNodeDao.STORED_FROM_LEVEL);
    }

    @Test
    void append_twoInstancesOnOneDatabase_noForkAndCheckpointsConsistent() throws Exception {
        // Two pools and two appenders: what two server instances on one database have.
        LogAppender a = start(db.newJdbi());
        LogAppender b = start(db.newJdbi());
        List<Receipt> receipts = appendConcurrently(List.of(a, b), 8, 50);
        verifyLog(new JdbiLogStore(db.newJdbi()), receipts, 400);
    }

    @Test
    void append_draftRefuses_onlyThatAppendFailsAndItsSeqIsReused() throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender appender = start(jdbi);
        appender.append(draft("first")).get(30, TimeUnit.SECONDS);
        CompletableFuture<Receipt> refused = appender.append(ctx -> {
            throw new EntryRefusedException("not today");
        });
        CompletableFuture<Receipt> next = appender.append(draft("next"));
        assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(EntryRefusedException.class);
        assertThat(next.get(30, TimeUnit.SECONDS).seq()).isEqualTo(1);
        assertThat(new JdbiLogStore(jdbi).size()).isEqualTo(2);
    }

    @Test
    void append_signerFails_everyFutureOfTheBatchFailsAndNothingIsWritten() throws Exception {
        Jdbi jdbi = db.newJdbi();
        JdbiLogStore store = new JdbiLogStore(jdbi);
        AtomicBoolean broken = new AtomicBoolean(false);
        LogKeySigner real = new LogKeySigner(key, ORIGIN);
        CheckpointSigner flaky = new CheckpointSigner() {
            @Override
            public String origin() {
                return ORIGIN;
            }

            @Override
            public VerifierKey verifierKey() {
                return verifier;
            }

            @Override
            public String sign(Checkpoint checkpoint) {
                if (broken.get()) {
                    throw new IllegalStateException("signing device unplugged");
                }
                return real.sign(checkpoint);
            }
        };
        LogAppender appender = start(jdbi, flaky, Clock.systemUTC());
        List<Receipt> ok = new ArrayList<>();
        ok.add(appender.append(draft("before")).get(30, TimeUnit.SECONDS));
        byte[] rootBefore = store.latestCheckpoint().orElseThrow().rootHash();

        broken.set(true);
        List<CompletableFuture<Receipt>> failing = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            failing.add(appender.append(draft("during " + i)));
        }
        for (CompletableFuture<Receipt> f : failing) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AppendFailedException.class)
                    .hasMessageContaining("signing device unplugged");
        }
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.entries(0, 100)).hasSize(1);
        assertThat(store.latestCheckpoint().orElseThrow().rootHash()).isEqualTo(rootBefore);
        assertThat(appender.lastFailure()).contains("signing device unplugged");

        broken.set(false);
        ok.add(appender.append(draft("after")).get(30, TimeUnit.SECONDS));
        assertThat(ok.get(1).seq()).isEqualTo(1);
        verifyLog(store, ok, 2);
    }

    @Test
    void append_clockGoesBackwards_timeNeverDecreases() throws Exception {
        Jdbi jdbi = db.newJdbi();
        AtomicLong now = new AtomicLong(Instant.parse("2026-11-25T08:00:00.500Z").toEpochMilli());
        Clock backwards = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.getAndAdd(-1000));
            }
        };
        LogAppender appender = start(jdbi, new LogKeySigner(key, ORIGIN), backwards);
        Receipt first = appender.append(draft("a")).get(30, TimeUnit.SECONDS);
        Receipt second = appender.append(draft("b")).get(30, TimeUnit.SECONDS);
        Instant t0 = LogEntry.parse(first.entry().getBytes(StandardCharsets.UTF_8)).time();
        Instant t1 = LogEntry.parse(second.entry().getBytes(StandardCharsets.UTF_8)).time();
        assertThat(t0).isEqualTo(Instant.parse("2026-11-25T08:00:00.500Z"));
        assertThat(t1).isEqualTo(t0);
    }

    /**
     * Appends three entries, stops that appender, applies {@code tamper} to the stored log and
     * starts a new appender (which has no memory of the head, as after a restart); returns it.
     */
    private LogAppender afterTampering(Jdbi jdbi, String tamper) throws Exception {
        LogAppender first = start(jdbi);
        for (int i = 0; i < 3; i++) {
            first.append(draft("before " + i)).get(30, TimeUnit.SECONDS);
        }
        first.stop();
        jdbi.useHandle(h -> h.execute(tamper));
        return start(jdbi);
    }

    /** Storage changed behind the appender's back, and what it must say when it refuses to sign. */
    static Stream<Arguments> tamperedStorage() {
        return Stream.of(
                Arguments.of("an entry stored beyond the signed head",
                        "INSERT INTO log_entries (seq, entry, leaf_hash) SELECT 3, entry, leaf_hash FROM log_entries WHERE seq = 2",
                        "the latest signed checkpoint is for size 3 but the stored entries end at seq 3; refusing to sign",
                        List.of(1L, 2L, 3L), 4),
                Arguments.of("the latest checkpoint deleted",
                        "DELETE FROM checkpoints WHERE size = 3",
                        "the latest signed checkpoint is for size 2 but the stored entries end at seq 2; refusing to sign",
                        List.of(1L, 2L), 3),
                Arguments.of("the signed root changed",
                        "UPDATE checkpoints SET root_hash = (SELECT leaf_hash FROM log_entries WHERE seq = 0) WHERE size = 3",
                        "the stored tree of size 3 does not have the root of its signed checkpoint; refusing to sign",
                        List.of(1L, 2L, 3L), 3),
                Arguments.of("the last entry's bytes replaced by another entry's",
                        "UPDATE log_entries SET entry = (SELECT entry FROM log_entries WHERE seq = 1) WHERE seq = 2",
                        "the stored entry 2 does not match its seq and stored leaf hash; refusing to sign",
                        List.of(1L, 2L, 3L), 3),
                Arguments.of("the last entry's bytes not an entry",
                        "UPDATE log_entries SET entry = (SELECT leaf_hash FROM log_entries WHERE seq = 2) WHERE seq = 2",
                        "the stored entry 2 is not a valid entry", List.of(1L, 2L, 3L), 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperedStorage")
    void append_storedLogDisagreesWithSignedHead_refusesToSignAndWritesNothing(String what, String tamper,
            String message, List<Long> checkpointSizes, int entries) throws Exception {
        Jdbi jdbi = db.newJdbi();
        JdbiLogStore store = new JdbiLogStore(jdbi);
        LogAppender appender = afterTampering(jdbi, tamper);
        assertThatThrownBy(() -> appender.append(draft("after")).get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(AppendFailedException.class)
                .hasMessageContaining(message);
        assertThat(store.checkpoints(0, 100)).extracting(StoredCheckpoint::size).containsExactlyElementsOf(checkpointSizes);
        assertThat(store.entries(0, 100)).hasSize(entries);
    }

    @Test
    void append_afterAnotherWriterAppended_continuesItsChain() throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender a = start(jdbi);
        LogAppender b = start(db.newJdbi());
        List<Receipt> receipts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // Alternating writers: each batch finds the head moved by the other one since its last commit.
            receipts.add((i % 2 == 0 ? a : b).append(draft("turn " + i)).get(30, TimeUnit.SECONDS));
        }
        assertThat(receipts).extracting(Receipt::seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        verifyLog(new JdbiLogStore(jdbi), receipts, 6);
    }

    @Test
    void stop_withQueuedAppends_writesThemBeforeStopping() throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender appender = start(jdbi);
        List<CompletableFuture<Receipt>> fs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fs.add(appender.append(draft("q" + i)));
        }
        appender.stop();
        for (CompletableFuture<Receipt> f : fs) {
            assertThat(f).isCompleted();
            f.get();
        }
        assertThat(new JdbiLogStore(jdbi).size()).isEqualTo(200);
        assertThatThrownBy(() -> appender.append(draft("late")).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(AppendFailedException.class);
    }

    @Test
    void append_callerCallbackBlocks_writerGoesOnAndLaterReceiptsFollowIt() throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender appender = start(jdbi);
        JdbiLogStore store = new JdbiLogStore(jdbi);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch inCallback = new CountDownLatch(1);
        CompletableFuture<Receipt> first = appender.append(draft("slow caller"));
        // A callback runs on the thread that completes the future; this one holds it.
        CompletableFuture<Void> held = first.thenRun(() -> {
            inCallback.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(inCallback.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Receipt>> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            later.add(appender.append(draft("later " + i)));
        }
        // The writer does not wait for callers: the later entries are committed meanwhile...
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.size() < 6 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.size()).isEqualTo(6);
        // ...and their receipts are handed out after the earlier one's, in seq order.
        assertThat(later).noneMatch(CompletableFuture::isDone);
        release.countDown();
        held.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < later.size(); i++) {
            assertThat(later.get(i).get(30, TimeUnit.SECONDS).seq()).isEqualTo(i + 1);
        }
    }

    @Test
    void append_genesisTwice_secondIsRefused() throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender appender = start(jdbi);
        ObjectNode policy = JsonNodeFactory.instance.objectNode().put("policy", "test");
        Receipt g = appender.append(Genesis.draft(ORIGIN, verifier, policy, "00".repeat(32))).get(30, TimeUnit.SECONDS);
        assertThat(g.seq()).isZero();
        assertThat(g.entry()).startsWith("{\"seq\":0,").contains("\"type\":\"log.genesis\"")
                .contains("\"log_key\":\"" + verifier + "\"");
        assertThatThrownBy(() -> appender.append(Genesis.draft(ORIGIN, verifier, policy, "00".repeat(32)))
                .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EntryRefusedException.class);
    }

    @Test
    void appendAll_group_getsConsecutiveSeqsInOneCheckpointAndVerifies() throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender appender = start(jdbi);
        appender.append(draft("before")).get(30, TimeUnit.SECONDS);
        List<Receipt> group = appender.appendAll(ctx -> List.of(
                new EntryContent("change.expired", null, JsonNodeFactory.instance.objectNode()
                        .put("change", ctx.seq()).put("state", "expired").put("reason", "first of group")),
                new EntryContent("change.expired", null, JsonNodeFactory.instance.objectNode()
                        .put("change", ctx.seq() + 1).put("state", "expired").put("reason", "second of group"))))
                .get(30, TimeUnit.SECONDS);
        assertThat(group).extracting(Receipt::seq).containsExactly(1L, 2L);
        assertThat(group.get(0).checkpoint()).isEqualTo(group.get(1).checkpoint());
        List<Receipt> all = new ArrayList<>(group);
        all.add(0, new JdbiLogStoreReceipt(jdbi).receipt(0));
        verifyLog(new JdbiLogStore(jdbi), all, 3);
    }

    @Test
    void append_contentAlreadyBuilt_storedAsBuiltOnlyAtItsOwnSeqTimeAndPrev() throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender appender = start(jdbi);
        appender.append(draft("first")).get(30, TimeUnit.SECONDS);
        List<LogEntry> built = new ArrayList<>();
        Receipt exact = appender.append(ctx -> {
            LogEntry e = LogEntry.create(ctx.seq(), ctx.time(), ctx.prevLeafHash(), "change.expired", null,
                    JsonNodeFactory.instance.objectNode().put("change", ctx.seq()).put("state", "expired")
                            .put("reason", "built by the draft"));
            built.add(e);
            return EntryContent.of(e);
        }).get(30, TimeUnit.SECONDS);
        assertThat(exact.entry().getBytes(StandardCharsets.UTF_8)).isEqualTo(built.get(0).bytes());

        // Built on another prev (as if for another log): the appender builds the entry itself.
        Receipt rebuilt = appender.append(ctx -> EntryContent.of(LogEntry.create(ctx.seq(), ctx.time(),
                LogEntry.GENESIS_PREV, "change.expired", null, JsonNodeFactory.instance.objectNode()
                        .put("change", ctx.seq()).put("state", "expired").put("reason", "wrong prev"))))
                .get(30, TimeUnit.SECONDS);
        LogEntry stored = LogEntry.parse(rebuilt.entry().getBytes(StandardCharsets.UTF_8));
        assertThat(stored.prev()).isEqualTo(built.get(0).leafHash());
        assertThat(stored.facts().get("reason").asText()).isEqualTo("wrong prev");
        List<Receipt> all = new ArrayList<>(List.of(new JdbiLogStoreReceipt(jdbi).receipt(0), exact, rebuilt));
        verifyLog(new JdbiLogStore(jdbi), all, 3);
    }

    @Test
    void appendAll_groupRefuses_writesNoneOfIt() throws Exception {
        Jdbi jdbi = db.newJdbi();
        LogAppender appender = start(jdbi);
        CompletableFuture<List<Receipt>> refused = appender.appendAll(ctx -> {
            throw new EntryRefusedException("no");
        });
        CompletableFuture<List<Receipt>> empty = appender.appendAll(ctx -> List.of());
        assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EntryRefusedException.class);
        assertThatThrownBy(() -> empty.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EntryRefusedException.class);
        assertThat(appender.append(draft("after")).get(30, TimeUnit.SECONDS).seq()).isZero();
    }

    @Test
    void commitListener_committedBatch_seesEntriesInOrderBeforeFuturesComplete() throws Exception {
        Jdbi jdbi = db.newJdbi();
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        LogAppender appender = new LogAppender(jdbi, Dialect.of(jdbi), new LogKeySigner(key, ORIGIN),
                Clock.systemUTC(), new MetricRegistry(), LogAppender.Settings.DEFAULT,
                entries -> entries.forEach(e -> seen.add(e.seq())));
        appender.start();
        appenders.add(appender);
        List<CompletableFuture<Long>> seenAtCompletion = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            seenAtCompletion.add(appender.append(draft("l" + i)).thenApply(r -> {
                assertThat(seen).contains(r.seq());
                return r.seq();
            }));
        }
        for (CompletableFuture<Long> f : seenAtCompletion) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(seen).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 50).boxed().toList());
    }

    @Test
    void commitListener_batchRollsBack_isToldTheSizeThatStands() throws Exception {
        Jdbi jdbi = db.newJdbi();
        List<Long> rolledBack = java.util.Collections.synchronizedList(new ArrayList<>());
        LogAppender appender = new LogAppender(jdbi, Dialect.of(jdbi), new LogKeySigner(key, ORIGIN),
                Clock.systemUTC(), new MetricRegistry(), LogAppender.Settings.DEFAULT, new CommitListener() {
                    @Override
                    public void committed(List<LogEntry> entries) {
                    }

                    @Override
                    public void rolledBack(long size) {
                        rolledBack.add(size);
                    }
                });
        appender.start();
        appenders.add(appender);
        Receipt first = appender.append(ctx -> {
            assertThat(ctx.prevLeafHash()).isEqualTo(LogEntry.GENESIS_PREV);
            return draft("first").draft(ctx);
        }).get(30, TimeUnit.SECONDS);
        byte[] firstLeaf = LogEntry.parse(first.entry().getBytes(StandardCharsets.UTF_8)).leafHash();
        CompletableFuture<Receipt> broken = appender.append(ctx -> {
            assertThat(ctx.prevLeafHash()).isEqualTo(firstLeaf);
            ctx.handle(); // touched the transaction, then fails: the whole batch rolls back
            throw new IllegalStateException("draft bug");
        });
        assertThatThrownBy(() -> broken.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AppendFailedException.class);
        assertThat(rolledBack).containsExactly(1L);
        assertThat(new JdbiLogStore(jdbi).size()).isEqualTo(1);
    }

    /** Receipt-like view of an entry already in the store (its proof in the latest tree). */
    private record JdbiLogStoreReceipt(Jdbi jdbi) {
        Receipt receipt(long seq) throws Exception {
            JdbiLogStore store = new JdbiLogStore(jdbi);
            StoredCheckpoint cp = store.latestCheckpoint().orElseThrow();
            List<String> proof = store.inclusionProof(seq, cp.size()).stream()
                    .map(Base64.getEncoder()::encodeToString).toList();
            return new Receipt(seq, new String(store.entries(seq, seq + 1).get(0).entry(), StandardCharsets.UTF_8),
                    cp.note(), proof);
        }
    }
}
