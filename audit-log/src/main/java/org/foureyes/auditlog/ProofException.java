package org.foureyes.auditlog;

import java.util.Base64;

/** A Merkle proof or root did not verify. The message says what was expected and what was computed. */
public final class ProofException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProofException(String message) {
        super(message);
    }

    static ProofException mismatch(String what, byte[] expected, byte[] computed) {
        return new ProofException(what + " mismatch: expected " + b64(expected)
                + ", computed " + b64(computed));
    }

    static String b64(byte[] b) {
        return b == null ? "null" : Base64.getEncoder().encodeToString(b);
    }
}
