package org.foureyes.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.EntryFormatException;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.export.ExportFormat;
import org.foureyes.auditlog.export.LogExporter;
import org.foureyes.auditlog.verify.LogVerifier;
import org.foureyes.auditlog.verify.VerificationResult;

/**
 * Verification throughput (docs/benchmarks.md, "Verification throughput (issue 2)").
 *
 * <p>Generates an export of N entries (default 1,000,000, about 400 bytes each) into a temporary
 * directory once, then alternates, for 2 warm-up and 5 measured rounds: (a) {@link LogVerifier}
 * over the export, and (b) the baseline: the same file read in the same way (1 MiB blocks, lines
 * split in place on {@code \n}) with each line hashed once by the JDK's SHA-256. Prints the
 * median of each and their ratio (goal: verifier ≥ 0.5 × baseline), by wall clock and by process
 * CPU time. Also measures
 * {@code LogEntry.parse} on the first 100,000 lines, to show why the verifier has its own scanner.
 *
 * <p>Usage: {@code VerifyThroughputBench [entries] [--keep]}.
 */
public final class VerifyThroughputBench {

    private static final String ORIGIN = "bench.example.org/foureyes";
    private static final int WARMUP = 2;
    private static final int ROUNDS = 5;
    private static final int PARSE_LINES = 100_000;

