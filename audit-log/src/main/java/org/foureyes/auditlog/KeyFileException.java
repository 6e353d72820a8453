package org.foureyes.auditlog;

import java.security.GeneralSecurityException;

/**
 * A private key file cannot be used: it is readable by others, is encrypted and no passphrase was
 * given (or the reverse), the passphrase is wrong or the file corrupted, or its content is not a
 * signer key. The message names the file and never includes key material.
 */
public final class KeyFileException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
