package org.foureyes.statement;

import java.util.Objects;

/** Value rules shared by the claim records (signing side) and the verifier (receiving side). */
final class Checks {
    private Checks() {
    }

    /** Lowercase only, so that hashes compare as strings and each has one spelling. */
    static boolean isHex64(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static void requireHex64(String claim, String value) {
        if (!isHex64(value)) {
            throw new IllegalArgumentException(claim + " must be 64 lowercase hex digits (a SHA-256), got "
                    + (value == null ? "null" : quote(value)));
        }
    }

    static void requireText(String claim, String value) {
        Objects.requireNonNull(value, claim);
        if (value.isBlank()) {
            throw new IllegalArgumentException(claim + " must not be blank");
        }
    }

    static void requireChangeId(long change) {
        if (change < 0) {
            throw new IllegalArgumentException("change must be a change id (>= 0), got " + change);
        }
    }

    /** A jti is 1 to 128 printable ASCII characters without spaces: safe to log and compare. */
    static boolean isValidJti(String jti) {
        if (jti.isEmpty() || jti.length() > StatementVerifier.MAX_JTI_LENGTH) {
            return false;
        }
        for (int i = 0; i < jti.length(); i++) {
            char c = jti.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** A value quoted for a message, cut short so a hostile statement cannot flood logs. */
    static String quote(String s) {
        String cut = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || (Character.isSurrogate(c) && !paired(cut, i))) {
                // a lone surrogate would not survive being written out as UTF-8
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static boolean paired(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
