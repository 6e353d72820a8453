package org.foureyes.auditlog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Strict encodings shared by the key, note and checkpoint parsers. */
final class Encoding {
    private Encoding() {
    }

    /**
     * Decodes standard base64 with padding, accepting only the canonical encoding. Java's decoder
     * tolerates missing padding and non-zero trailing bits; we re-encode and compare so that each
     * value has exactly one accepted spelling (as Go's StdEncoding, which the formats come from).
     *
     * @return the bytes, or null if {@code text} is not canonical base64
     */
    static byte[] decodeBase64(String text) {
        byte[] out;
        try {
            out = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return Base64.getEncoder().encodeToString(out).equals(text) ? out : null;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] sha256(byte[]... parts) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    /** Key id of C2SP signed-note: SHA-256(name || 0x0A || type || key)[:4], big-endian. */
    static int keyId(String name, byte type, byte[] publicKey) {
        byte[] h = sha256(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', type}, publicKey);
        return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
    }

    static String hex8(int keyId) {
        return String.format("%08x", keyId);
    }

    /**
     * Parses exactly 8 lowercase hex digits. Uppercase is refused so that a key has one text form.
     *
     * @return the value, or null if malformed
     */
    static Integer parseHex8(String text) {
        if (text.length() != 8) {
            return null;
        }
        for (int i = 0; i < 8; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return Integer.parseUnsignedInt(text, 16);
    }

    /**
     * Name rule of C2SP signed-note (Go's note.isValidName): non-empty, well-formed UTF-8, no '+',
     * no Unicode space. Go's unicode.IsSpace covers Java's whitespace plus Zs/Zl/Zp and U+0085.
     */
    static boolean isValidKeyName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (Character.isSurrogate((char) cp)) {
                return false; // lone surrogate: would not be valid UTF-8
            }
            if (cp == '+' || cp == 0x85 || Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** Quotes untrusted input for an error message, shortened so logs cannot be flooded. */
    static String quote(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
