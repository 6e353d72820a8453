package org.foureyes.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyAnalysis;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.PolicyLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Coalition analysis (issue 3) of bench-30x10x10.yml: 30 principals, 10 roles, 10 components, three
 * protected sets (5, 5 and 10 components) plus the policy-change path. Goal: well under 1 s.
 * {@code analyse} is the whole analysis on a loaded policy; {@code loadAndAnalyse} adds reading the
 * YAML, checking it and compiling its (empty) guards, as at every policy load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CoalitionAnalysisBench {
    static final String RESOURCE = "/policies/bench-30x10x10.yml";

    private String yaml;
    private Policy policy;

    @Setup
    public void setUp() throws IOException, PolicyException {
        try (InputStream in = CoalitionAnalysisBench.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("missing test resource " + RESOURCE);
            }
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        policy = PolicyLoader.parse(yaml, "bench-30x10x10.yml");
    }

    @Benchmark
    public PolicyAnalysis analyse() {
        return PolicyAnalysis.analyse(policy);
    }

    @Benchmark
    public Policy loadAndAnalyse() throws PolicyException {
        return PolicyLoader.parse(yaml, "bench-30x10x10.yml");
    }
}
