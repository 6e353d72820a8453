package org.foureyes.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.TreeNodeDao;

/**
 * Inclusion and consistency proofs read from a SQLite log through {@link JdbiLogStore}, the store
 * behind {@code GET /v1/log/proof/...}: what storing tree nodes only from level
 * {@link TreeNodeDao#STORED_FROM_LEVEL} costs a reader, who hashes the levels below from leaf
 * hashes. Builds a log of {@code bench.entries} (100,000) entries with the service's appender, then
 * times {@code bench.proofs} (5,000) proofs of each kind at random positions, one thread, after as
 * many unmeasured ones. Prints p50, p99 and mean in microseconds.
 *
 * <pre>java -cp benchmarks/target/test-classes:$(cat /tmp/cp-bench.txt) org.foureyes.bench.StoredProofBench</pre>
 */
public final class StoredProofBench {
    public static void main(String[] args) throws Exception {
        int entries = Integer.getInteger("bench.entries", 100_000);
        int proofs = Integer.getInteger("bench.proofs", 5_000);
        Path dir = Files.createTempDirectory("foureyes-proof-bench");
        try (DurableAppendBench.AppenderRig rig = new DurableAppendBench.AppenderRig(dir.resolve("log.db"))) {
            rig.fill(entries);
            JdbiLogStore store = new JdbiLogStore(rig.jdbi);
            long size = store.size();
            SplittableRandom random = new SplittableRandom(7);
            for (int pass = 0; pass < 2; pass++) {
                long[] inclusion = new long[proofs];
                long[] consistency = new long[proofs];
                for (int i = 0; i < proofs; i++) {
                    long index = random.nextLong(size);
                    long t0 = System.nanoTime();
                    store.inclusionProof(index, size);
                    long t1 = System.nanoTime();
                    store.consistencyProof(1 + random.nextLong(size - 1), size);
                    long t2 = System.nanoTime();
                    inclusion[i] = t1 - t0;
                    consistency[i] = t2 - t1;
                }
                if (pass == 1) {
                    System.out.printf(Locale.ROOT, "stored proofs on SQLite: %,d entries, tree nodes stored from level %d,"
                            + " %,d proofs of each kind%n", size, TreeNodeDao.STORED_FROM_LEVEL, proofs);
                    print("inclusion", inclusion);
                    print("consistency", consistency);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(String kind, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        System.out.printf(Locale.ROOT, "  %-12s p50 %7.1f us   p99 %7.1f us   mean %7.1f us%n", kind,
                sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3, mean / 1e3);
    }
}
