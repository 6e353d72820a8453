package org.foureyes.auditlog;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * Checks that entries form the hash chain of the design, one after the other: seq counts up from
 * 0, {@code prev} is the leaf hash of the previous entry ({@link LogEntry#GENESIS_PREV} for seq
 * 0), and time never decreases. Not thread-safe.
 */
public final class ChainChecker {

    private long nextSeq;
    private byte[] prev;
    private Instant lastTime;

    private ChainChecker(long nextSeq, byte[] prev, Instant lastTime) {
        this.nextSeq = nextSeq;
        this.prev = prev;
        this.lastTime = lastTime;
    }

    /** A checker expecting entry 0. */
    public static ChainChecker fromGenesis() {
        return new ChainChecker(0, LogEntry.GENESIS_PREV.clone(), null);
    }

    /** A checker expecting the entry after {@code last}, e.g. to continue a stored log. */
    public static ChainChecker after(LogEntry last) {
        Objects.requireNonNull(last, "last");
        return new ChainChecker(last.seq() + 1, last.leafHash(), last.time());
    }

    /** Checks that {@code next} continues the chain and, if so, advances past it. */
    public void check(LogEntry next) throws ChainException {
        Objects.requireNonNull(next, "next");
        if (next.seq() != nextSeq) {
            throw new ChainException(next.seq(), "expected seq " + nextSeq + ", got " + next.seq());
        }
        byte[] got = next.prev();
        if (!MessageDigest.isEqual(prev, got)) {
            throw new ChainException(next.seq(), "prev mismatch: expected "
                    + ProofException.b64(prev) + " (leaf hash of entry " + (nextSeq - 1)
                    + "), got " + ProofException.b64(got));
        }
        if (lastTime != null && next.time().isBefore(lastTime)) {
            throw new ChainException(next.seq(), "time " + LogEntry.formatTime(next.time())
                    + " is before the previous entry's " + LogEntry.formatTime(lastTime));
        }
        nextSeq++;
        prev = next.leafHash();
        lastTime = next.time();
    }

    /** The seq the next entry must have. */
    public long nextSeq() {
        return nextSeq;
    }

    /** The prev the next entry must have. */
    public byte[] expectedPrev() {
        return prev.clone();
    }
}
