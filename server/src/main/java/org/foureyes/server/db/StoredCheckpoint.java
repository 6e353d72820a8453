package org.foureyes.server.db;

import java.util.List;

/**
 * A signed checkpoint as stored: the tree size, its root hash, the signed note exactly as signed,
 * when it was signed (UTC epoch ms) and the witness cosignature lines received for it.
 */
public record StoredCheckpoint(long size, byte[] rootHash, String note, long createdMs,
        List<String> cosignatureLines) {

    public StoredCheckpoint {
        cosignatureLines = List.copyOf(cosignatureLines);
    }

    /** The note with the cosignature lines appended, as served at {@code GET /v1/log/checkpoint}. */
    public String noteWithCosignatures() {
        if (cosignatureLines.isEmpty()) {
            return note;
        }
        StringBuilder b = new StringBuilder(note);
        for (String line : cosignatureLines) {
            b.append(line);
            if (!line.endsWith("\n")) {
                b.append('\n');
            }
        }
        return b.toString();
    }
}
