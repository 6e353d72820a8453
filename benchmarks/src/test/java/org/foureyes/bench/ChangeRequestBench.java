package org.foureyes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.server.FoureyesApplication;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.StatementSigner;

/**
 * Change requests per second through HTTP ({@code POST /v1/changes}, each acknowledged only when
 * durable and covered by a signed checkpoint) with 32 concurrent clients, against a trivial
 * authenticated endpoint of the same server in the same run ({@code GET /v1/whoami}: verify an
 * access token, answer the principal). Goal: requests ≥ 0.5 × whoami. Reports p50 and p99 latency
 * of both.
 *
 * <p>The server runs in this JVM (the quick start's setup: SQLite in a temp directory, WAL,
 * synchronous=FULL, the tor-exit policy); the clients use the JDK HttpClient, one per thread,
 * with statements signed before each slice (distinct jti and configuration; base = the relay's
 * current hash, which requests do not change, so all are accepted). Slices of whoami and of
 * requests alternate; the first {@code bench.warmup} rounds are warm-up (the request path has far
 * more code for the JIT than whoami: on 2 cores the compiler still takes 0.2 to 0.5 ms of CPU per
 * request up to about the tenth round, and under 0.1 ms from the thirteenth, see the "jit" column). Each line also gives the CPU milliseconds per
 * answered request of the whole process and of its parts (client threads, the server's request
 * threads, the appender's threads, GC, JIT), so that a run shows where the time went. Results:
 * docs/benchmarks.md, "Change requests through HTTP (issue 4)".
 *
 * <p>System properties: {@code bench.rounds} (16), {@code bench.warmup} (12), {@code bench.slice}
 * (seconds, 5), {@code bench.clients} (32), {@code bench.dir} (java.io.tmpdir),
 * {@code bench.keys} (directory of the test keys, default audit-log/src/test/resources/keys).
 */
