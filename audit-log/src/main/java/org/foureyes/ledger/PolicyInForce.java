package org.foureyes.ledger;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.foureyes.policy.Component;
import org.foureyes.policy.ContentGuards;
import org.foureyes.policy.DecisionEngine;
import org.foureyes.policy.GuardException;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyHash;

/**
 * A policy as the ledger holds it while it is in force: the policy, its decision engine, the
 * compiled content guards of each component (compiled once, at activation), its hash and where
 * in the log it took effect. Immutable.
 */
public final class PolicyInForce {
    private final Policy policy;
    private final DecisionEngine engine;
    private final Map<String, ContentGuards> guards;
    private final String sha256;
    private final long activatedSeq;
    private final Instant activatedAt;
    private final Long change;

    PolicyInForce(Policy policy, long activatedSeq, Instant activatedAt, Long change) {
        this.policy = policy;
        this.engine = new DecisionEngine(policy);
        Map<String, ContentGuards> g = new LinkedHashMap<>();
        for (Component c : policy.components().values()) {
            try {
                g.put(c.name(), ContentGuards.compile(c));
            } catch (GuardException e) {
                // The policy loader compiled these very guards before the policy got here.
                throw new IllegalStateException("guards of " + c.name() + " do not compile: " + e.getMessage(), e);
            }
        }
        this.guards = Collections.unmodifiableMap(g);
        this.sha256 = PolicyHash.sha256Hex(policy);
        this.activatedSeq = activatedSeq;
        this.activatedAt = activatedAt;
        this.change = change;
    }

    public Policy policy() {
        return policy;
    }

    public DecisionEngine engine() {
        return engine;
    }

    /** The compiled guards of a component ({@link ContentGuards#none()} for one without any). */
    public ContentGuards guards(String component) {
        return guards.getOrDefault(component, ContentGuards.none());
    }

    /** Hex SHA-256 of the policy's RFC 8785 form ({@code policy_sha256}). */
    public String sha256() {
        return sha256;
    }

    /** The seq of the entry that put it in force ({@code log.genesis} or {@code policy.activated}). */
    public long activatedSeq() {
        return activatedSeq;
    }

    public Instant activatedAt() {
        return activatedAt;
    }

    /** The change that brought it, empty for the genesis policy. */
    public Optional<Long> change() {
        return Optional.ofNullable(change);
    }

    @Override
    public String toString() {
        return "policy " + policy.name() + " " + sha256 + " (in force from entry " + activatedSeq + ")";
    }
}
