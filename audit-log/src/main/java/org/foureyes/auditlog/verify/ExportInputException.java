package org.foureyes.auditlog.verify;

import java.io.IOException;

/**
 * The input cannot be read as an export at all (a missing or unreadable file, a checkpoint file
 * that is empty or too large, an entries file that is not entry lines), or a saved checkpoint
 * given to compare with is unusable. Nothing was verified; this is not evidence against the log.
 */
public final class ExportInputException extends IOException {
    private static final long serialVersionUID = 1L;

    public ExportInputException(String message) {
        super(message);
    }

    public ExportInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
