package org.foureyes.server.core;

/**
 * A log append failed: the batch's transaction rolled back (nothing of it was written), or, rarely,
 * the entry was written but its receipt could not be built (the message says which).
 */
public class AppendFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AppendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
