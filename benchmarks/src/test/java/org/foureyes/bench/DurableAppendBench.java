package org.foureyes.bench;

import com.codahale.metrics.MetricRegistry;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.server.core.EntryDraft;
import org.foureyes.server.core.LogAppender;
import org.foureyes.server.core.LogKeySigner;
import org.foureyes.server.core.SignerHighWaterMark;
import org.foureyes.server.db.Dialect;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.Migrations;
import org.foureyes.server.db.StoredEntry;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Durable appends per second on SQLite through {@link LogAppender} (N concurrent clients, each
 * waiting for its receipt before its next append), against raw batched inserts of the same entry
 * bytes with plain JDBC (one thread, one transaction per batch, batch size = the appender's mean
 * batch size of the round, same pragmas: WAL, synchronous=FULL). Goal: appender ≥ 0.5 × raw.
 *
 * <p>Two ways of waiting ({@code bench.mode}): {@code threads} (default), a platform thread per
 * client blocked on the future, as the HTTP resources wait; {@code async}, a callback per client
 * that appends the next entry when the receipt arrives, so that no thread is parked per append and
 * the appender itself is what is measured.
 *
 * <p>Each line gives, besides the rates, the CPU time of the appender's writer thread as a share of
 * the slice (the rest of its time it waits: fsync, the signature, the next append), and the CPU
 * microseconds of the whole process per entry for each slice.
 *
 * <p>The two alternate in rounds (appender slice, then raw slice), the first {@code bench.warmup}
 * rounds are warm-up, so that both see the same disk and CPU conditions; on a shared machine fsync latency varies by a
 * factor of 2 to 4 within a minute. Results: docs/benchmarks.md, "Durable appends on SQLite
 * (issue 4)".
 *
 * <p>Run: {@code benchmarks/run main org.foureyes.bench.DurableAppendBench}, or without installing
 * into ~/.m2 see docs/benchmarks.md. System properties: {@code bench.rounds} (10),
 * {@code bench.warmup} (5), {@code bench.mode} (threads), {@code bench.slice} (seconds per slice, 3), {@code bench.submitters} (64),
 * {@code bench.dir} (java.io.tmpdir).
 */
