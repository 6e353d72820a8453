package org.foureyes.auditlog.verify;

import java.nio.charset.StandardCharsets;
import org.foureyes.auditlog.EntryType;

/**
 * The verifier's hot-path entry check: one pass over the raw bytes of a line, without allocating,
 * that accepts exactly the canonical entries of {@link org.foureyes.auditlog.LogEntry#parse}
 * (checked against it by a differential test):
 *
 * <ul>
 *   <li>the fixed prefix {@code {"seq":N,"time":"...","prev":"...","type":"...",}, then
 *       {@code "statement":"..."} exactly for the types that carry one, then {@code "facts":{...}}
 *       and the closing brace, with nothing after it;
 *   <li>seq: a decimal without sign or leading zero that fits a long; time:
 *       {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, a real date and time; prev: 44 base64 characters (the
 *       caller compares them with the expected hash, and only on mismatch asks
 *       {@link #isCanonicalHash} whether they are canonical base64 of 32 bytes); type: a known
 *       wire name; statement: a non-empty string;
 *   <li>facts: any compact JSON object (RFC 8259, no whitespace outside strings), nested at most
 *       {@value #MAX_DEPTH} deep counting the entry itself, without duplicate member names;
 *   <li>strings: well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF),
 *       no raw control characters, and only the escapes Jackson writes: {@code \" \\ \b \t \n \f
 *       \r} and {@code \\u00XX} (upper-case hex) for the other control characters;
 *   <li>numbers: integers without leading zeros and not {@code -0}; numbers with a fraction or
 *       exponent only in the form {@link Double#toString(double)} writes (what the entry writer
 *       produces), at most {@value #MAX_NUMBER_LENGTH} characters.
 * </ul>
 *
 * <p>Not thread-safe; one per verifier. After {@link #scan} returns false, {@link #error()} and
 * {@link #errorAt()} (byte offset in the line) say why.
 */
final class EntryScanner {

    /** Jackson's default maximum nesting depth, which {@code LogEntry.parse} enforces. */
    static final int MAX_DEPTH = 1000;
    /** Jackson's default maximum number length. */
    static final int MAX_NUMBER_LENGTH = 1000;
    /** Jackson's default maximum member name length, in UTF-16 units. */
    static final int MAX_NAME_LENGTH = 50_000;

    static final int TIME_LENGTH = 24;
    static final int HASH_B64_LENGTH = 44;

    private static final byte[] P_SEQ = ascii("{\"seq\":");
    private static final byte[] P_TIME = ascii(",\"time\":\"");
    private static final byte[] P_PREV = ascii(",\"prev\":\"");
    private static final byte[] P_TYPE = ascii(",\"type\":\"");
    private static final byte[] P_STATEMENT = ascii(",\"statement\":");
    private static final byte[] P_FACTS = ascii(",\"facts\":");

    private static final EntryType[] TYPES = EntryType.values();
    private static final byte[][] TYPE_NAMES = new byte[TYPES.length][];

    /** Bytes that may stand for themselves in a JSON string: 0x20-0x7F except '"' and '\\'. */
    private static final boolean[] PLAIN = new boolean[256];
    private static final byte[] B64_VALUE = new byte[256];

    static {
        for (int i = 0; i < TYPES.length; i++) {
            TYPE_NAMES[i] = ascii(TYPES[i].wireName());
        }
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
        java.util.Arrays.fill(B64_VALUE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++) {
            B64_VALUE[alphabet.charAt(i)] = (byte) i;
        }
    }

    // Results of the last successful scan (offsets into the scanned array).
    private long seq;
    private int timeOff;
    private int prevOff;
    private EntryType type;

    private String error;
    private int errorAt;
    private int lineOff;

    // Member names of the open objects, for duplicate detection: offsets and lengths of the raw
    // (escaped) bytes, which are canonical, so equal names have equal bytes.
    private int[] nameOff = new int[64];
    private int[] nameLen = new int[64];
    private int nameCount;

