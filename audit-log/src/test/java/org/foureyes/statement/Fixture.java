package org.foureyes.statement;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.policy.ApprovalRule;
import org.foureyes.policy.Component;
import org.foureyes.policy.Factor;
import org.foureyes.policy.Policy;
import org.foureyes.policy.Principal;
import org.foureyes.policy.Role;
import org.foureyes.policy.Timing;

/** A small policy built from the records, with deterministic keys for alice, bob and relay-agent. */
final class Fixture {
    static final String AUDIENCE = "log.example.org/foureyes";
    static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    static final SignerKey ALICE = key("alice", 1);
    static final SignerKey BOB = key("bob", 2);
    static final SignerKey AGENT = key("relay-agent", 3);
    /** Not in the policy. */
    static final SignerKey MALLORY = key("mallory", 4);
    /** Named alice but not listed in the policy: a forger's key. */
    static final SignerKey FAKE_ALICE = key("alice", 5);

    static final Policy POLICY = policy(ALICE);

    private Fixture() {
    }

    static SignerKey key(String name, int fill) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) fill);
        try {
            return SignerKey.fromSeed(name, seed);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static StatementSigner signer(SignerKey key) {
        try {
            return StatementSigner.of(key, Clock.fixed(NOW, ZoneOffset.UTC));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String kid(SignerKey key) {
        return key.name() + "+" + key.verifierKey().keyIdHex();
    }

    /** The test policy, with {@code alice}'s key as given (the same policy as {@link #POLICY} for ALICE). */
    static Policy policy(SignerKey aliceKey) {
        return policy(aliceKey.verifierKey());
    }

    /** The test policy with {@code alice}'s verifier key as given (a key held by an ssh-agent, say). */
    static Policy policy(org.foureyes.auditlog.VerifierKey aliceKey) {
        Map<String, Component> components = new LinkedHashMap<>();
        for (String c : List.of("relay", "policy")) {
            components.put(c, new Component(c, c, java.util.Optional.empty(), List.of(), java.util.Optional.empty()));
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put("relay-operator", new Role("relay-operator", Set.of("relay", "policy"), Set.of("policy"), Set.of(), true));
        roles.put("network-operator", new Role("network-operator", Set.of("policy"), Set.of("relay", "policy"), Set.of(), true));
        roles.put("relay-agent", new Role("relay-agent", Set.of(), Set.of(), Set.of("relay"), false));
        Map<String, Principal> principals = new LinkedHashMap<>();
        principals.put("alice", new Principal("alice", List.of("relay-operator"), List.of(aliceKey)));
        principals.put("bob", new Principal("bob", List.of("network-operator"), List.of(BOB.verifierKey())));
        principals.put("relay-agent", new Principal("relay-agent", List.of("relay-agent"), List.of(AGENT.verifierKey())));
        ApprovalRule one = new ApprovalRule(List.of(new Factor(1, Set.of("network-operator"))));
        return new Policy("test-policy", components, roles, principals, Map.of("relay", one, "policy", one),
                List.of(), List.of(), new Timing(Duration.ofDays(7), Duration.ofHours(24)),
                JsonNodeFactory.instance.objectNode());
    }
}