public class ChangeRequestBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ORIGIN = "foureyes.bench/change-requests";

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 16);
        int warmup = Integer.getInteger("bench.warmup", 12);
        if (rounds <= warmup) {
            throw new IllegalArgumentException("bench.rounds (" + rounds + ") must exceed bench.warmup (" + warmup + ")");
        }
        int slice = Integer.getInteger("bench.slice", 5);
        int clients = Integer.getInteger("bench.clients", 32);
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath();
        if (!Files.exists(root.resolve("policies/tor-exit.yml")) && Files.exists(root.resolve("../policies/tor-exit.yml"))) {
            root = root.getParent();
        }
        Path keys = Path.of(System.getProperty("bench.keys", root.resolve("audit-log/src/test/resources/keys").toString()));
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "foureyes-change-bench");
        int port = freePort();
        int adminPort = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                dataDir: %1$s
                policyFile: %2$s
                log:
                  origin: %3$s
                  keyFile: %1$s/log.key
                database:
                  driverClass: org.sqlite.JDBC
                  url: "jdbc:sqlite:%1$s/foureyes.db?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true"
                  maxSize: 8
                  minSize: 1
                  initialSize: 1
                  validationQuery: "SELECT 1"
                server:
                  applicationConnectors:
                    - {type: http, bindHost: 127.0.0.1, port: %4$d}
                  adminConnectors:
                    - {type: http, bindHost: 127.0.0.1, port: %5$d}
                  requestLog:
                    appenders: []
                workflow:
                  maxOpenChangesPerPrincipal: 0
                logging:
                  level: WARN
                """.formatted(dir, root.resolve("policies/tor-exit.yml"), ORIGIN, port, adminPort));
        new FoureyesApplication().run("server", config.toString());

        SignerKey rene = SignerKey.parse(Files.readString(keys.resolve("rene.test.key")).strip());
        SignerKey ines = SignerKey.parse(Files.readString(keys.resolve("ines.test.key")).strip());
        String base = "http://127.0.0.1:" + port;
        HttpClient probe = HttpClient.newHttpClient();
        JsonNode relay = JSON.readTree(probe.send(HttpRequest.newBuilder(URI.create(base + "/v1/components/relay"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        Optional<String> relayBase = relay.path("config_sha256").isTextual()
                ? Optional.of(relay.get("config_sha256").asText()) : Optional.empty();

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "ChangeRequestBench: %d clients, %d rounds of %d s per kind"
                + " (the first %d warm-up), SQLite synchronous=FULL in %s%n", clients, rounds, slice, warmup, dir));
        report.append(String.format(Locale.ROOT, "%-7s %-9s %10s %10s %10s %8s %8s %8s %8s %8s %8s %8s%n", "round",
                "kind", "per s", "p50 ms", "p99 ms", "errors", "cpu ms", "clients", "dw-*", "log-*", "gc", "jit"));
        double[] sums = new double[2];
        double[] serverCpu = new double[2]; // ms per request, summed over measured rounds
        List<long[]> allLatencies = new ArrayList<>(List.of(new long[0], new long[0]));
        AtomicInteger counter = new AtomicInteger();
        for (int round = 0; round < rounds; round++) {
            // whoami: one reusable access token per client
            List<String> tokens = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                tokens.add(StatementSigner.of(ines).accessToken(ORIGIN, Duration.ofMinutes(10)));
            }
            Result who = Boolean.getBoolean("bench.requestsOnly") ? new Result(500, new long[0], 0, new double[6])
                    : slice(clients, slice, c -> HttpRequest.newBuilder(URI.create(base + "/v1/whoami"))
                            .header("Authorization", "Bearer " + tokens.get(c)).GET(), 200);
            // requests: pre-signed, distinct
            int needed = Math.max(2000, (int) (who.perSecond * slice * 1.2) + 500);
            ConcurrentLinkedQueue<String> statements = new ConcurrentLinkedQueue<>();
            StatementSigner signer = StatementSigner.of(rene, Clock.fixed(Instant.now(), ZoneOffset.UTC));
            for (int i = 0; i < needed; i++) {
                ObjectNode cfg = relayConfig("b" + counter.incrementAndGet());
                statements.add(signer.sign(ORIGIN, new ChangeRequestClaims("relay", relayBase, cfg, "bench", false),
                        Duration.ofMinutes(10)));
            }
            Result req = slice(clients, slice, c -> {
                String s = statements.poll();
                return s == null ? null : HttpRequest.newBuilder(URI.create(base + "/v1/changes"))
                        .header("Content-Type", "application/jose").POST(HttpRequest.BodyPublishers.ofString(s));
            }, 201);
            String label = round < warmup ? "warm-up" : String.valueOf(round - warmup + 1);
            report.append(line(label, "whoami", who)).append(line(label, "request", req));
            if (round >= warmup) {
                sums[0] += who.perSecond;
                sums[1] += req.perSecond;
                serverCpu[0] += serverCpuMs(who);
                serverCpu[1] += serverCpuMs(req);
                allLatencies.set(0, concat(allLatencies.get(0), who.latencies));
                allLatencies.set(1, concat(allLatencies.get(1), req.latencies));
            }
            System.out.print(line(label, "whoami", who) + line(label, "request", req));
        }
        int measured = rounds - warmup;
        double whoRate = sums[0] / measured;
        double reqRate = sums[1] / measured;
        report.append(String.format(Locale.ROOT, "mean over measured rounds: whoami %.0f/s (p50 %.1f ms, p99 %.1f ms),"
                + " change requests %.0f/s (p50 %.1f ms, p99 %.1f ms); ratio %.2f (goal >= 0.5)%n", whoRate,
                pct(allLatencies.get(0), 50), pct(allLatencies.get(0), 99), reqRate, pct(allLatencies.get(1), 50),
                pct(allLatencies.get(1), 99), reqRate / whoRate));
        // The clients share the JVM and the two cores, and cost about as much per request in both
        // slices, which pulls the measured ratio towards 1; this is the ratio without them.
        report.append(String.format(Locale.ROOT, "server CPU per request (request threads, appender, GC, JIT): whoami"
                + " %.2f ms, change request %.2f ms; ratio %.2f%n", serverCpu[0] / measured, serverCpu[1] / measured,
                serverCpu[0] / serverCpu[1]));
        JsonNode metrics = JSON.readTree(probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode batch = metrics.path("histograms").path("org.foureyes.server.core.LogAppender.batch-size");
        JsonNode commit = metrics.path("timers").path("org.foureyes.server.core.LogAppender.batch-commit");
        report.append(String.format(Locale.ROOT, "appender: batch size mean %.1f (p99 %.0f), batch transaction mean"
                + " %.1f ms (p99 %.1f ms, %s batches)%n", batch.path("mean").asDouble(), batch.path("p99").asDouble(),
                commit.path("mean").asDouble() * unit(commit), commit.path("p99").asDouble() * unit(commit),
                commit.path("count").asText()));
        System.out.println();
        System.out.print(report);
        Path out = Path.of("target/change-request-bench.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.exit(0);
    }

    /** The server's share of a slice's CPU per request: request threads, appender threads, GC, JIT. */
    private static double serverCpuMs(Result r) {
        return r.cpuMs()[2] + r.cpuMs()[3] + r.cpuMs()[4] + r.cpuMs()[5];
    }

    /** Milliseconds per unit of a Dropwizard timer's JSON. */
    private static double unit(JsonNode timer) {
        String u = timer.path("duration_units").asText("milliseconds");
        return u.startsWith("seconds") ? 1000 : u.startsWith("micro") ? 0.001 : 1;
    }

    /**
     * @param cpuMs CPU milliseconds per successful operation during the slice: {whole process,
     *     the client threads, the server's request threads (dw-*), the log appender's threads
     *     (log-*), GC, JIT}
     */
    private record Result(double perSecond, long[] latencies, int errors, double[] cpuMs) {
    }

    /** Thread groups whose CPU time is reported apart, by the start of the thread's name in /proc. */
    private static final String[][] GROUPS = {{"dw-"}, {"log-"}, {"GC Thread", "G1 "}, {"C1 Compiler", "C2 Compiler"}};

    /**
     * CPU nanoseconds so far: {process, request threads (dw-*), the appender's threads (log-*),
     * garbage collector, JIT compiler}, from /proc (which, unlike ThreadMXBean, sees the JVM's own
     * GC and compiler threads); 10 ms resolution, enough for slices of seconds. The clients measure
     * their own threads, which end with the slice.
     */
    private static long[] cpuNow() throws IOException {
        long tick = 10_000_000L; // USER_HZ = 100 on Linux
        long[] out = new long[GROUPS.length + 1];
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long t = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick; // utime, stime
                for (int g = 0; g < GROUPS.length; g++) {
                    for (String prefix : GROUPS[g]) {
                        if (name.startsWith(prefix)) {
                            out[g + 1] += t;
                        }
                    }
                }
            }
        }
        out[0] = DurableAppendBench.processCpuNanos();
        return out;
    }

    private interface RequestMaker {
        HttpRequest.Builder make(int client);
    }

    private static Result slice(int clients, int seconds, RequestMaker maker, int expected)
            throws InterruptedException, IOException {
        AtomicLong ok = new AtomicLong();
        AtomicInteger errors = new AtomicInteger();
        long[][] lat = new long[clients][];
        int[] counts = new int[clients];
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(clients);
        long[] window = new long[2];
        AtomicLong clientCpu = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            lat[c] = new long[1 << 16];
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                try {
                    go.await();
                    long end = window[1];
                    while (System.nanoTime() < end) {
                        HttpRequest.Builder b = maker.make(id);
                        if (b == null) {
                            errors.incrementAndGet();
                            break;
                        }
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (r.statusCode() == expected) {
                            if (t1 <= end) {
                                ok.incrementAndGet();
                                if (counts[id] < lat[id].length) {
                                    lat[id][counts[id]++] = t1 - t0;
                                }
                            }
                        } else if (errors.incrementAndGet() < 3) {
                            System.err.println("unexpected " + r.statusCode() + ": " + r.body());
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    errors.incrementAndGet();
                } finally {
                    clientCpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean()
                            .getCurrentThreadCpuTime());
                    done.countDown();
                }
            });
            t.start();
            threads.add(t);
        }
        long[] cpu0 = cpuNow();
        window[0] = System.nanoTime();
        window[1] = window[0] + Duration.ofSeconds(seconds).toNanos();
        go.countDown();
        done.await();
        long[] cpu1 = cpuNow();
        long elapsed = window[1] - window[0];
        double n = Math.max(1, ok.get()) * 1e6;
        double[] cpuMs = {(cpu1[0] - cpu0[0]) / n, clientCpu.get() / n, (cpu1[1] - cpu0[1]) / n,
            (cpu1[2] - cpu0[2]) / n, (cpu1[3] - cpu0[3]) / n, (cpu1[4] - cpu0[4]) / n};
        long[] all = new long[0];
        for (int c = 0; c < clients; c++) {
            all = concat(all, Arrays.copyOf(lat[c], counts[c]));
        }
        return new Result(ok.get() * 1e9 / elapsed, all, errors.get(), cpuMs);
    }

    private static String line(String round, String kind, Result r) {
        return String.format(Locale.ROOT, "%-7s %-9s %10.0f %10.1f %10.1f %8d %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f%n", round,
                kind, r.perSecond, pct(r.latencies, 50), pct(r.latencies, 99), r.errors, r.cpuMs[0], r.cpuMs[1],
                r.cpuMs[2], r.cpuMs[3], r.cpuMs[4], r.cpuMs[5]);
    }

    private static double pct(long[] ns, int p) {
        if (ns.length == 0) {
            return Double.NaN;
        }
        long[] s = ns.clone();
        Arrays.sort(s);
        int i = (int) Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100.0 * s.length) - 1));
        return s[i] / 1e6;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ObjectNode relayConfig(String nickname) {
        ObjectNode n = JSON.createObjectNode();
        n.put("nickname", nickname);
        n.put("contact", "ops@example.org");
        n.putArray("exit_policy").add("accept *:443").add("reject *:*");
        n.put("exit_tos", 32);
        n.put("outbound_bind_address_exit", "192.0.2.10");
        n.put("outbound_bind_address_or", "192.0.2.11");
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
