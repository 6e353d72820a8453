package org.foureyes.server.core;

/**
 * Thrown by an {@link EntryDraft} that decides, under the log lock, that its entry must not be
 * appended (for example a genesis when the log already has one, or a decision on a change that
 * another instance closed meanwhile). Only that append fails; the rest of the batch goes on.
 */
public class EntryRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public EntryRefusedException(String message) {
        super(message);
    }
}
