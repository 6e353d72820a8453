package org.foureyes.statement;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.foureyes.policy.Policy;

/**
 * Remembers statements that {@link StatementVerifier} verified whole, by their exact characters,
 * so that a process which verifies the same statement again soon after (the server verifies a
 * statement on the request thread, then its ledger on the single writer thread) does not parse
 * and check it twice: about a fifth of the writer's time per change request (docs/benchmarks.md,
 * change requests, session 4).
 *
 * <p>What it never does is accept more: a remembered statement is returned only for the very
 * {@link Policy} instance and audience it was verified against, only if the verification's mode
 * accepts its type, and only if the new reference time is within its validity window (with the
 * same clock skew). Anything else is verified from scratch, so every refusal still comes from the
 * full checks with their message. Replay ({@code jti}) is the ledger's check and is not affected.
 * Bounded: cleared when full. Thread-safe.
 */
public final class VerifiedStatements {
    private record Verified(Policy policy, String audience, Statement statement) {
    }

    private final int capacity;
    private final Map<String, Verified> byCompact = new ConcurrentHashMap<>();

    public VerifiedStatements(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** The statement verified as {@code compact} under exactly this policy and audience, or null. */
    Statement get(String compact, Policy policy, String audience) {
        Verified v = byCompact.get(compact);
        return v != null && v.policy() == policy && v.audience().equals(audience) ? v.statement() : null;
    }

    void add(String compact, Policy policy, String audience, Statement statement) {
        if (byCompact.size() >= capacity) {
            byCompact.clear();
        }
        byCompact.put(compact, new Verified(policy, audience, statement));
    }

    public int size() {
        return byCompact.size();
    }
}
