package org.foureyes.bench;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.Rfc6962;
import org.foureyes.auditlog.tiles.TileId;
import org.foureyes.server.core.TileReader;
import org.foureyes.server.db.CheckpointDao;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.LogEntryDao;
import org.foureyes.server.db.Migrations;
import org.foureyes.server.db.StoredEntry;
import org.foureyes.server.db.StoredNode;
import org.foureyes.server.db.TreeNodeDao;
import org.foureyes.server.resources.TileResource;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Serving full tiles and full entry bundles from a SQLite log of {@code bench.entries}
 * (1,000,000) entries through {@link TileResource} (Jersey on Jetty), against serving the same
 * bytes as static files with Jetty's {@link ResourceHandler} in the same server, same run. Each
 * request picks a random full tile (or bundle) of the log, so the resource's cache of 512 full
 * tiles answers about one in eight and the rest are read from SQLite. Clients: {@code bench.clients}
 * (8) threads with the JDK HttpClient, HTTP/1.1, no gzip; rounds of {@code bench.seconds} (5) per
 * kind, alternating, {@code bench.rounds} (4) of which the first is warm-up. Goal: the resource
 * reaches at least 0.5 of the static file's requests per second.
 *
 * <p>The log is written directly into the tables (entries of 80 to 120 bytes, the tree nodes the
 * appender would store, one checkpoint), as filling it through the appender would take minutes.
 * Dropwizard's own filters (metrics, gzip, request log) are not in the path, for either kind.
 *
 * <pre>java -Xmx1g -cp benchmarks/target/test-classes:$(cat /tmp/cp-bench.txt) org.foureyes.bench.TileServeBench</pre>
 */
public final class TileServeBench {
    private static final String ORIGIN = "bench.example/tlog";

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int entries = Integer.getInteger("bench.entries", 1_000_000);
        int clients = Integer.getInteger("bench.clients", 8);
        int seconds = Integer.getInteger("bench.seconds", 5);
        int rounds = Integer.getInteger("bench.rounds", 4);
        Path dir = Files.createTempDirectory("foureyes-tile-bench");
        DataSourceFactory f = new DataSourceFactory();
        f.setDriverClass("org.sqlite.JDBC");
        f.setUrl("jdbc:sqlite:" + dir.resolve("log.db") + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000");
        f.setMaxSize(clients);
        f.setMinSize(1);
        f.setInitialSize(1);
        ManagedDataSource ds = f.build(new MetricRegistry(), "bench");
        Server server = null;
        try {
            Migrations.apply(ds);
            Jdbi jdbi = Jdbi.create(ds).installPlugin(new SqlObjectPlugin());
            long t0 = System.nanoTime();
            fill(jdbi, entries);
            JdbiLogStore store = new JdbiLogStore(jdbi);
            System.out.printf(Locale.ROOT, "filled %,d entries in %.1f s%n", store.size(), (System.nanoTime() - t0) / 1e9);
            Path files = dir.resolve("static");
            t0 = System.nanoTime();
            // The same bytes the resource serves, written once through it (TileReader) as static files.
            TileReader reader = new TileReader(store);
            for (long n = 0; n < store.size() / TileId.FULL_WIDTH; n++) {
                for (TileId t : new TileId[] {TileId.hashes(0, n, 256), TileId.entries(n, 256)}) {
                    Path file = files.resolve(t.path());
                    Files.createDirectories(file.getParent());
                    Files.write(file, reader.read(t).orElseThrow());
                }
            }
            System.out.printf(Locale.ROOT, "wrote the static copy in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            server = new Server(new QueuedThreadPool(64));
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler api = new ServletContextHandler("/");
            api.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(new TileResource(store)))),
                    "/*");
            ResourceHandler res = new ResourceHandler();
            res.setBaseResource(ResourceFactory.of(server).newResource(files));
            res.setDirAllowed(false);
            ContextHandler staticContext = new ContextHandler(res, "/static");
            server.setHandler(new ContextHandlerCollection(staticContext, api));
            server.start();
            String base = "http://127.0.0.1:" + connector.getLocalPort();

