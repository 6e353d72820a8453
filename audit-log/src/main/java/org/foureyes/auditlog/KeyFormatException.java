package org.foureyes.auditlog;

import java.security.GeneralSecurityException;

/**
 * A key in text form (verifier key, signer key, witness key) is malformed: wrong syntax, bad
 * base64, wrong key type byte or length, an invalid name, or a key id that does not match the
 * key. Never carries secret material in its message.
 */
public final class KeyFormatException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
