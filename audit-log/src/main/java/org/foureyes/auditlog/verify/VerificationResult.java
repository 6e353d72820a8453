package org.foureyes.auditlog.verify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.VerifierKey;

/** The outcome of {@link LogVerifier#verify}: verified, or the first failure with its evidence. */
public sealed interface VerificationResult permits VerificationResult.Verified, VerificationResult.Failed {

    /** True if everything verified. */
    boolean verified();

    /** Entries read and found valid before the end or the failure. */
    long entriesChecked();

    /**
     * Everything verified.
     *
     * @param entries number of entries, equal to the checkpoint's size
     * @param checkpoint the export's checkpoint, signed by {@code key}
     * @param key the pinned log key that signed it
     * @param since the consistency check against the saved checkpoint, if one was given
     * @param start the seq of the first entry verified: 0, or the start of a range export (then
     *     {@code entries} is the checkpoint's size minus {@code start})
     */
    record Verified(long entries, Checkpoint checkpoint, VerifierKey key, Optional<Consistency> since, long start)
            implements VerificationResult {
        public Verified {
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(since, "since");
        }

        /** A whole-log result (from seq 0). */
        public Verified(long entries, Checkpoint checkpoint, VerifierKey key, Optional<Consistency> since) {
            this(entries, checkpoint, key, since, 0);
        }

        @Override
        public boolean verified() {
            return true;
        }

        @Override
        public long entriesChecked() {
            return entries;
        }
    }

    /** Verification failed; {@code entriesChecked} entries before the failure were fine. */
    record Failed(VerificationFailure failure, long entriesChecked) implements VerificationResult {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public boolean verified() {
            return false;
        }
    }

    /**
     * The export's checkpoint extends the saved one: the root of the first {@code saved.size()}
     * entries equals the saved root, and {@code proof} (RFC 9162 consistency proof from the saved
     * size to the new size, computed while streaming) verifies between the two signed roots.
     */
    record Consistency(Checkpoint saved, List<byte[]> proof) {
        public Consistency {
            Objects.requireNonNull(saved, "saved");
            proof = List.copyOf(proof);
        }
    }
}
