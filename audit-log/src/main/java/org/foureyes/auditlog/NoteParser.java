package org.foureyes.auditlog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Syntax of a C2SP signed note, without any cryptography: splits a note into its text and its
 * signature lines and checks both. Shared by {@link SignedNote} and {@link Cosignature} so that
 * they accept exactly the same notes.
 */
final class NoteParser {
    /** Signature lines read at most; the spec requires accepting at least 16 (Go uses 100). */
    static final int MAX_SIGNATURES = 100;
    /** Upper bound on a note, in chars; checkpoints are a few hundred bytes. */
    static final int MAX_NOTE_CHARS = 1 << 20;

    private NoteParser() {
    }

    /** A signature line, split but not verified. */
    static final class RawSignature {
        final String name;
        final int keyId;
        final byte[] signature; // after the key id

        RawSignature(String name, int keyId, byte[] signature) {
            this.name = name;
            this.keyId = keyId;
            this.signature = signature;
        }
    }

    static final class Parsed {
        final String text;
        final List<RawSignature> signatures;

        Parsed(String text, List<RawSignature> signatures) {
            this.text = text;
            this.signatures = signatures;
        }
    }

    static Parsed parse(String message) throws NoteFormatException {
        if (message.length() > MAX_NOTE_CHARS) {
            throw new NoteFormatException("malformed note: " + message.length() + " chars, at most "
                    + MAX_NOTE_CHARS + " accepted");
        }
        checkCharacters(message, "note");
        // The text may contain empty lines; the last one separates it from the signatures.
        int split = message.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteFormatException("malformed note: no blank line before the signatures");
        }
        String text = message.substring(0, split + 1);
        String block = message.substring(split + 2);
        if (block.isEmpty()) {
            throw new NoteFormatException("malformed note: no signature lines after the blank line");
        }
        if (!block.endsWith("\n")) {
            throw new NoteFormatException("malformed note: does not end in a newline (trailing data after the"
                    + " last signature line?)");
        }
        List<RawSignature> sigs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int start = 0;
        while (start < block.length()) {
            int end = block.indexOf('\n', start);
            if (sigs.size() == MAX_SIGNATURES) {
                throw new NoteFormatException("malformed note: more than " + MAX_SIGNATURES + " signature lines");
            }
            RawSignature sig = parseLine(block.substring(start, end), sigs.size() + 1);
            // Two lines for one key are ambiguous (which one counts?); refuse rather than pick one.
            if (!seen.add(sig.name + "+" + Encoding.hex8(sig.keyId))) {
                throw new NoteFormatException("malformed note: more than one signature line for key " + sig.name
                        + "+" + Encoding.hex8(sig.keyId));
            }
            sigs.add(sig);
            start = end + 1;
        }
        return new Parsed(text, sigs);
    }

    private static RawSignature parseLine(String line, int lineNo) throws NoteFormatException {
        if (!line.startsWith(SignedNote.SIG_PREFIX)) {
            throw new NoteFormatException("malformed note: signature line " + lineNo + " does not start with"
                    + " U+2014 EM DASH and a space: " + Encoding.quote(line));
        }
        String rest = line.substring(SignedNote.SIG_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new NoteFormatException("malformed note: signature line " + lineNo + " has no space between"
                    + " key name and signature: " + Encoding.quote(line));
        }
        String name = rest.substring(0, space);
        String b64 = rest.substring(space + 1);
        if (!Encoding.isValidKeyName(name)) {
            throw new NoteFormatException("malformed note: signature line " + lineNo + " has invalid key name "
                    + Encoding.quote(name));
        }
        byte[] raw = b64.isEmpty() ? null : Encoding.decodeBase64(b64);
        if (raw == null) {
            throw new NoteFormatException("malformed note: signature line " + lineNo + " (" + name
                    + ") is not canonical padded base64");
        }
        if (raw.length < 5) {
            throw new NoteFormatException("malformed note: signature line " + lineNo + " (" + name + ") has "
                    + raw.length + " bytes, expected a 4-byte key id and a signature");
        }
        int keyId = ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
        byte[] sig = new byte[raw.length - 4];
        System.arraycopy(raw, 4, sig, 0, sig.length);
        return new RawSignature(name, keyId, sig);
    }

    /**
     * Notes are well-formed UTF-8 without ASCII control characters other than newline. A Java
     * string cannot hold invalid UTF-8 except as lone surrogates, which we refuse.
     */
    static void checkCharacters(String s, String what) throws NoteFormatException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw new NoteFormatException(String.format("malformed %s: control character U+%04X at index %d",
                        what, (int) c, i));
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new NoteFormatException("malformed " + what + ": not valid UTF-8 (lone surrogate at index "
                        + i + ")");
            }
        }
    }
}
