package org.foureyes.agent;

import java.util.List;

/**
 * A release as the host served it (docs/release.md), not yet verified.
 *
 * @param since the {@code since} the host says it answered
 * @param checkpoint the checkpoint note with any cosignature lines
 * @param consistencyProof the consistency proof from {@code since} to the checkpoint's size
 * @param entries exact entry bytes from {@code since} on
 * @param next where to continue with {@code /v1/log/entries}, or null
 */
public record Release(long since, String checkpoint, List<byte[]> consistencyProof, List<byte[]> entries, Long next) {
    public Release {
        consistencyProof = List.copyOf(consistencyProof);
        entries = List.copyOf(entries);
    }
}