    /** Scans {@code b[off, off+len)}; true if it is a canonical entry. */
    boolean scan(byte[] b, int off, int len) {
        error = null;
        lineOff = off;
        nameCount = 0;
        int end = off + len;
        int i = scanPrefix(b, off, end);
        if (i < 0) {
            return false;
        }
        if (type.hasStatement()) {
            if (!startsWith(b, i, end, P_STATEMENT) || i + P_STATEMENT.length >= end
                    || b[i + P_STATEMENT.length] != '"') {
                return fail(i, "entry type " + type + " needs a string member \"statement\" after \"type\"");
            }
            i += P_STATEMENT.length;
            int s = i;
            i = string(b, i, end, false);
            if (i < 0) {
                return false;
            }
            if (i - s == 2) {
                return fail(s, "empty statement");
            }
        } else if (startsWith(b, i, end, P_STATEMENT)) {
            return fail(i, "entry type " + type + " carries no statement");
        }
        if (!startsWith(b, i, end, P_FACTS)) {
            return fail(i, "expected ,\"facts\": here");
        }
        i += P_FACTS.length;
        if (i >= end || b[i] != '{') {
            return fail(i, "facts is not a JSON object");
        }
        i = object(b, i, end, 2);
        if (i < 0) {
            return false;
        }
        if (i >= end || b[i] != '}') {
            return fail(i, "expected } closing the entry after facts");
        }
        i++;
        if (i != end) {
            return fail(i, "data after the end of the entry");
        }
        return true;
    }

