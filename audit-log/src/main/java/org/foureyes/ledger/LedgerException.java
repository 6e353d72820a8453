package org.foureyes.ledger;

/**
 * A log entry that the ledger does not accept: it breaks the hash chain, the policy in force, or
 * its facts are not what the ledger derives. The message reads
 * {@code entry <seq> (<type>): <what was expected and what was found>}.
 */
public final class LedgerException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long seq;
    private final String entryType;
    private final String detail;

    public LedgerException(long seq, String entryType, String detail) {
        super("entry " + seq + " (" + entryType + "): " + detail);
        this.seq = seq;
        this.entryType = entryType;
        this.detail = detail;
    }

    /** The seq of the refused entry. */
    public long seq() {
        return seq;
    }

    /** The refused entry's type, as written in it (e.g. {@code change.decided}). */
    public String entryType() {
        return entryType;
    }

    /** The message without the {@code entry <seq> (<type>): } prefix. */
    public String detail() {
        return detail;
    }
}
