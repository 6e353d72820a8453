package org.foureyes.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.policy.Policy;
import org.foureyes.policy.Principal;
import org.foureyes.policy.Timing;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.Statement;
import org.foureyes.statement.StatementSigner;
import org.foureyes.statement.StatementType;
import org.foureyes.statement.StatementVerifier;
import org.foureyes.statement.VerifyMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Statement verification (jjwt with the BouncyCastle provider, plus all foureyes checks) for a
 * decision and for a change request with a ~1 KiB configuration; signing; and the bare Ed25519
 * verification of the same bytes as a floor. Results in docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StatementVerifyBench {
    private static final String AUDIENCE = "log.example.org/foureyes";
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    private StatementVerifier verifier;
    private Policy policy;
    private StatementSigner signer;
    private String decision;
    private String changeRequest;
    private VerifierKey aliceKey;
    private byte[] signingInput;
    private byte[] signature;
    private DecisionClaims decisionClaims;

    @Setup
    public void setup() throws Exception {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) 1);
        SignerKey alice = SignerKey.fromSeed("alice", seed);
        aliceKey = alice.verifierKey();
        policy = new Policy("bench", Map.of(), Map.of(),
                Map.of("alice", new Principal("alice", List.of(), List.of(aliceKey))),
                Map.of(), List.of(), List.of(), new Timing(Duration.ofDays(7), Duration.ofHours(24)),
                JsonNodeFactory.instance.objectNode());
        signer = StatementSigner.of(alice, Clock.fixed(NOW, ZoneOffset.UTC));
        verifier = new StatementVerifier();
        decisionClaims = DecisionClaims.approve(42, "ab".repeat(32));
        decision = signer.sign(AUDIENCE, decisionClaims);
        StringBuilder config = new StringBuilder("{\"capture\":{\"enabled\":true,\"ports\":[");
        for (int i = 0; i < 150; i++) {
            config.append(i == 0 ? "" : ",").append(1000 + i);
        }
        config.append("]},\"note\":\"").append("x".repeat(200)).append("\"}");
        changeRequest = signer.sign(AUDIENCE, ChangeRequestClaims.of("relay", Optional.empty(),
                new ObjectMapper().readTree(config.toString()), "widen ports"));
        int dot = decision.lastIndexOf('.');
        signingInput = decision.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
        signature = Base64.getUrlDecoder().decode(decision.substring(dot + 1));
    }

    @Benchmark
    public Statement verifyDecision() throws Exception {
        return verifier.verify(decision, policy, AUDIENCE, NOW, VerifyMode.online(StatementType.DECISION));
    }

    @Benchmark
    public Statement verifyChangeRequest1KiB() throws Exception {
        return verifier.verify(changeRequest, policy, AUDIENCE, NOW, VerifyMode.online(StatementType.CHANGE_REQUEST));
    }

    @Benchmark
    public String signDecision() {
        return signer.sign(AUDIENCE, decisionClaims);
    }

    /** Floor: BouncyCastle Ed25519 on the same bytes, no JWS or JSON work. */
    @Benchmark
    public boolean rawEd25519Verify() {
        return aliceKey.isValid(signingInput, signature);
    }
}