    private VerifyThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = 1_000_000;
        boolean keep = false;
        for (String a : args) {
            if (a.equals("--keep")) {
                keep = true;
            } else {
                n = Integer.parseInt(a.replace("_", ""));
            }
        }
        Path dir = Files.createTempDirectory("foureyes-verify-bench");
        try {
            SignerKey key = SignerKey.generate(ORIGIN);
            long t0 = System.nanoTime();
            generate(dir, n, key);
            System.gc();
            long bytes = Files.size(dir.resolve(ExportFormat.ENTRIES_FILE));
            System.out.printf(Locale.ROOT, "generated %,d entries, %,d bytes (%.0f bytes/entry) in %.1f s into %s%n",
                    n, bytes, (double) bytes / n, (System.nanoTime() - t0) / 1e9, dir);

            LogVerifier verifier = LogVerifier.builder(key.verifierKey()).build();
            System.out.printf(Locale.ROOT, "%d processors; tree hashing on a helper thread: %s; JDK %s%n",
                    Runtime.getRuntime().availableProcessors(), verifier.parallel() ? "yes" : "no",
                    System.getProperty("java.runtime.version"));
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            List<Double> verifySecs = new ArrayList<>();
            List<Double> shaSecs = new ArrayList<>();
            List<Double> verifyCpu = new ArrayList<>();
            List<Double> shaCpu = new ArrayList<>();
            for (int round = 0; round < WARMUP + ROUNDS; round++) {
                long ac = os.getProcessCpuTime();
                long a = System.nanoTime();
                VerificationResult r = verifier.verify(dir);
                double va = (System.nanoTime() - a) / 1e9;
                double vc = (os.getProcessCpuTime() - ac) / 1e9;
                if (!r.verified()) {
                    throw new IllegalStateException("benchmark export does not verify: " + r);
                }
                long bc = os.getProcessCpuTime();
                long b = System.nanoTime();
                long lines = sha256Lines(dir.resolve(ExportFormat.ENTRIES_FILE));
                double sb = (System.nanoTime() - b) / 1e9;
                double sc = (os.getProcessCpuTime() - bc) / 1e9;
                if (lines != n) {
                    throw new IllegalStateException("baseline read " + lines + " lines");
                }
                String kind = round < WARMUP ? "warm-up" : "round  ";
                System.out.printf(Locale.ROOT, "%s %d: verifier %.3f s wall %.3f s cpu (%,.0f entries/s), "
                        + "sha256 %.3f s wall %.3f s cpu (%,.0f entries/s)%n",
                        kind, round < WARMUP ? round + 1 : round - WARMUP + 1, va, vc, n / va, sb, sc, n / sb);
                if (round >= WARMUP) {
                    verifySecs.add(va);
                    shaSecs.add(sb);
                    verifyCpu.add(vc);
                    shaCpu.add(sc);
                }
            }
            double v = median(verifySecs);
            double s = median(shaSecs);
            double vcpu = median(verifyCpu);
            double scpu = median(shaCpu);
            System.out.println();
            System.out.printf(Locale.ROOT, "median of %d rounds over %,d entries (%,.1f MB), wall clock:%n", ROUNDS, n, bytes / 1e6);
            System.out.printf(Locale.ROOT, "  LogVerifier        %7.3f s  %,12.0f entries/s  %8.1f MB/s%n", v, n / v, bytes / v / 1e6);
            System.out.printf(Locale.ROOT, "  SHA-256 per line   %7.3f s  %,12.0f entries/s  %8.1f MB/s%n", s, n / s, bytes / s / 1e6);
            System.out.printf(Locale.ROOT, "  ratio verifier / sha256 = %.2f (goal >= 0.5)%n", s / v);
            System.out.printf(Locale.ROOT, "median process CPU time, all threads:%n");
            System.out.printf(Locale.ROOT, "  LogVerifier        %7.3f s  %,12.0f entries/s  %8.1f MB/s%n", vcpu, n / vcpu, bytes / vcpu / 1e6);
            System.out.printf(Locale.ROOT, "  SHA-256 per line   %7.3f s  %,12.0f entries/s  %8.1f MB/s%n", scpu, n / scpu, bytes / scpu / 1e6);
            System.out.printf(Locale.ROOT, "  ratio verifier / sha256 = %.2f (goal >= 0.5)%n", scpu / vcpu);

            double p = parseRate(dir.resolve(ExportFormat.ENTRIES_FILE), Math.min(n, PARSE_LINES));
            System.out.printf(Locale.ROOT, "  LogEntry.parse     %,12.0f entries/s (first %,d lines, for comparison)%n",
                    p, Math.min(n, PARSE_LINES));
        } finally {
            if (!keep) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        }
    }

    /** The baseline: the verifier's reading loop with nothing but SHA-256 of each line. */
    static long sha256Lines(Path file) throws IOException {
        return org.foureyes.auditlog.verify.LineDigests.sha256Lines(file);
    }

    /** LogEntry.parse (Jackson, re-encode and compare) per line, entries per second, after one warm-up pass. */
    static double parseRate(Path file, int lines) throws IOException, EntryFormatException {
        List<byte[]> sample = new ArrayList<>(lines);
        try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                sample.add(r.readLine().getBytes(StandardCharsets.UTF_8));
            }
        }
        double best = 0;
        for (int round = 0; round < 3; round++) {
            long a = System.nanoTime();
            for (byte[] b : sample) {
                LogEntry.parse(b);
            }
            best = Math.max(best, lines / ((System.nanoTime() - a) / 1e9));
        }
        return best;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }

    /** Writes an export of n realistic entries (statements and facts, about 400 bytes each). */
    static void generate(Path dir, int n, SignerKey key) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Random rnd = new Random(1);
        Base64.Encoder b64url = Base64.getUrlEncoder().withoutPadding();
        CompactRange range = CompactRange.empty();
        try (LogExporter x = LogExporter.create(dir)) {
            byte[] prev = LogEntry.GENESIS_PREV;
            Instant t = Instant.parse("2026-11-25T08:00:00.000Z");
            for (int seq = 0; seq < n; seq++) {
                ObjectNode facts = f.objectNode();
                LogEntry e;
                if (seq == 0) {
                    facts.put("origin", ORIGIN);
                    facts.put("log_key", key.verifierKey().toString());
                    facts.putObject("policy").put("policy", "tor-exit");
                    facts.put("policy_sha256", hex(rnd, 32));
                    e = LogEntry.create(0, t, prev, EntryType.LOG_GENESIS, null, facts);
                } else {
                    t = t.plusMillis(rnd.nextInt(3));
                    long change = Math.max(1, seq - rnd.nextInt(Math.min(seq, 20)));
                    int kind = rnd.nextInt(4);
                    if (kind == 3) {
                        facts.put("change", change);
                        facts.put("state", "expired");
                        facts.put("reason", "no approval within pending_ttl P7D; missing 1 approval from network-operator");
                        e = LogEntry.create(seq, t, prev, EntryType.CHANGE_EXPIRED, null, facts);
                    } else {
                        facts.put("change", kind == 0 ? seq : change);
                        facts.put("state", kind == 0 ? "requested" : kind == 1 ? "approved" : "applied");
                        if (kind == 0) {
                            facts.put("component", "monitor");
                        }
                        String payload = "{\"typ\":\"foureyes.decision/v1\",\"iss\":\"rene\",\"aud\":\"" + ORIGIN
                                + "\",\"iat\":1795593600,\"exp\":1795594200,\"jti\":\"" + hex(rnd, 8) + "\"}";
                        byte[] sig = new byte[64];
                        rnd.nextBytes(sig);
                        String jws = b64url.encodeToString("{\"alg\":\"EdDSA\",\"kid\":\"rene+1a2b3c4d\"}"
                                .getBytes(StandardCharsets.UTF_8)) + "."
                                + b64url.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                                + b64url.encodeToString(sig);
                        EntryType type = kind == 0 ? EntryType.CHANGE_REQUESTED
                                : kind == 1 ? EntryType.CHANGE_DECIDED : EntryType.CHANGE_REPORTED;
                        e = LogEntry.create(seq, t, prev, type, jws, facts);
                    }
                }
                x.append(e.bytes());
                byte[] leaf = e.leafHash();
                range.append(leaf, null);
                prev = leaf;
            }
            x.finish(SignedCheckpoint.sign(Checkpoint.of(ORIGIN, n, range.root()), key), key.verifierKey());
        }
    }

    private static String hex(Random rnd, int bytes) {
        StringBuilder s = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            s.append(Character.forDigit(rnd.nextInt(16), 16)).append(Character.forDigit(rnd.nextInt(16), 16));
        }
        return s.toString();
    }
}
