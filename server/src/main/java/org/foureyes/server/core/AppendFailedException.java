package org.foureyes.server.core;

/**
 * A log append did not happen and nothing of it was written: the batch's transaction rolled back,
 * or the appender was not running or its queue was full. Safe to retry.
 */
public class AppendFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AppendFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
