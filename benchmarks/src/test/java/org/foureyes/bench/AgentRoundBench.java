package org.foureyes.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.foureyes.agent.Agent;
import org.foureyes.agent.AgentConfig;
import org.foureyes.agent.Host;
import org.foureyes.agent.Release;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.InMemoryLogStore;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.ledger.Ledger;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyHash;
import org.foureyes.policy.PolicyLoader;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementSigner;

/**
 * Issue 5 benchmark: a warm agent (in process, its ledger already holding the log) verifies a round
 * in which 100 new entries arrived on a log of 1,000,000 entries: release, checkpoint signature,
 * consistency proof, the 100 entries hashed to the signed root and replayed through the ledger
 * (statement signatures, decisions, jti), then kept on disk (append + fsync, state.json atomically).
 * Goal: median under 100 ms.
 *
 * <p>The log is the tor-exit policy with relay changes in cycles of request (rene), approval (nora)
 * and applied report (agent-relay), every statement really signed. Generating it signs a million
 * statements, so it is cached in benchmarks/target/agent-bench/ and reused. The host is an
 * in-process {@link Host} over an {@link InMemoryLogStore} (no HTTP: the round's own work is
 * measured). Round 0 is the agent's initial catch-up of the first 999,900 entries (reported, not
 * part of the goal); then WARMUP rounds, then MEASURED rounds of 100 new entries each.
 *
 * <p>Run: {@code benchmarks/run main org.foureyes.bench.AgentRoundBench [warmup] [measured]}, or
 * without installing, see docs/benchmarks.md.
 */
public final class AgentRoundBench {
    static final String ORIGIN = "foureyes.example.org/tor-exit";
    static final int BASE = Integer.getInteger("bench.base", 1_000_000);
    static final int STEP = 100;
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path root = Path.of(System.getProperty("bench.dir", "benchmarks/target/agent-bench"));
        Files.createDirectories(root);
        Path policyFile = Path.of(System.getProperty("bench.policy", "policies/tor-exit.yml"));
        Path keys = Path.of(System.getProperty("bench.keys", "audit-log/src/test/resources/keys"));
        Policy policy = PolicyLoader.load(policyFile);
        SignerKey logKey = seeded(ORIGIN, 42);
        int total = BASE + STEP * (warmup + measured);

        List<byte[]> log = cachedLog(root.resolve("tor-exit-" + total + ".ndjson"), total, policy, logKey, keys);
        System.out.printf(Locale.ROOT, "log: %,d entries%n", log.size());
        InMemoryLogStore store = new InMemoryLogStore();
        long t = System.nanoTime();
        for (byte[] b : log) {
            store.append(LogEntry.parse(b));
        }
        System.out.printf(Locale.ROOT, "host store built in %.1f s%n", (System.nanoTime() - t) / 1e9);

        FakeHost host = new FakeHost(store, log, logKey);
        Path state = root.resolve("state");
        deleteTree(state);
        AgentConfig config = new AgentConfig("monitor", root.resolve("unused.key"), null, URI.create("http://in-process/"),
                logKey.verifierKey(), PolicyHash.sha256Hex(policy), root.resolve("monitor.json"), List.of("/bin/true"),
                Duration.ofSeconds(10), Map.of(), List.of(), 0, state, Duration.ofSeconds(60), Duration.ofSeconds(10));
        Files.deleteIfExists(config.target());
        Instant[] now = {T0};
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        Agent agent = new Agent(config, key(keys, "agent-monitor"), host, clock);

        // Catch up in verified steps, as an agent does while a log grows (bounded memory per round).
        int catchUp = Integer.getInteger("bench.catchup", 50_000);
        t = System.nanoTime();
        host.size = 0;
        while (host.size < BASE - STEP) {
            host.size = Math.min(host.size + catchUp, BASE - STEP);
            now[0] = LogEntry.parse(log.get((int) host.size - 1)).time();
            agent.round();
            System.out.printf(Locale.ROOT, "  caught up to %,d entries, %.0f s%n", host.size, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf(Locale.ROOT, "catch-up from nothing to %,d entries (steps of %,d): %.1f s%n",
                host.size, catchUp, (System.nanoTime() - t) / 1e9);

        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < warmup + measured; i++) {
            host.size += STEP;
            now[0] = LogEntry.parse(log.get((int) host.size - 1)).time();
            long c = mx.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            Agent.RoundResult r = agent.round();
            double d = (System.nanoTime() - s) / 1e6;
            double dc = (mx.getCurrentThreadCpuTime() - c) / 1e6;
            if (r.newEntries() != STEP) {
                throw new IllegalStateException("round verified " + r.newEntries() + " entries");
            }
            if (i >= warmup) {
                wall.add(d);
                cpu.add(dc);
            }
        }
        System.out.printf(Locale.ROOT, "warm rounds of %d new entries on a log of %,d..%,d entries, n=%d:%n",
                STEP, BASE, host.size, wall.size());
        System.out.println("  wall " + stats(wall));
        System.out.println("  cpu  " + stats(cpu) + " (this thread's CPU time: without waiting for fsync or for a core)");
        System.out.printf(Locale.ROOT, "  heap used %,d MiB%n", (Runtime.getRuntime().totalMemory()
                - Runtime.getRuntime().freeMemory()) >> 20);
    }

