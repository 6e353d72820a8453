package org.foureyes.policy;

import java.util.List;
import org.foureyes.auditlog.VerifierKey;

/**
 * A person or an agent: its roles and its Ed25519 verifier keys (each key's name is the
 * principal's name).
 */
public record Principal(String name, List<String> roles, List<VerifierKey> keys) {
    public Principal {
        roles = List.copyOf(roles);
        keys = List.copyOf(keys);
    }
}
