package org.foureyes.bench;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.server.core.EntryDraft;
import org.foureyes.server.core.LogAppender;
import org.foureyes.server.core.LogKeySigner;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.Migrations;
import org.foureyes.server.db.StoredEntry;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Durable appends per second on SQLite through {@link LogAppender} (N concurrent submitters, each
 * waiting for its receipt), against raw batched inserts of the same entry bytes with plain JDBC
 * (one transaction per batch, batch size = the appender's mean batch size, same pragmas: WAL,
 * synchronous=FULL). Goal: appender ≥ 0.5 × raw. Results: docs/benchmarks.md, "Durable appends on
 * SQLite (issue 4)".
 *
 * <p>Run: {@code benchmarks/run main org.foureyes.bench.DurableAppendBench}, or without installing
 * into ~/.m2 see docs/benchmarks.md. System properties: {@code bench.seconds} (10),
 * {@code bench.warmup} (3), {@code bench.submitters} (64), {@code bench.dir} (java.io.tmpdir).
 */
public class DurableAppendBench {
    static final String ORIGIN = "foureyes.bench/durable-appends";
    static final String PRAGMAS = "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        new DurableAppendBench().run();
    }

    public void run() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        int warmup = Integer.getInteger("bench.warmup", 3);
        int submitters = Integer.getInteger("bench.submitters", 64);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "foureyes-bench");
        try {
            Result appender = appender(dir.resolve("log.db"), submitters, warmup, seconds);
            Result raw = raw(dir.resolve("raw.db"), appender.sample, Math.max(1, Math.round(appender.meanBatch)),
                    warmup, seconds);
            String report = String.format(Locale.ROOT,
                    "durable appends on SQLite (WAL, synchronous=FULL), %d s after %d s warm-up%n"
                            + "  LogAppender, %d submitters:   %,10.0f entries/s  (mean batch %.1f, p50 %d, max %d; mean entry %d bytes)%n"
                            + "  raw JDBC batches of %d:       %,10.0f entries/s  (%,.0f commits/s)%n"
                            + "  ratio appender/raw:            %.2f  (goal >= 0.50)%n",
                    seconds, warmup, submitters, appender.perSecond, appender.meanBatch, appender.p50Batch,
                    appender.maxBatch, appender.meanEntryBytes, Math.max(1, Math.round(appender.meanBatch)),
                    raw.perSecond, raw.perSecond / Math.max(1, Math.round(appender.meanBatch)),
                    appender.perSecond / raw.perSecond);
            System.out.print(report);
            Path out = Path.of("target", "durable-append-bench.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static final class Result {
        double perSecond;
        double meanBatch;
        long p50Batch;
        long maxBatch;
        long meanEntryBytes;
        List<byte[]> sample = List.of();
    }

    /** ~400-byte entries: a change.expired with a reason that pads the entry to about 400 bytes. */
    static EntryDraft draft(int submitter, long i) {
        return EntryDraft.of("change.expired", null, seq -> {
            ObjectNode f = JSON.createObjectNode();
            f.put("change", seq);
            f.put("state", "expired");
            f.put("reason", ("submitter " + submitter + " append " + i + " ") + "r".repeat(230));
            return f;
        });
    }

    static Result appender(Path file, int submitters, int warmup, int seconds) throws Exception {
        DataSourceFactory f = new DataSourceFactory();
        f.setDriverClass("org.sqlite.JDBC");
        f.setUrl("jdbc:sqlite:" + file + PRAGMAS);
        f.setMaxSize(4);
        f.setMinSize(1);
        f.setInitialSize(1);
        MetricRegistry metrics = new MetricRegistry();
        ManagedDataSource ds = f.build(metrics, "bench");
        Migrations.apply(ds);
        Jdbi jdbi = Jdbi.create(ds).installPlugin(new SqlObjectPlugin());
        SignerKey key = SignerKey.generate(ORIGIN);
        LogAppender appender = new LogAppender(jdbi, Dialect.of(jdbi), new LogKeySigner(key, ORIGIN),
                Clock.systemUTC(), metrics, LogAppender.Settings.DEFAULT);
        appender.start();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean done = new AtomicBoolean(false);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(submitters);
        for (int s = 0; s < submitters; s++) {
            int submitter = s;
            Thread t = new Thread(() -> {
                long i = 0;
                try {
                    while (!done.get()) {
                        try {
                            appender.append(draft(submitter, i++)).get(60, TimeUnit.SECONDS);
                            if (measuring.get()) {
                                acknowledged.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                } finally {
                    finished.countDown();
                }
            }, "submitter-" + s);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        String histogram = MetricRegistry.name(LogAppender.class, "batch-size");
        long batchesBefore = metrics.histogram(histogram).getCount();
        long appendsBefore = metrics.meter(MetricRegistry.name(LogAppender.class, "appends")).getCount();
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        measuring.set(false);
        long elapsed = System.nanoTime() - t0;
        long batches = metrics.histogram(histogram).getCount() - batchesBefore;
        long appends = metrics.meter(MetricRegistry.name(LogAppender.class, "appends")).getCount() - appendsBefore;
        done.set(true);
        finished.await(60, TimeUnit.SECONDS);
        appender.stop();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " appends failed");
        }
        Snapshot snap = metrics.histogram(histogram).getSnapshot();
        Result r = new Result();
        r.perSecond = acknowledged.get() / (elapsed / 1e9);
        r.meanBatch = batches == 0 ? 0 : (double) appends / batches;
        r.p50Batch = Math.round(snap.getMedian());
        r.maxBatch = snap.getMax();
        JdbiLogStore store = new JdbiLogStore(jdbi);
        long size = store.size();
        List<byte[]> sample = new ArrayList<>();
        long bytes = 0;
        for (long start = 0; start < Math.min(size, 20_000); start += 1000) {
            for (StoredEntry e : store.entries(start, Math.min(size, start + 1000))) {
                sample.add(e.entry());
                bytes += e.entry().length;
            }
        }
        r.sample = sample;
        r.meanEntryBytes = sample.isEmpty() ? 0 : bytes / sample.size();
        ds.stop();
        return r;
    }

    /** Plain JDBC: batches of the same entry bytes into one table, one transaction per batch, one thread. */
    static Result raw(Path file, List<byte[]> entries, long batch, int warmup, int seconds) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file + PRAGMAS)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE raw_entries (seq BIGINT PRIMARY KEY, entry BLOB NOT NULL)");
            }
            c.setAutoCommit(false);
            long seq = 0;
            long measured = 0;
            long deadlineWarm = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long t0 = 0;
            long end = Long.MAX_VALUE;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO raw_entries (seq, entry) VALUES (?, ?)")) {
                while (true) {
                    long now = System.nanoTime();
                    if (t0 == 0 && now >= deadlineWarm) {
                        t0 = now;
                        end = now + TimeUnit.SECONDS.toNanos(seconds);
                    }
                    if (now >= end) {
                        break;
                    }
                    for (int i = 0; i < batch; i++) {
                        insert.setLong(1, seq);
                        insert.setBytes(2, entries.get((int) (seq % entries.size())));
                        insert.addBatch();
                        seq++;
                    }
                    insert.executeBatch();
                    c.commit();
                    if (t0 != 0) {
                        measured += batch;
                    }
                }
            }
            Result r = new Result();
            r.perSecond = measured / ((System.nanoTime() - t0) / 1e9);
            return r;
        }
    }

}
