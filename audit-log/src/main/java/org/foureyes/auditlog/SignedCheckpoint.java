package org.foureyes.auditlog;

import java.util.List;

/**
 * Checkpoints as signed notes with the log key.
 *
 * <p>Security guarantee of {@link #open}: the returned checkpoint was signed by {@code logKey}, and
 * its origin equals the log key's name (foureyes design: "The log's key name equals the log's
 * origin"), so a key cannot vouch for another log's checkpoints. It says nothing about
 * consistency with earlier checkpoints or about cosignatures; check those separately.
 */
public final class SignedCheckpoint {
    private SignedCheckpoint() {
    }

    /**
     * Signs the checkpoint body with the log key.
     *
     * @throws IllegalArgumentException if the key's name is not the checkpoint's origin
     */
    public static String sign(Checkpoint checkpoint, SignerKey logKey) {
        if (!logKey.name().equals(checkpoint.origin())) {
            throw new IllegalArgumentException("log key name " + logKey.name() + " must equal the checkpoint origin "
                    + checkpoint.origin());
        }
        try {
            return SignedNote.sign(checkpoint.body(), logKey);
        } catch (NoteFormatException e) {
            // A Checkpoint only holds valid lines, so its body is always a valid note text.
            throw new IllegalStateException(e);
        }
    }

    /**
     * Verifies the log key's signature on a checkpoint note and parses its body. Other signature
     * lines (for example cosignatures) are ignored here.
     *
     * @throws NoteFormatException if the note or the checkpoint body is malformed
     * @throws BadSignatureException if the log key did not sign it, or its origin is not the log
     *     key's name
     */
    public static Checkpoint open(String note, VerifierKey logKey) throws NoteFormatException, BadSignatureException {
        Note n = SignedNote.open(note, List.of(logKey));
        Checkpoint cp = Checkpoint.parse(n.text());
        if (!cp.origin().equals(logKey.name())) {
            throw new BadSignatureException("checkpoint origin " + Encoding.quote(cp.origin())
                    + " does not match log key name " + Encoding.quote(logKey.name()));
        }
        return cp;
    }
}