    /**
     * Scans only {@code {"seq":N,"time":"...","prev":"...","type":"...",} and sets seq, time,
     * prev and type; returns the offset after the type's closing quote, or -1.
     */
    int scanPrefix(byte[] b, int off, int end) {
        error = null;
        lineOff = off;
        int i = off;
        if (!startsWith(b, i, end, P_SEQ)) {
            return failAt(i, "does not start with {\"seq\":");
        }
        i += P_SEQ.length;
        int s = i;
        if (i < end && b[i] == '-') {
            return failAt(i, "seq is negative");
        }
        long v = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            int d = b[i] - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return failAt(s, "seq does not fit in a 64-bit signed integer");
            }
            v = v * 10 + d;
            i++;
        }
        if (i == s) {
            return failAt(s, "seq is not a non-negative integer");
        }
        if (b[s] == '0' && i - s > 1) {
            return failAt(s, "seq has a leading zero");
        }
        seq = v;
        if (!startsWith(b, i, end, P_TIME)) {
            return failAt(i, "expected ,\"time\":\" after seq");
        }
        i += P_TIME.length;
        if (end - i < TIME_LENGTH + 1 || b[i + TIME_LENGTH] != '"' || !validTime(b, i)) {
            return failAt(i, "time is not yyyy-MM-ddTHH:mm:ss.SSSZ (UTC, milliseconds, a real date)");
        }
        timeOff = i;
        i += TIME_LENGTH + 1;
        if (!startsWith(b, i, end, P_PREV)) {
            return failAt(i, "expected ,\"prev\":\" after time");
        }
        i += P_PREV.length;
        if (end - i < HASH_B64_LENGTH + 1 || b[i + HASH_B64_LENGTH] != '"') {
            return failAt(i, "prev is not 44 base64 characters (a 32-byte hash)");
        }
        prevOff = i;
        i += HASH_B64_LENGTH + 1;
        if (!startsWith(b, i, end, P_TYPE)) {
            return failAt(i, "expected ,\"type\":\" after prev");
        }
        i += P_TYPE.length;
        int t = i;
        while (i < end && b[i] != '"' && i - t <= 32) {
            i++;
        }
        type = null;
        if (i < end && b[i] == '"') {
            for (int k = 0; k < TYPES.length; k++) {
                if (equalsAt(b, t, i - t, TYPE_NAMES[k])) {
                    type = TYPES[k];
                    break;
                }
            }
        }
        if (type == null) {
            return failAt(t, "unknown entry type");
        }
        return i + 1;
    }

    private int failAt(int at, String message) {
        fail(at, message);
        return -1;
    }

    private boolean fail(int at, String message) {
        if (error == null) {
            error = message;
            errorAt = at - lineOff;
        }
        return false;
    }

    /** Parses the object at {@code b[i] == '{'}; returns the offset after it, or -1. */
    private int object(byte[] b, int i, int end, int depth) {
        if (depth > MAX_DEPTH) {
            return failAt(i, "nested deeper than " + MAX_DEPTH);
        }
        i++;
        if (i < end && b[i] == '}') {
            return i + 1;
        }
        int frame = nameCount;
        while (true) {
            if (i >= end || b[i] != '"') {
                return failAt(i, "expected a member name");
            }
            int s = i;
            i = string(b, i, end, true);
            if (i < 0) {
                return -1;
            }
            if (!addName(b, frame, s + 1, i - s - 2)) {
                return failAt(s, "duplicate member name " + new String(b, s, Math.min(i - s, 80),
                        StandardCharsets.UTF_8));
            }
            if (i >= end || b[i] != ':') {
                return failAt(i, "expected : after a member name");
            }
            i = value(b, i + 1, end, depth);
            if (i < 0) {
                return -1;
            }
            if (i < end && b[i] == ',') {
                i++;
            } else if (i < end && b[i] == '}') {
                nameCount = frame;
                return i + 1;
            } else {
                return failAt(i, "expected , or } in an object");
            }
        }
    }

    private boolean addName(byte[] b, int frame, int off, int len) {
        for (int k = frame; k < nameCount; k++) {
            if (nameLen[k] == len && java.util.Arrays.equals(b, nameOff[k], nameOff[k] + len, b, off, off + len)) {
                return false;
            }
        }
        if (nameCount == nameOff.length) {
            nameOff = java.util.Arrays.copyOf(nameOff, nameCount * 2);
            nameLen = java.util.Arrays.copyOf(nameLen, nameCount * 2);
        }
        nameOff[nameCount] = off;
        nameLen[nameCount] = len;
        nameCount++;
        return true;
    }

    private int array(byte[] b, int i, int end, int depth) {
        if (depth > MAX_DEPTH) {
            return failAt(i, "nested deeper than " + MAX_DEPTH);
        }
        i++;
        if (i < end && b[i] == ']') {
            return i + 1;
        }
        while (true) {
            i = value(b, i, end, depth);
            if (i < 0) {
                return -1;
            }
            if (i < end && b[i] == ',') {
                i++;
            } else if (i < end && b[i] == ']') {
                return i + 1;
            } else {
                return failAt(i, "expected , or ] in an array");
            }
        }
    }

    /** A value inside a container at {@code depth}. */
    private int value(byte[] b, int i, int end, int depth) {
        if (i >= end) {
            return failAt(i, "unexpected end of line, expected a value");
        }
        switch (b[i]) {
            case '{':
                return object(b, i, end, depth + 1);
            case '[':
                return array(b, i, end, depth + 1);
            case '"':
                return string(b, i, end, false);
            case 't':
                return literal(b, i, end, "true");
            case 'f':
                return literal(b, i, end, "false");
            case 'n':
                return literal(b, i, end, "null");
            default:
                return number(b, i, end);
        }
    }

    private int literal(byte[] b, int i, int end, String word) {
        for (int k = 0; k < word.length(); k++) {
            if (i + k >= end || b[i + k] != word.charAt(k)) {
                return failAt(i, "invalid literal, expected " + word);
            }
        }
        return i + word.length();
    }

    private int number(byte[] b, int i, int end) {
        int s = i;
        if (i < end && b[i] == '-') {
            i++;
        }
        int intStart = i;
        if (i < end && b[i] == '0') {
            i++;
        } else if (i < end && b[i] >= '1' && b[i] <= '9') {
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        } else {
            return failAt(s, "invalid value");
        }
        int intDigits = i - intStart;
        boolean fp = false;
        if (i < end && b[i] == '.') {
            fp = true;
            i++;
            int f = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == f) {
                return failAt(i, "invalid number: no digit after the decimal point");
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            fp = true;
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int e = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == e) {
                return failAt(i, "invalid number: no digit in the exponent");
            }
        }
        if (!fp) {
            if (intDigits > MAX_NUMBER_LENGTH) {
                return failAt(s, "number longer than " + MAX_NUMBER_LENGTH + " digits");
            }
            if (intDigits == 1 && b[intStart] == '0' && intStart > s) {
                return failAt(s, "-0 is not canonical");
            }
            return i;
        }
        if (i - s > MAX_NUMBER_LENGTH) {
            return failAt(s, "number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        // Rare in entries: compare with what the writer would produce for this value.
        String text = new String(b, s, i - s, StandardCharsets.ISO_8859_1);
        if (!Double.toString(Double.parseDouble(text)).equals(text)) {
            return failAt(s, "number " + text + " is not in canonical form");
        }
        return i;
    }

    /** Parses the string at {@code b[i] == '"'}; returns the offset after the closing quote, or -1. */
    private int string(byte[] b, int i, int end, boolean name) {
        int s = i;
        i++;
        while (true) {
            while (i < end && PLAIN[b[i] & 0xff]) {
                i++;
            }
            if (i >= end) {
                return failAt(s, "unterminated string");
            }
            int c = b[i] & 0xff;
            if (c == '"') {
                i++;
                if (name && i - s - 2 > MAX_NAME_LENGTH && utf16Length(b, s + 1, i - 1) > MAX_NAME_LENGTH) {
                    return failAt(s, "member name longer than " + MAX_NAME_LENGTH + " characters");
                }
                return i;
            }
            if (c == '\\') {
                if (i + 1 >= end) {
                    return failAt(i, "unterminated string");
                }
                int e = b[i + 1];
                if (e == '"' || e == '\\' || e == 'b' || e == 't' || e == 'n' || e == 'f' || e == 'r') {
                    i += 2;
                } else if (e == 'u') {
                    if (i + 6 > end || b[i + 2] != '0' || b[i + 3] != '0'
                            || (b[i + 4] != '0' && b[i + 4] != '1') || hexUpper(b[i + 5]) < 0) {
                        return failAt(i, "\\u escape is allowed only for control characters, as \\u00XX with upper-case hex");
                    }
                    int ch = (b[i + 4] - '0') * 16 + hexUpper(b[i + 5]);
                    if (ch == '\b' || ch == '\t' || ch == '\n' || ch == '\f' || ch == '\r') {
                        return failAt(i, "control character escaped as \\u00XX where it has a short escape");
                    }
                    i += 6;
                } else {
                    return failAt(i, "invalid or non-canonical escape in a string");
                }
            } else if (c < 0x20) {
                return failAt(i, "raw control character in a string");
            } else {
                int n = utf8(b, i, end);
                if (n < 0) {
                    return failAt(i, "invalid UTF-8");
                }
                i += n;
            }
        }
    }

    /** Length of the well-formed multi-byte UTF-8 sequence at {@code i}, or -1. */
    private static int utf8(byte[] b, int i, int end) {
        int c = b[i] & 0xff;
        if (c >= 0xC2 && c <= 0xDF) {
            return i + 1 < end && cont(b[i + 1]) ? 2 : -1;
        }
        if (c >= 0xE0 && c <= 0xEF) {
            if (i + 2 >= end) {
                return -1;
            }
            int c1 = b[i + 1] & 0xff;
            int lo = c == 0xE0 ? 0xA0 : 0x80;
            int hi = c == 0xED ? 0x9F : 0xBF;
            return c1 >= lo && c1 <= hi && cont(b[i + 2]) ? 3 : -1;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 >= end) {
                return -1;
            }
            int c1 = b[i + 1] & 0xff;
            int lo = c == 0xF0 ? 0x90 : 0x80;
            int hi = c == 0xF4 ? 0x8F : 0xBF;
            return c1 >= lo && c1 <= hi && cont(b[i + 2]) && cont(b[i + 3]) ? 4 : -1;
        }
        return -1;
    }

    private static boolean cont(byte x) {
        return (x & 0xC0) == 0x80;
    }

    private static int utf16Length(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c == '\\') {
                i += b[i + 1] == 'u' ? 5 : 1;
                n++;
            } else if ((c & 0xC0) != 0x80) {
                n += c >= 0xF0 ? 2 : 1;
            }
        }
        return n;
    }

    private static int hexUpper(byte x) {
        if (x >= '0' && x <= '9') {
            return x - '0';
        }
        if (x >= 'A' && x <= 'F') {
            return x - 'A' + 10;
        }
        return -1;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} with a valid proleptic Gregorian date, years 0000-9999. */
    static boolean validTime(byte[] b, int i) {
        if (b[i + 4] != '-' || b[i + 7] != '-' || b[i + 10] != 'T' || b[i + 13] != ':'
                || b[i + 16] != ':' || b[i + 19] != '.' || b[i + 23] != 'Z') {
            return false;
        }
        int year = digits(b, i, 4);
        int month = digits(b, i + 5, 2);
        int day = digits(b, i + 8, 2);
        int hour = digits(b, i + 11, 2);
        int minute = digits(b, i + 14, 2);
        int second = digits(b, i + 17, 2);
        int milli = digits(b, i + 20, 3);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) {
            return false;
        }
        return day <= daysIn(year, month);
    }

    private static int daysIn(int year, int month) {
        switch (month) {
            case 2:
                boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    private static int digits(byte[] b, int i, int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            int d = b[i + k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Whether {@code b[i, i+44)} is the canonical padded base64 of exactly 32 bytes. */
    static boolean isCanonicalHash(byte[] b, int i) {
        for (int k = 0; k < 43; k++) {
            if (B64_VALUE[b[i + k] & 0xff] < 0) {
                return false;
            }
        }
        // 43 characters carry 258 bits: the last one's two low bits must be zero.
        return b[i + 43] == '=' && (B64_VALUE[b[i + 42] & 0xff] & 0x3) == 0;
    }

    /** Decodes the 44 canonical base64 characters at {@code b[i]} (see {@link #isCanonicalHash}). */
    static byte[] decodeHash(byte[] b, int i) {
        return java.util.Base64.getDecoder().decode(new String(b, i, HASH_B64_LENGTH, StandardCharsets.ISO_8859_1));
    }

    private static final byte[] B64_CHARS =
            ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    /** Writes the canonical base64 of a 32-byte hash into {@code out[0, 44)} without allocating. */
    static void encodeHash(byte[] hash, byte[] out) {
        int o = 0;
        int k = 0;
        for (; k < 30; k += 3) {
            int v = (hash[k] & 0xff) << 16 | (hash[k + 1] & 0xff) << 8 | (hash[k + 2] & 0xff);
            out[o++] = B64_CHARS[v >>> 18];
            out[o++] = B64_CHARS[(v >>> 12) & 63];
            out[o++] = B64_CHARS[(v >>> 6) & 63];
            out[o++] = B64_CHARS[v & 63];
        }
        int v = (hash[30] & 0xff) << 16 | (hash[31] & 0xff) << 8;
        out[o++] = B64_CHARS[v >>> 18];
        out[o++] = B64_CHARS[(v >>> 12) & 63];
        out[o++] = B64_CHARS[(v >>> 6) & 63];
        out[o] = '=';
    }

    private static boolean startsWith(byte[] b, int i, int end, byte[] p) {
        return end - i >= p.length && equalsAt(b, i, p.length, p);
    }

    private static boolean equalsAt(byte[] b, int i, int len, byte[] p) {
        return len == p.length && java.util.Arrays.equals(b, i, i + len, p, 0, len);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    long seq() {
        return seq;
    }

    int timeOff() {
        return timeOff;
    }

    int prevOff() {
        return prevOff;
    }

    EntryType type() {
        return type;
    }

    String error() {
        return error;
    }

    int errorAt() {
        return errorAt;
    }
}
