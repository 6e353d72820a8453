package org.foureyes.auditlog;

import java.security.GeneralSecurityException;

/**
 * A signature did not verify, or a signed object carries no signature by a key the caller
 * trusts. The signed data must not be used.
 */
public final class BadSignatureException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public BadSignatureException(String message) {
        super(message);
    }
}
