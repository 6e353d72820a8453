package org.foureyes.server.db;

/**
 * Hashes read from storage disagree with the signed log: a stored leaf or tree-node hash was
 * changed, so proofs built from them would not verify. Nothing built from them may be served or
 * signed over. The message says what disagrees with what.
 */
public final class StorageCorruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageCorruptException(String message) {
        super(message);
    }

    public StorageCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
