package org.foureyes.server.core;

/**
 * The log key may not sign for this database: it is behind or inconsistent with the key's own
 * high-water mark, or the mark cannot be read or written. The message names both checkpoints and
 * what the operator can do.
 */
public final class SignerStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SignerStateException(String message) {
        super(message);
    }

    public SignerStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
