package org.foureyes.auditlog.verify;

/** Receives progress from a long verification, from the verifying thread. */
@FunctionalInterface
public interface ProgressListener {
    /**
     * Called about every interval and once at the end.
     *
     * @param entries entries verified so far
     * @param bytes bytes of entries.ndjson read so far
     * @param elapsedNanos time since verification of the entries started
     * @param done true for the final call
     */
    void progress(long entries, long bytes, long elapsedNanos, boolean done);
}
