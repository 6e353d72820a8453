package org.foureyes.auditlog.verify;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The first thing that did not verify, with its evidence.
 *
 * @param kind what failed
 * @param seq the entry concerned, if the failure is about an entry: the entry whose bytes are
 *     wrong (see {@link Kind} for how links are attributed), or the first missing or extra seq
 * @param expected what the checkpoint, the chain or the format required (base64 for hashes), or
 *     null
 * @param computed what the export actually holds or hashes to, or null
 * @param message one line a person can act on, naming the seq and both values
 */
public record VerificationFailure(Kind kind, OptionalLong seq, String expected, String computed,
        String message) {

    public VerificationFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(seq, "seq");
        Objects.requireNonNull(message, "message");
    }

    static VerificationFailure of(Kind kind, long seq, String expected, String computed, String message) {
        return new VerificationFailure(kind, OptionalLong.of(seq), expected, computed, message);
    }

    static VerificationFailure global(Kind kind, String expected, String computed, String message) {
        return new VerificationFailure(kind, OptionalLong.empty(), expected, computed, message);
    }

    /** What failed. */
    public enum Kind {
        /** The checkpoint note is malformed, not signed by the pinned key, or its origin is not the key's name. */
        CHECKPOINT_SIGNATURE,
        /** The line of entry {@code seq} is not a canonical entry (syntax, member order, values), or is over the size limit. */
        MALFORMED_ENTRY,
        /** The line where entry {@code seq} belongs holds another seq: a missing, duplicated, reordered or edited entry. */
        SEQ_MISMATCH,
        /**
         * A prev link does not hold. {@code seq} is the entry judged altered: entry k when k's
         * prev disagrees with leaf(k-1) and k+1's prev disagrees with leaf(k) too; entry k-1 when
         * only k's link is broken and k agrees with its successor (or, for the last entry, with
         * the checkpoint).
         */
        PREV_MISMATCH,
        /** Entry {@code seq}'s time is before the previous entry's. */
        TIME_DECREASES,
        /** The genesis rules: entry 0 must be {@code log.genesis} naming the checkpoint's origin and log key; no other entry may be. */
        GENESIS,
        /** The export ends before the checkpoint's size; {@code seq} is the first missing entry. */
        TRUNCATED,
        /** The export has entries beyond the checkpoint's size; {@code seq} is the first extra one. */
        EXTRA_ENTRIES,
        /** Every link holds but the root differs from the checkpoint's; {@code seq} is the last entry, N-1. */
        ROOT_MISMATCH,
        /** The saved (--since) checkpoint is not a prefix of this log: larger, or another history. */
        INCONSISTENT_WITH_SAVED_CHECKPOINT
    }
}
