package org.foureyes.auditlog;

/** Reading from or writing to log storage failed, or the storage lacks data it should have. */
public final class LogStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public LogStoreException(String message) {
        super(message);
    }

    public LogStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
