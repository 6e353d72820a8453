package org.foureyes.policy;

import java.util.List;

/**
 * Components that together must take at least {@code minCoalition} principals to change, directly
 * or by first changing the policy.
 */
public record ProtectedSet(String name, List<String> components, int minCoalition) {
    public ProtectedSet {
        components = List.copyOf(components);
    }
}
