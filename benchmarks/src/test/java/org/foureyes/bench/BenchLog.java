package org.foureyes.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.export.ExportFormat;
import org.foureyes.auditlog.export.LogExporter;
import org.foureyes.ledger.Draft;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.Outcome;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementClaims;
import org.foureyes.statement.StatementSigner;
import org.foureyes.statement.StatementType;

/**
 * Realistic, valid tor-exit logs for benchmarks, as export folders cached under
 * {@code benchmarks/target/bench-logs/<n>/} (reused across runs; delete the folder to regenerate).
 *
 * <p>The log is what the server would write: the genesis with {@code policies/tor-exit.yml},
 * then cycles of change request → approval → agent report {@code applied}, round robin over relay
 * (rene requests, nora approves), switch (nora, anna) and monitor (anna, rene), each a new
 * configuration whose {@code base} is the previous one. Every statement is signed with the
 * principals' test keys ({@code audit-log/src/test/resources/keys/}) and goes through
 * {@link Ledger#decide}; every draft is materialised and passed to {@link Ledger#apply}, so the log
 * replays without a failure. Entries are one second apart; statements are signed at their entry's
 * time. Statements are signed ahead on a thread pool (they depend only on the cycle number), the
 * ledger runs on the calling thread. The log key is {@link #logKey()} (a fixed seed), origin
 * {@value #ORIGIN}. Entries average about 540 bytes (requests carry the whole configuration).
 *
 * <p>Usage: {@code Path dir = BenchLog.export(1_000_000);} then verify with
 * {@code BenchLog.logKey().verifierKey()}. Generating 1,000,000 entries takes minutes (progress on
 * stderr).
 */
public final class BenchLog {

    public static final String ORIGIN = "bench.example.org/tor-exit";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COMPONENTS = {"relay", "switch", "monitor"};
    private static final String[][] PEOPLE = {{"rene", "nora", "agent-relay"}, {"nora", "anna", "agent-switch"},
        {"anna", "rene", "agent-monitor"}};
    private static final int BATCH = 256;

    private BenchLog() {
    }

