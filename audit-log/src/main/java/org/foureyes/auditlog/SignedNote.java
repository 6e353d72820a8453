package org.foureyes.auditlog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Signs and opens C2SP signed notes (https://c2sp.org/signed-note, as golang.org/x/mod/sumdb/note)
 * with Ed25519 keys.
 *
 * <p>Security guarantee of {@link #open}: if it returns, the returned text was signed by every key
 * listed in {@link Note#verifiedSignatures()}, there is at least one such key, and every signature
 * line in the note whose name and key id match a known key verified. Signatures by unknown keys
 * are ignored for this decision, as the spec requires.
 */
public final class SignedNote {
    /** U+2014 EM DASH and a space: the start of every signature line. */
    static final String SIG_PREFIX = "\u2014 ";

    private SignedNote() {
    }

    /**
     * Signs {@code text} with each key, in order, and returns the note: the text, a blank line and
     * one signature line per key.
     *
     * @throws NoteFormatException if the text is empty, does not end in a newline, or contains
     *     control characters other than newline or lone surrogates
     * @throws IllegalArgumentException if no keys are given, more than 100, or two keys share a
     *     name and key id
     */
    public static String sign(String text, SignerKey... keys) throws NoteFormatException {
        checkText(text);
        if (keys.length == 0 || keys.length > NoteParser.MAX_SIGNATURES) {
            throw new IllegalArgumentException("need 1 to " + NoteParser.MAX_SIGNATURES + " keys, got " + keys.length);
        }
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder note = new StringBuilder(text).append('\n');
        Set<String> seen = new HashSet<>();
        for (SignerKey key : keys) {
            VerifierKey vk = key.verifierKey();
            if (!seen.add(vk.name() + "+" + vk.keyIdHex())) {
                throw new IllegalArgumentException("two signer keys named " + vk.name() + "+" + vk.keyIdHex());
            }
            note.append(new NoteSignature(vk.name(), vk.keyId(), key.sign(message), null).line());
        }
        return note.toString();
    }

    /** Checks the rules of the note text, so that every note we sign also opens. */
    static void checkText(String text) throws NoteFormatException {
        if (text.isEmpty() || !text.endsWith("\n")) {
            throw new NoteFormatException("malformed note text: must be non-empty and end in a newline");
        }
        NoteParser.checkCharacters(text, "note text");
    }

    /**
     * Opens a note given as bytes, refusing bytes that are not well-formed UTF-8.
     *
     * @see #open(String, Collection)
     */
    public static Note open(byte[] message, Collection<VerifierKey> known)
            throws NoteFormatException, BadSignatureException {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException e) {
            throw new NoteFormatException("malformed note: not valid UTF-8");
        }
        return open(s, known);
    }

    /**
     * Parses {@code message} and verifies its signatures by {@code known} keys.
     *
     * <p>Rules: the note must be well formed (see {@link NoteFormatException}), have at most 100
     * signature lines and no two lines for the same name and key id. A line whose name and key id
     * match a known key must verify, else the whole note is rejected. Lines of unknown keys
     * (including tlog-cosignature lines, key type 0x04) are returned unverified. At least one known
     * key must have signed.
     *
     * @throws NoteFormatException if the note is malformed
     * @throws BadSignatureException if a known key's signature does not verify, or no known key
     *     signed the note
     * @throws IllegalArgumentException if two different known keys share a name and key id
     */
    public static Note open(String message, Collection<VerifierKey> known)
            throws NoteFormatException, BadSignatureException {
        Map<String, VerifierKey> byId = index(known);
        NoteParser.Parsed parsed = NoteParser.parse(message);
        byte[] text = parsed.text.getBytes(StandardCharsets.UTF_8);
        List<NoteSignature> verified = new ArrayList<>();
        List<NoteSignature> unverified = new ArrayList<>();
        for (NoteParser.RawSignature sig : parsed.signatures) {
            VerifierKey key = byId.get(sig.name + "+" + Encoding.hex8(sig.keyId));
            if (key == null) {
                unverified.add(new NoteSignature(sig.name, sig.keyId, sig.signature, null));
                continue;
            }
            if (!key.isValid(text, sig.signature)) {
                throw new BadSignatureException("note signature by known key " + sig.name + "+"
                        + Encoding.hex8(sig.keyId) + " does not verify; rejecting the whole note");
            }
            verified.add(new NoteSignature(sig.name, sig.keyId, sig.signature, key));
        }
        if (verified.isEmpty()) {
            List<String> found = new ArrayList<>();
            for (NoteSignature s : unverified) {
                found.add(s.name() + "+" + s.keyIdHex());
            }
            List<String> expected = new ArrayList<>(byId.keySet());
            throw new BadSignatureException("no signature by a known key: note is signed by " + found
                    + ", known keys are " + expected);
        }
        return new Note(parsed.text, verified, unverified);
    }

    private static Map<String, VerifierKey> index(Collection<VerifierKey> known) {
        Map<String, VerifierKey> byId = new HashMap<>();
        for (VerifierKey k : known) {
            VerifierKey prev = byId.put(k.name() + "+" + k.keyIdHex(), k);
            if (prev != null && !prev.equals(k)) {
                throw new IllegalArgumentException("ambiguous known keys: two different keys named "
                        + k.name() + "+" + k.keyIdHex());
            }
        }
        return byId;
    }
}
