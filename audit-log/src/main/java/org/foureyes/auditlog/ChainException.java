package org.foureyes.auditlog;

/** An entry does not continue the hash chain: wrong seq, wrong prev, or time going backwards. */
public final class ChainException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long seq;

    public ChainException(long seq, String message) {
        super("entry " + seq + ": " + message);
        this.seq = seq;
    }

    /** The seq of the offending entry, as it claims. */
    public long seq() {
        return seq;
    }
}