    /** The log key of every bench log (deterministic). */
    public static SignerKey logKey() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 42);
        try {
            return SignerKey.fromSeed(ORIGIN, seed);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository root (the directory holding {@code policies/tor-exit.yml}). */
    public static Path root() {
        for (Path p : new Path[] {Path.of("."), Path.of("..")}) {
            if (Files.exists(p.resolve("policies/tor-exit.yml"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("run from the repository root or benchmarks/: policies/tor-exit.yml not found");
    }

    /** The tor-exit policy the logs start with. */
    public static Policy policy() {
        try {
            return PolicyLoader.load(root().resolve("policies/tor-exit.yml"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid export of {@code entries} entries (at least 1), generated once and cached. */
    public static Path export(int entries) throws IOException {
        if (entries < 1) {
            throw new IllegalArgumentException("entries >= 1");
        }
        Path dir = root().resolve("benchmarks/target/bench-logs/" + entries);
        if (Files.exists(dir.resolve(ExportFormat.CHECKPOINT_FILE))) {
            return dir;
        }
        Path tmp = dir.resolveSibling(entries + ".tmp-" + ProcessHandle.current().pid());
        Files.createDirectories(tmp.getParent());
        generate(tmp, entries);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    // ---------------------------------------------------------------- generation

    /** The three statements of one cycle, signed ahead. */
    private record Cycle(String request, String decision, String report) {
    }

    private static SignerKey key(String name) {
        try {
            return SignerKey.parse(Files.readString(root().resolve("audit-log/src/test/resources/keys/" + name
                    + ".test.key")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configuration number {@code v} of a component (v counts the component's cycles from 0). */
    static ObjectNode config(String component, long v) {
        String text = switch (component) {
            case "relay" -> "{\"nickname\":\"exit" + v + "\",\"contact\":\"ops@example.org\","
                    + "\"exit_policy\":[\"accept *:443\",\"accept *:80\",\"reject *:*\"],\"exit_tos\":32,"
                    + "\"outbound_bind_address_exit\":\"192.0.2.10\",\"outbound_bind_address_or\":\"192.0.2.11\"}";
            case "switch" -> "{\"mirror\":{\"enabled\":true,\"sessions\":[{\"name\":\"exit\",\"source\":\"swp1\","
                    + "\"direction\":\"ingress\",\"destination\":\"swp8\"}]},\"firewall\":{\"default\":\"accept\","
                    + "\"rules\":[{\"action\":\"drop\",\"direction\":\"in\",\"proto\":\"tcp\",\"port\":"
                    + (1 + v % 65535) + "}]}}";
            default -> "{\"capture\":{\"enabled\":true,\"interface\":\"mirror0\",\"exit_tos\":32},"
                    + "\"record\":{\"fields\":[\"dst_port\",\"asn\",\"country\"],"
                    + "\"bucket_minutes\":60,\"retention_days\":" + (1 + v % 30) + "}}";
        };
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sign(SignerKey k, Instant iat, StatementClaims c) {
        try {
            return StatementSigner.of(k, Clock.fixed(iat, ZoneOffset.UTC)).sign(ORIGIN, c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cycle {@code i}: its request is entry 1 + 3i at T0 + 3i s, then the decision and report 1 s apart. */
    private static Cycle cycle(long i, SignerKey[][] keys) {
        int c = (int) (i % 3);
        long v = i / 3;
        String component = COMPONENTS[c];
        long seq = 1 + 3 * i;
        Instant t = T0.plusSeconds(3 * i);
        ObjectNode config = config(component, v);
        Optional<String> base = v == 0 ? Optional.empty() : Optional.of(ConfigHash.sha256Hex(config(component, v - 1)));
        String request = sign(keys[c][0], t, new ChangeRequestClaims(component, base, config,
                "cycle " + i + ": routine change of " + component, false));
        String sha = sha256Hex(request);
        String decision = sign(keys[c][1], t.plusSeconds(1), DecisionClaims.approve(seq, sha));
        String report = sign(keys[c][2], t.plusSeconds(2), new ReportClaims(component, seq,
                ConfigHash.sha256Hex(config), ReportClaims.Status.APPLIED, Optional.of("hook exited 0")));
        return new Cycle(request, decision, report);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void generate(Path dir, int n) throws IOException {
        SignerKey log = logKey();
        SignerKey[][] keys = new SignerKey[3][3];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < 3; j++) {
                keys[c][j] = key(PEOPLE[c][j]);
            }
        }
        Ledger ledger = new Ledger();
        CompactRange range = CompactRange.empty();
        long start = System.nanoTime();
        long[] nextReport = {start + 10_000_000_000L};
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "benchlog-sign");
            th.setDaemon(true);
            return th;
        });
        System.err.printf(Locale.ROOT, "BenchLog: generating %,d entries into %s (%d signing threads)%n", n, dir, threads);
        try (LogExporter out = LogExporter.create(dir)) {
            State s = new State(ledger, range, out);
            s.append(Ledger.genesis(ORIGIN, log.verifierKey(), policy()), T0);
            long cycles = (n - 1 + 2) / 3; // the last cycle may be cut short
            ArrayDeque<Future<Cycle[]>> ahead = new ArrayDeque<>();
            long submitted = 0;
            for (long done = 0; done < cycles;) {
                while (ahead.size() < 4 * threads && submitted < cycles) {
                    long from = submitted;
                    long to = Math.min(cycles, from + BATCH);
                    ahead.add(pool.submit(() -> {
                        Cycle[] cs = new Cycle[(int) (to - from)];
                        for (long i = from; i < to; i++) {
                            cs[(int) (i - from)] = cycle(i, keys);
                        }
                        return cs;
                    }));
                    submitted = to;
                }
                Cycle[] batch;
                try {
                    batch = ahead.poll().get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (Cycle c : batch) {
                    Instant t = T0.plusSeconds(3 * done);
                    if (s.size() < n) {
                        s.submit(c.request, StatementType.CHANGE_REQUEST, t);
                    }
                    if (s.size() < n) {
                        s.submit(c.decision, StatementType.DECISION, t.plusSeconds(1));
                    }
                    if (s.size() < n) {
                        s.submit(c.report, StatementType.REPORT, t.plusSeconds(2));
                    }
                    done++;
                }
                long now = System.nanoTime();
                if (now - nextReport[0] >= 0) {
                    double secs = (now - start) / 1e9;
                    System.err.printf(Locale.ROOT, "BenchLog: %,d of %,d entries, %,.0f entries/s, %.0f s, about %.0f s left%n",
                            s.size(), n, s.size() / secs, secs, (n - s.size()) / (s.size() / secs));
                    nextReport[0] = now + 10_000_000_000L;
                }
            }
            Checkpoint cp = Checkpoint.of(ORIGIN, range.size(), range.root());
            out.finish(SignedCheckpoint.sign(cp, log), log.verifierKey());
        } finally {
            pool.shutdownNow();
        }
        System.err.printf(Locale.ROOT, "BenchLog: %,d entries in %.0f s%n", n, (System.nanoTime() - start) / 1e9);
    }

    /** The ledger, the tree and the export being written. */
    private static final class State {
        final Ledger ledger;
        final CompactRange range;
        final LogExporter out;
        LogEntry last;

        State(Ledger ledger, CompactRange range, LogExporter out) {
            this.ledger = ledger;
            this.range = range;
            this.out = out;
        }

        long size() {
            return range.size();
        }

        void submit(String statement, StatementType type, Instant t) throws IOException {
            Outcome o = ledger.decide(statement, type, t);
            if (!(o instanceof Outcome.Accepted a)) {
                throw new IllegalStateException("entry " + size() + ": the ledger refuses a generated statement: " + o);
            }
            for (Draft d : a.drafts()) {
                append(d, t);
            }
        }

        void append(Draft d, Instant t) throws IOException {
            LogEntry e = d.materialise(range.size(), t, last == null ? LogEntry.GENESIS_PREV : last.leafHash());
            try {
                ledger.apply(e);
            } catch (Exception ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
            out.append(e.bytes());
            range.append(e.leafHash(), null);
            last = e;
        }
    }
}
