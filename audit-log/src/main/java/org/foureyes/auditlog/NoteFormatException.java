package org.foureyes.auditlog;

import java.security.GeneralSecurityException;

/**
 * A signed note, checkpoint body or cosignature line is malformed. Malformed input is never
 * partially trusted: nothing from it may be used.
 */
public final class NoteFormatException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public NoteFormatException(String message) {
        super(message);
    }
}
