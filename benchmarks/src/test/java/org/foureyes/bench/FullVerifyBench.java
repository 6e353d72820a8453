package org.foureyes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.export.ExportFormat;
import org.foureyes.auditlog.verify.FullVerifier;
import org.foureyes.auditlog.verify.LogVerifier;
import org.foureyes.auditlog.verify.VerificationResult;
import org.foureyes.policy.Policy;

/**
 * Full verification throughput (docs/benchmarks.md, "Full verification (issue 6)").
 *
 * <p>On a valid tor-exit export of N entries ({@link BenchLog}, default 1,000,000), measures in
 * one run, each once after one warm-up pass over a prefix:
 *
 * <ol>
 *   <li>baseline SHA-256: read entries.ndjson in 1 MiB blocks and hash every line once (JDK), the
 *       verifier's reading loop with nothing else ({@link VerifyThroughputBench#sha256Lines});
 *   <li>baseline Ed25519: verify N statement signatures (BouncyCastle, as {@code VerifierKey}
 *       does), cycling through the first 10,000 statements of the log with their keys;
 *   <li>{@link LogVerifier} alone (chain, tree, checkpoint: {@code --chain-only});
 *   <li>{@link FullVerifier} (the default of {@code foureyes-verify log}): the same in one pass plus
 *       the ledger replay of every entry.
 * </ol>
 *
 * Prints entries per second (wall clock) and CPU seconds of each. Usage:
 * {@code FullVerifyBench [entries]}; run with {@code -Xmx4g} for 1,000,000 (the ledger keeps every
 * change).
 */
public final class FullVerifyBench {

    private FullVerifyBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path dir = BenchLog.export(n);
        VerifierKey key = BenchLog.logKey().verifierKey();
        Path entries = dir.resolve(ExportFormat.ENTRIES_FILE);
        System.out.printf(Locale.ROOT, "export %s: %,d entries, %,d bytes (%.0f bytes/entry)%n", dir, n,
                Files.size(entries), (double) Files.size(entries) / n);
        System.out.printf(Locale.ROOT, "machine: %d processors, JDK %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);

        // Ed25519 sample: the first statements of the log, with the keys the policy lists.
        List<byte[][]> sample = statements(entries, 10_000);
        Map<String, VerifierKey> keys = keys(BenchLog.policy());
        List<VerifierKey> sampleKeys = new ArrayList<>();
        for (byte[][] s : sample) {
            sampleKeys.add(keys.get(new String(s[2], StandardCharsets.UTF_8)));
        }

        // warm-up: a little of each; full verification on a 10,000-entry log (cached too)
        VerifyThroughputBench.sha256Lines(entries);
        ed25519(sample, sampleKeys, Math.min(n / 10, 20_000));
        LogVerifier.builder(key).build().verify(dir);
        FullVerifier.builder(key).build().verify(n > 10_000 ? BenchLog.export(10_000) : dir);

        Measure sha = measure(() -> VerifyThroughputBench.sha256Lines(entries));
        Measure ed = measure(() -> ed25519(sample, sampleKeys, n));
        Measure chain = measure(() -> {
            VerificationResult r = LogVerifier.builder(key).build().verify(dir);
            if (!r.verified()) {
                throw new IllegalStateException(r.toString());
            }
            return r.entriesChecked();
        });
        Measure full = measure(() -> {
            FullVerifier.Result r = FullVerifier.builder(key)
                    .progress((e, b, ns, done) -> System.err.printf(Locale.ROOT, "  full: %,d entries, %.0f s%n",
                            e, ns / 1e9), java.time.Duration.ofSeconds(30))
                    .build().verify(dir);
            if (!r.verified()) {
                throw new IllegalStateException(r.result().toString());
            }
            return r.result().entriesChecked();
        });

        System.out.println();
        System.out.println("| what | entries/s | wall s | CPU s | vs full |");
        System.out.println("|---|---:|---:|---:|---:|");
        row("SHA-256 of every line (baseline)", n, sha, full);
        row("Ed25519 verification of " + n + " statements (baseline)", n, ed, full);
        row("chain only (LogVerifier, --chain-only)", n, chain, full);
        row("full verification (FullVerifier, default)", n, full, full);
    }

    record Measure(double wallSeconds, double cpuSeconds, long count) {
    }

    interface Work {
        long run() throws Exception;
    }

    static Measure measure(Work w) throws Exception {
        System.gc();
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        long count = w.run();
        long t1 = System.nanoTime();
        return new Measure((t1 - t0) / 1e9, (cpu() - cpu0) / 1e9, count);
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static void row(String what, int n, Measure m, Measure full) {
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %.1f | %.1f | %.1fx |%n", what, n / m.wallSeconds(),
                m.wallSeconds(), m.cpuSeconds(), full.wallSeconds() / m.wallSeconds());
    }

    /** Verifies {@code n} signatures, cycling through the sample. */
    static long ed25519(List<byte[][]> sample, List<VerifierKey> keys, long n) {
        long ok = 0;
        for (long i = 0; i < n; i++) {
            int j = (int) (i % sample.size());
            byte[][] s = sample.get(j);
            if (keys.get(j).isValid(s[0], s[1])) {
                ok++;
            }
        }
        if (ok != n) {
            throw new IllegalStateException("only " + ok + " of " + n + " signatures verified");
        }
        return ok;
    }

    /** {signing input, signature, key name} of the first {@code max} statements of the log. */
    static List<byte[][]> statements(Path file, int max) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<byte[][]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null && out.size() < max) {
                JsonNode e = m.readTree(line);
                if (!e.has("statement")) {
                    continue;
                }
                String jws = e.get("statement").textValue();
                int dot2 = jws.lastIndexOf('.');
                JsonNode header = m.readTree(Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))));
                out.add(new byte[][] {jws.substring(0, dot2).getBytes(StandardCharsets.US_ASCII),
                    Base64.getUrlDecoder().decode(jws.substring(dot2 + 1)),
                    header.get("kid").textValue().getBytes(StandardCharsets.UTF_8)});
            }
        }
        return out;
    }

    /** kid (name+keyid) → key, for every key the policy lists. */
    static Map<String, VerifierKey> keys(Policy p) throws Exception {
        Map<String, VerifierKey> out = new HashMap<>();
        for (JsonNode principal : p.document().get("principals")) {
            for (JsonNode k : principal.get("keys")) {
                VerifierKey vk = VerifierKey.parse(k.textValue());
                out.put(vk.name() + "+" + vk.keyIdHex(), vk);
            }
        }
        return out;
    }
}
