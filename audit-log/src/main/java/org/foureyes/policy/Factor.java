package org.foureyes.policy;

import java.util.Set;

/** One factor of an approval rule: {@code count} distinct approvers, each holding one of {@code roles}. */
public record Factor(int count, Set<String> roles) {
    public Factor {
        roles = Ordered.copyOf(roles);
    }
}
