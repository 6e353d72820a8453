package org.foureyes.auditlog;

import java.util.List;

/**
 * A signed note after {@link SignedNote#open}: its text, authenticated by at least one known key,
 * and all its signatures. Only {@link #text()} and {@link #verifiedSignatures()} are trustworthy;
 * {@link #unverifiedSignatures()} are signatures by keys the caller did not supply (for example
 * witness cosignatures, checked separately by {@link Cosignature}).
 */
public final class Note {
    private final String text;
    private final List<NoteSignature> verified;
    private final List<NoteSignature> unverified;

    Note(String text, List<NoteSignature> verified, List<NoteSignature> unverified) {
        this.text = text;
        this.verified = List.copyOf(verified);
        this.unverified = List.copyOf(unverified);
    }

    /** The signed text, ending in a newline. */
    public String text() {
        return text;
    }

    /** Signatures by known keys, each verified; never empty. */
    public List<NoteSignature> verifiedSignatures() {
        return verified;
    }

    /** Signatures whose name and key id match no known key, in note order; not verified. */
    public List<NoteSignature> unverifiedSignatures() {
        return unverified;
    }

    @Override
    public String toString() {
        return "Note[" + verified + ", " + unverified.size() + " unverified]";
    }
}
