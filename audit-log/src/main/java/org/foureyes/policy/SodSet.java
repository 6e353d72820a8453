package org.foureyes.policy;

import java.util.List;

/** A static separation-of-duties set (NIST RBAC): no principal may hold more than {@code atMost} of the rights. */
public record SodSet(String name, List<Right> rights, int atMost) {
    public SodSet {
        rights = List.copyOf(rights);
    }
}