public class DurableAppendBench {
    static final String ORIGIN = "foureyes.bench/durable-appends";
    static final String PRAGMAS = "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        new DurableAppendBench().run();
    }

    public void run() throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 10);
        int slice = Integer.getInteger("bench.slice", 3);
        // The appender runs far more code than the raw inserts; its first rounds still run partly
        // interpreted (its rate still climbed through the fifth round in session 5's runs).
        int warmup = Integer.getInteger("bench.warmup", 5);
        if (rounds <= warmup) {
            throw new IllegalArgumentException("bench.rounds (" + rounds + ") must exceed bench.warmup (" + warmup + ")");
        }
        int submitters = Integer.getInteger("bench.submitters", 64);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "foureyes-bench");
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "durable appends on SQLite (WAL, synchronous=FULL): %d rounds of %d s appender + %d s raw,"
                        + " the first %d warm-up; %d clients, mode %s%n", rounds, slice, slice, warmup, submitters,
                System.getProperty("bench.mode", "threads")));
        report.append(String.format(Locale.ROOT, "  %-6s %12s %10s %12s %9s %9s %12s %10s %9s %9s %7s%n",
                "round", "appender/s", "mean batch", "writer cpu", "cpu us", "written", "raw/s", "raw batch",
                "cpu us", "written", "ratio"));
        try (AppenderRig rig = new AppenderRig(dir.resolve("log.db"));
                Connection raw = rawConnection(dir.resolve("raw.db"))) {
            double sumAppender = 0;
            double sumRaw = 0;
            List<byte[]> sample = null;
            long rawSeq = 0;
            for (int round = 0; round < rounds; round++) {
                long cpu0 = processCpuNanos();
                long written0 = processWrittenBytes();
                double[] a = rig.slice(submitters, slice);
                long cpu1 = processCpuNanos();
                long written1 = processWrittenBytes();
                if (sample == null) {
                    sample = rig.sampleEntries();
                }
                long batch = Math.max(1, Math.round(a[1]));
                double[] r = rawSlice(raw, sample, batch, rawSeq, slice);
                long cpu2 = processCpuNanos();
                long written2 = processWrittenBytes();
                rawSeq = (long) r[1];
                String label = round < warmup ? "warm" : Integer.toString(round - warmup + 1);
                // CPU of the whole process per entry (all threads, GC and JIT included): whether a
                // slice was bound by the 2 cores or by waiting (fsync, hand-offs). Bytes handed to
                // write calls per entry (WAL frames, and database pages when SQLite checkpoints the
                // WAL): what each commit makes the disk do.
                report.append(String.format(Locale.ROOT,
                        "  %-6s %,12.0f %10.1f %11.0f%% %9.1f %9.0f %,12.0f %10d %9.1f %9.0f %7.2f%n",
                        label, a[0], a[1], 100 * a[2], (cpu1 - cpu0) / 1e3 / (a[0] * a[3]),
                        (written1 - written0) / (a[0] * a[3]), r[0], batch, (cpu2 - cpu1) / 1e3 / (r[0] * r[2]),
                        (written2 - written1) / (r[0] * r[2]), a[0] / r[0]));
                if (round >= warmup) {
                    sumAppender += a[0];
                    sumRaw += r[0];
                }
            }
            long bytes = 0;
            for (byte[] e : sample) {
                bytes += e.length;
            }
            report.append(String.format(Locale.ROOT,
                    "  mean over measured rounds: appender %,.0f entries/s, raw %,.0f entries/s, ratio %.2f"
                            + " (goal >= 0.50); mean entry %d bytes%n",
                    sumAppender / (rounds - warmup), sumRaw / (rounds - warmup), sumAppender / sumRaw,
                    bytes / Math.max(1, sample.size())));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.print(report);
        Path out = Path.of("target", "durable-append-bench.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /** ~430-byte entries: a change.expired entry whose reason pads it. */
    static EntryDraft draft(int submitter, long i) {
        return EntryDraft.of("change.expired", null, seq -> {
            ObjectNode f = JSON.createObjectNode();
            f.put("change", seq);
            f.put("state", "expired");
            f.put("reason", ("submitter " + submitter + " append " + i + " ") + "r".repeat(230));
            return f;
        });
    }

    /** The service's appender on a migrated SQLite file, as config.yml sets it up. */
    static final class AppenderRig implements AutoCloseable {
        final MetricRegistry metrics = new MetricRegistry();
        final ManagedDataSource ds;
        final Jdbi jdbi;
        final LogAppender appender;
        /** Clients wait with callbacks instead of a blocked thread each ({@code bench.mode=async}). */
        final boolean async = "async".equals(System.getProperty("bench.mode", "threads"));

        AppenderRig(Path file) throws Exception {
            DataSourceFactory f = new DataSourceFactory();
            f.setDriverClass("org.sqlite.JDBC");
            f.setUrl("jdbc:sqlite:" + file + PRAGMAS);
            f.setMaxSize(4);
            f.setMinSize(1);
            f.setInitialSize(1);
            ds = f.build(metrics, "bench");
            Migrations.apply(ds);
            jdbi = Jdbi.create(ds).installPlugin(new SqlObjectPlugin());
            SignerKey key = SignerKey.generate(ORIGIN);
            // As the server runs it: the signer's high-water mark beside the key (docs/keys-and-notes.md),
            // advanced durably before each checkpoint is signed. bench.mark=off measures without it.
            LogKeySigner signer = "off".equals(System.getProperty("bench.mark", "on"))
                    ? new LogKeySigner(key, ORIGIN)
                    : new LogKeySigner(key, ORIGIN, SignerHighWaterMark.open(
                            SignerHighWaterMark.beside(file.resolveSibling(file.getFileName() + ".key")), ORIGIN));
            appender = new LogAppender(jdbi, Dialect.of(jdbi), signer, Clock.systemUTC(),
                    metrics, LogAppender.Settings.DEFAULT);
            appender.start();
        }

        /**
         * Runs the submitters for {@code seconds}; returns {entries acknowledged per second, mean
         * batch, the writer thread's CPU time as a share of the slice, the slice's seconds}.
         */
        double[] slice(int submitters, int seconds) throws Exception {
            AtomicBoolean measuring = new AtomicBoolean(true);
            AtomicLong acknowledged = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            String batchSize = MetricRegistry.name(LogAppender.class, "batch-size");
            String appends = MetricRegistry.name(LogAppender.class, "appends");
            List<Thread> threads = new ArrayList<>();
            long batchesBefore = metrics.histogram(batchSize).getCount();
            long appendsBefore = metrics.meter(appends).getCount();
            long writerCpu0 = writerCpuNanos();
            long t0 = System.nanoTime();
            java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(submitters);
            for (int s = 0; s < submitters && async; s++) {
                chain(s, 0, measuring, acknowledged, failures, drained);
            }
            for (int s = 0; s < submitters && !async; s++) {
                int submitter = s;
                Thread t = new Thread(() -> {
                    long i = 0;
                    while (measuring.get()) {
                        try {
                            appender.append(draft(submitter, i++)).get(60, TimeUnit.SECONDS);
                            if (measuring.get()) {
                                acknowledged.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                }, "submitter-" + s);
                threads.add(t);
                t.start();
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            measuring.set(false);
            long elapsed = System.nanoTime() - t0;
            for (Thread t : threads) {
                t.join();
            }
            if (async && !drained.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("appends still unacknowledged 60 s after the slice");
            }
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " appends failed");
            }
            long batches = metrics.histogram(batchSize).getCount() - batchesBefore;
            long written = metrics.meter(appends).getCount() - appendsBefore;
            // The writer thread's own CPU time in the slice (the batch timer's mean is a decaying sample).
            double busy = (writerCpuNanos() - writerCpu0) / (double) elapsed;
            return new double[] {acknowledged.get() / (elapsed / 1e9), batches == 0 ? 0 : (double) written / batches,
                busy, (System.nanoTime() - t0) / 1e9};
        }

        /**
         * One client of the asynchronous mode: appends, and when the receipt arrives (counted if
         * still measuring) appends its next entry, until the slice ends. No thread waits.
         */
        private void chain(int client, long i, AtomicBoolean measuring, AtomicLong acknowledged, AtomicLong failures,
                java.util.concurrent.CountDownLatch drained) {
            appender.append(draft(client, i)).whenComplete((receipt, error) -> {
                if (error != null || receipt == null || receipt.seq() < 0) {
                    failures.incrementAndGet();
                    drained.countDown();
                } else if (measuring.get()) {
                    acknowledged.incrementAndGet();
                    chain(client, i + 1, measuring, acknowledged, failures, drained);
                } else {
                    drained.countDown();
                }
            });
        }

        /** Appends {@code n} entries, 64 at a time, and waits for all of them. */
        void fill(int n) throws Exception {
            List<java.util.concurrent.CompletableFuture<?>> window = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                window.add(appender.append(draft(i % 64, i / 64)));
                if (window.size() == 64 || i == n - 1) {
                    for (java.util.concurrent.CompletableFuture<?> f : window) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    window.clear();
                }
            }
        }

        /** CPU time of the appender's writer thread ("log-appender") so far. */
        static long writerCpuNanos() {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("log-appender")) {
                    return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
                }
            }
            throw new IllegalStateException("no log-appender thread");
        }

        /** The entries written so far (up to 20,000): the bytes the raw inserts write too. */
        List<byte[]> sampleEntries() {
            JdbiLogStore store = new JdbiLogStore(jdbi);
            long size = Math.min(store.size(), 20_000);
            List<byte[]> sample = new ArrayList<>();
            for (long start = 0; start < size; start += 1000) {
                for (StoredEntry e : store.entries(start, Math.min(size, start + 1000))) {
                    sample.add(e.entry());
                }
            }
            return sample;
        }

        @Override
        public void close() throws Exception {
            appender.stop();
            ds.stop();
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Bytes this process has passed to write calls so far ({@code wchar} of /proc/self/io). */
    static long processWrittenBytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring("wchar:".length()).trim());
            }
        }
        throw new IllegalStateException("/proc/self/io has no wchar line");
    }

    static Connection rawConnection(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file + PRAGMAS);
        try (Statement s = c.createStatement()) {
            // The same layout as log_entries on SQLite (seq is the rowid).
            s.execute("CREATE TABLE raw_entries (seq INTEGER PRIMARY KEY, entry BLOB NOT NULL)");
        }
        c.setAutoCommit(false);
        return c;
    }

    /**
     * Plain JDBC: batches of the same entry bytes, one transaction per batch, one thread, for
     * {@code seconds}. Returns {entries per second, next seq}.
     */
    static double[] rawSlice(Connection c, List<byte[]> entries, long batch, long seq, int seconds)
            throws SQLException {
        long measured = 0;
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO raw_entries (seq, entry) VALUES (?, ?)")) {
            while (System.nanoTime() < end) {
                for (int i = 0; i < batch; i++) {
                    insert.setLong(1, seq);
                    insert.setBytes(2, entries.get((int) (seq % entries.size())));
                    insert.addBatch();
                    seq++;
                }
                insert.executeBatch();
                c.commit();
                measured += batch;
            }
        }
        double took = (System.nanoTime() - t0) / 1e9;
        return new double[] {measured / took, seq, took};
    }
}
