package org.foureyes.auditlog.ssh;

import java.security.GeneralSecurityException;

/**
 * The ssh-agent cannot give foureyes a signing key: no agent, no key matches, the key is of a
 * kind that cannot make a plain Ed25519 signature, or the agent refused or answered nonsense. The
 * message says why and what to do; it never holds key material.
 */
public final class SshAgentException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public SshAgentException(String message) {
        super(message);
    }

    public SshAgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
