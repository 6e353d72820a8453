package org.foureyes.auditlog;

/**
 * A {@link Signer} whose key is held elsewhere (an ssh-agent) could not produce a valid signature.
 * Unchecked because in-memory keys never fail; the message says why and never holds key material.
 */
public final class SigningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SigningException(String message) {
        super(message);
    }

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
