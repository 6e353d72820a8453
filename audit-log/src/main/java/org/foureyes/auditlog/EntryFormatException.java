package org.foureyes.auditlog;

/** Bytes are not a log entry in the one canonical form that {@link LogEntry#create} produces. */
public final class EntryFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public EntryFormatException(String message) {
        super(message);
    }

    public EntryFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
