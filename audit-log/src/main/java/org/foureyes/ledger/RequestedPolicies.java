package org.foureyes.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.foureyes.policy.Policy;
import org.foureyes.policy.PolicyException;
import org.foureyes.policy.PolicyLoader;

/**
 * The verdicts of {@link PolicyLoader#fromJson} on requested policies, by the exact JSON text of
 * the document. Loading a requested policy runs its analysis, which may take up to the analysis
 * budget (docs/policy.md): the server runs it on the request thread before the statement enters
 * the appender queue ({@link #load}), and the ledger on the writer thread, under the log lock, then
 * finds the verdict here instead of analysing again.
 *
 * <p>Same code, same input, same result: a cached verdict is exactly what loading again would give
 * (the loader is deterministic, its analysis counted in steps, never in time), so replayers that
 * do not share the cache reach the same verdict. The key is the document's exact text, so documents
 * that differ in member order or number form are analysed separately. Bounded: cleared when full.
 * Thread-safe.
 */
public final class RequestedPolicies {
    private record Verdict(Policy policy, PolicyException refusal) {
    }

    private final int capacity;
    private final Map<String, Verdict> byText = new ConcurrentHashMap<>();

    public RequestedPolicies(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** {@link PolicyLoader#fromJson} of a requested policy, from the cache when it was loaded before. */
    public Policy load(JsonNode document) throws PolicyException {
        String key = document.toString();
        Verdict v = byText.get(key);
        if (v == null) {
            try {
                v = new Verdict(PolicyLoader.fromJson(document, Ledger.REQUESTED_POLICY_SOURCE), null);
            } catch (PolicyException e) {
                v = new Verdict(null, e);
            }
            if (byText.size() >= capacity) {
                byText.clear();
            }
            byText.put(key, v);
        }
        if (v.refusal() != null) {
            throw v.refusal();
        }
        return v.policy();
    }

    public int size() {
        return byText.size();
    }
}