    static String stats(List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        s.sort(Comparator.naturalOrder());
        return String.format(Locale.ROOT, "min %.1f ms, median %.1f ms, p90 %.1f ms, max %.1f ms", s.get(0),
                s.get(s.size() / 2), s.get((int) (s.size() * 0.9)), s.get(s.size() - 1));
    }

    /** The in-process host: releases of the first {@code size} entries. */
    static final class FakeHost implements Host {
        final InMemoryLogStore store;
        final List<byte[]> log;
        final SignerKey logKey;
        long size;

        FakeHost(InMemoryLogStore store, List<byte[]> log, SignerKey logKey) {
            this.store = store;
            this.log = log;
            this.logKey = logKey;
        }

        @Override
        public Release release(String component, long since, String token) {
            String note = SignedCheckpoint.sign(Checkpoint.of(ORIGIN, size, store.root(size)), logKey);
            return new Release(since, note, store.consistencyProof(since, size),
                    log.subList((int) since, (int) size), null);
        }

        @Override
        public List<byte[]> entries(long start, long end, String token) {
            return log.subList((int) start, (int) Math.min(end, size));
        }

        @Override
        public void report(String component, String compact) {
        }
    }

    // ---------------------------------------------------------------- the log

    static List<byte[]> cachedLog(Path file, int total, Policy policy, SignerKey logKey, Path keys) throws Exception {
        if (Files.exists(file)) {
            List<byte[]> out = new ArrayList<>(total);
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (out.size() == total) {
                System.out.println("log: cached " + file);
                return out;
            }
        }
        System.out.printf(Locale.ROOT, "log: generating %,d entries into %s (signs every statement; cached)%n", total, file);
        long t = System.nanoTime();
        List<byte[]> out = generate(total, policy, logKey, keys);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (byte[] b : out) {
                w.write(new String(b, StandardCharsets.UTF_8));
                w.write('\n');
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.printf(Locale.ROOT, "log: generated in %.1f s%n", (System.nanoTime() - t) / 1e9);
        return out;
    }

    /**
     * Genesis, then cycles of request, approval, applied report for the relay, one second apart.
     * Facts are written as the ledger derives them (the agent's replay checks every one).
     */
    static List<byte[]> generate(int total, Policy policy, SignerKey logKey, Path keys) throws Exception {
        SignerKey rene = key(keys, "rene");
        SignerKey nora = key(keys, "nora");
        SignerKey agent = key(keys, "agent-relay");
        List<byte[]> out = new ArrayList<>(total);
        Instant[] now = {T0};
        Clock clock = Clock.offset(Clock.fixed(T0, ZoneOffset.UTC), Duration.ZERO);
        LogEntry genesis = Ledger.genesis(ORIGIN, logKey.verifierKey(), policy).materialise(0, T0, LogEntry.GENESIS_PREV);
        out.add(genesis.bytes());
        byte[] prev = genesis.leafHash();
        String base = null;
        long seq = 1;
        int cycle = 0;
        while (seq < total) {
            ObjectNode config = (ObjectNode) JSON.readTree("{\"nickname\":\"exit" + cycle + "\",\"contact\":\"ops@example.org\","
                    + "\"exit_policy\":[\"accept *:443\",\"reject *:*\"],\"exit_tos\":32,"
                    + "\"outbound_bind_address_exit\":\"192.0.2.10\",\"outbound_bind_address_or\":\"192.0.2.11\"}");
            long change = seq;
            String[] statements = new String[3];
            clock = Clock.fixed(now[0], ZoneOffset.UTC);
            statements[0] = StatementSigner.of(rene, clock).sign(ORIGIN,
                    new ChangeRequestClaims("relay", Optional.ofNullable(base), config, "bench", false));
            String requestSha = sha256Hex(statements[0].getBytes(StandardCharsets.US_ASCII));
            statements[1] = StatementSigner.of(nora, clock).sign(ORIGIN, DecisionClaims.approve(change, requestSha));
            String configSha = ConfigHash.sha256Hex(config);
            statements[2] = StatementSigner.of(agent, clock).sign(ORIGIN,
                    new ReportClaims("relay", change, configSha, ReportClaims.Status.APPLIED, Optional.empty()));
            EntryType[] types = {EntryType.CHANGE_REQUESTED, EntryType.CHANGE_DECIDED, EntryType.CHANGE_REPORTED};
            String[] states = {"requested", "approved", "applied"};
            for (int i = 0; i < 3 && seq < total; i++) {
                ObjectNode facts = JSON.createObjectNode().put("change", change);
                if (i == 0) {
                    facts.put("component", "relay");
                }
                facts.put("state", states[i]);
                LogEntry e = LogEntry.create(seq, now[0], prev, types[i], statements[i], facts);
                out.add(e.bytes());
                prev = e.leafHash();
                seq++;
            }
            base = configSha;
            now[0] = now[0].plusSeconds(1);
            cycle++;
            if (cycle % 50_000 == 0) {
                System.out.printf(Locale.ROOT, "  %,d entries%n", seq);
            }
        }
        return out;
    }

    static SignerKey key(Path keys, String name) throws Exception {
        return SignerKey.parse(Files.readString(keys.resolve(name + ".test.key")).strip());
    }

    static SignerKey seeded(String name, int fill) throws Exception {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        return SignerKey.fromSeed(name, seed);
    }

    static String sha256Hex(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