            long fullTiles = store.size() / TileId.FULL_WIDTH;
            String[] kinds = {"tile", "static tile", "bundle", "static bundle"};
            double[][] rate = new double[kinds.length][rounds];
            long[][] p99 = new long[kinds.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < kinds.length; k++) {
                    String kind = kinds[k];
                    String prefix = base + (kind.startsWith("static") ? "/static/" : "/tlog/");
                    boolean bundle = kind.endsWith("bundle");
                    long[] result = run(clients, seconds, random -> {
                        long n = random.nextLong(fullTiles);
                        return prefix + (bundle ? TileId.entries(n, 256) : TileId.hashes(0, n, 256)).path();
                    });
                    rate[k][r] = result[0] / (double) seconds;
                    p99[k][r] = result[1];
                    System.out.printf(Locale.ROOT, "round %d %-13s %8.0f req/s  p99 %6.2f ms  errors %d%n", r, kind,
                            rate[k][r], result[1] / 1e6, result[2]);
                }
            }
            System.out.printf(Locale.ROOT, "mean of rounds 1..%d (round 0 is warm-up), %d clients:%n", rounds - 1, clients);
            for (int k = 0; k < kinds.length; k++) {
                System.out.printf(Locale.ROOT, "  %-13s %8.0f req/s  p99 %6.2f ms%n", kinds[k], mean(rate[k]),
                        Arrays.stream(p99[k]).skip(1).average().orElse(0) / 1e6);
            }
            System.out.printf(Locale.ROOT, "ratio tile/static %.2f, bundle/static %.2f (goal >= 0.5)%n",
                    mean(rate[0]) / mean(rate[1]), mean(rate[2]) / mean(rate[3]));
        } finally {
            if (server != null) {
                server.stop();
            }
            ds.stop();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double mean(double[] perRound) {
        return Arrays.stream(perRound).skip(1).average().orElse(0);
    }

    /** Writes entries, the tree nodes the appender keeps and one checkpoint, in large transactions. */
    static void fill(Jdbi jdbi, int n) {
        CompactRange range = CompactRange.empty();
        SplittableRandom random = new SplittableRandom(1);
        int batch = 20_000;
        for (int start = 0; start < n; start += batch) {
            List<StoredEntry> rows = new ArrayList<>(batch);
            List<StoredNode> nodes = new ArrayList<>(batch / 8);
            for (int seq = start; seq < Math.min(n, start + batch); seq++) {
                byte[] e = ("{\"seq\":" + seq + ",\"bench\":\"" + "x".repeat(60 + random.nextInt(40)) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] leaf = Rfc6962.leafHash(e);
                rows.add(new StoredEntry(seq, e, leaf));
                range.append(leaf, (id, hash) -> {
                    if (id.level() >= TreeNodeDao.STORED_FROM_LEVEL) {
                        nodes.add(new StoredNode(id.level(), id.index(), hash));
                    }
                });
            }
            jdbi.useTransaction(h -> {
                h.attach(LogEntryDao.class).insert(rows);
                h.attach(TreeNodeDao.class).insert(nodes);
            });
        }
        byte[] root = range.root();
        String note = Checkpoint.of(ORIGIN, n, root).body() + "\n— " + ORIGIN + " AAAA\n";
        jdbi.useExtension(CheckpointDao.class, d -> d.insert(n, root, note, System.currentTimeMillis()));
    }

    interface Target {
        String url(SplittableRandom random);
    }

    /** {requests, p99 ns, errors} of {@code clients} threads requesting {@code target} for {@code seconds}. */
    private static long[] run(int clients, int seconds, Target target) throws Exception {
        AtomicBoolean go = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] counts = new int[clients];
        for (int c = 0; c < clients; c++) {
            long[] lat = new long[2_000_000];
            latencies.add(lat);
            int client = c;
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                SplittableRandom random = new SplittableRandom(client);
                int i = 0;
                while (go.get() && i < lat.length) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(target.url(random))).GET().build();
                    long s = System.nanoTime();
                    try {
                        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (resp.statusCode() != 200 || resp.body().length == 0) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    lat[i++] = System.nanoTime() - s;
                }
                counts[client] = i;
            });
            threads.add(t);
            t.start();
        }
        Thread.sleep(seconds * 1000L);
        go.set(false);
        for (Thread t : threads) {
            t.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int p = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(latencies.get(c), 0, all, p, counts[c]);
            p += counts[c];
        }
        Arrays.sort(all);
        return new long[] {total, all.length == 0 ? 0 : all[(int) (all.length * 0.99)], errors.get()};
    }
}
