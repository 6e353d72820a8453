package org.foureyes.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.ChainException;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.InMemoryLogStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 2: inclusion and consistency proofs from stored subtree hashes should cost the same at
 * any log size (O(log n) reads and hashes), well under 1 ms. Random leaf indices and old sizes,
 * so that proofs with and without an ephemeral right-edge node are both measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProofGenerationBench {

    @Param({"1000", "100000", "1000000"})
    public int size;

    private InMemoryLogStore store;
    private long[] indices;
    private int next;

    @Setup(Level.Trial)
    public void build() throws ChainException {
        store = new InMemoryLogStore();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < size; i++) {
            store.append(t.plusMillis(i), i == 0 ? EntryType.LOG_GENESIS : EntryType.CHANGE_EXPIRED, null,
                    JsonNodeFactory.instance.objectNode().put("change", i).put("state", "expired"));
        }
        SplittableRandom rnd = new SplittableRandom(42);
        indices = new long[1 << 12];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = rnd.nextLong(size);
        }
    }

    private long nextIndex() {
        next = (next + 1) & (indices.length - 1);
        return indices[next];
    }

    /** Proof for a random leaf in the tree of the whole log. */
    @Benchmark
    public List<byte[]> inclusion() {
        return store.inclusionProof(nextIndex(), size);
    }

    /** Proof from a random older size (at least 1) to the whole log. */
    @Benchmark
    public List<byte[]> consistency() {
        return store.consistencyProof(nextIndex() + 1, size);
    }
}
