package org.foureyes.statement;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.foureyes.statement.IJsonException.Violation;

/**
 * The one I-JSON (RFC 7493) check of foureyes, used wherever a statement, configuration or policy
 * is read: strict UTF-8, no duplicate member names, no lone surrogates or noncharacters in names
 * or strings, numbers an IEEE 754 double holds, bounded depth and size. RFC 8785 (JCS) hashes are
 * only defined for I-JSON; outside it two documents can share a hash (a lone surrogate becomes
 * {@code ?} when Java encodes it), so anything else is refused before it is hashed or stored.
 *
 * <p>Integers: a number written without fraction or exponent must lie within ±(2^53−1), where every
 * integer is exactly a double; {@code 9007199254740993} would silently become {@code ...992}. A
 * number with a fraction or exponent is read as a double, as its writer signals: it must be
 * finite ({@code 1e400} is refused) and must not underflow to zero ({@code 1e-400} is refused).
 */
public final class IJson {
    /** Deepest nesting of arrays and objects accepted (a configuration is a few levels deep). */
    public static final int MAX_DEPTH = 64;
    /** Longest document accepted, in characters (statements have their own, smaller limit). */
    public static final int MAX_CHARS = 1024 * 1024;
    /** 2^53 − 1: the largest integer literal accepted (JavaScript's Number.MAX_SAFE_INTEGER). */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private static final BigInteger MAX_INT = BigInteger.valueOf(MAX_SAFE_INTEGER);

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxDocumentLength(MAX_CHARS)
                    .build())
            .build();

    /** Builds the trees once {@link #validate} has passed; default node types, as elsewhere. */
    static final JsonMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private IJson() {
    }

    /** Decodes strict UTF-8 (never guessing UTF-16/32) and parses one I-JSON value. */
    public static JsonNode parse(byte[] utf8) throws IJsonException {
        return parse(utf8Text(utf8));
    }

    /** Parses one I-JSON value from text: nothing but white space may follow it. */
    public static JsonNode parse(String text) throws IJsonException {
        validate(text);
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            // validate() read the same text with the same factory, so this cannot happen
            throw new IllegalStateException("I-JSON text refused on second reading", e);
        }
    }

    /** Strict UTF-8: malformed, overlong and surrogate-encoding byte sequences are refused. */
    public static String utf8Text(byte[] utf8) throws IJsonException {
        if (utf8.length > 4 * MAX_CHARS) {
            throw new IJsonException(Violation.TOO_LARGE, "", null, "the document is " + utf8.length
                    + " bytes; at most " + MAX_CHARS + " characters are accepted");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new IJsonException(Violation.NOT_UTF8, "", null, "not valid UTF-8");
        }
    }

    /** Checks that {@code text} is exactly one I-JSON value, without building a tree. */
    public static void validate(String text) throws IJsonException {
        if (text.length() > MAX_CHARS) {
            throw new IJsonException(Violation.TOO_LARGE, "", null, "the document is " + text.length()
                    + " characters; at most " + MAX_CHARS + " are accepted");
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw new IJsonException(Violation.BYTE_ORDER_MARK, "", null,
                    "the document starts with a byte order mark, which JSON text must not (RFC 8259 section 8.1)");
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            Pointer ptr = new Pointer();
            if (p.nextToken() == null) {
                throw new IJsonException(Violation.SYNTAX, "", null, "not valid JSON: the document is empty");
            }
            token(p, ptr);
            if (p.nextToken() != null) {
                throw new IJsonException(Violation.SYNTAX, "", null, "not valid JSON: data after the value at offset "
                        + p.currentTokenLocation().getCharOffset());
            }
        } catch (StreamConstraintsException e) {
            Violation v = e.getMessage().contains("nesting depth") ? Violation.TOO_DEEP : Violation.TOO_LARGE;
            throw new IJsonException(v, "", null, "beyond the limits for JSON: " + e.getOriginalMessage() + " (at most " + MAX_DEPTH
                            + " levels and " + MAX_CHARS + " characters)");
        } catch (JsonProcessingException e) {
            String dup = Json.duplicateName(e);
            if (dup != null) {
                throw new IJsonException(Violation.DUPLICATE_MEMBER, "", dup, "duplicate member " + Checks.quote(dup));
            }
            throw new IJsonException(Violation.SYNTAX, "", null, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading a String cannot fail", e);
        }
    }

    /** Checks the value at the current token and everything inside it; leaves the parser on its last token. */
    private static void token(JsonParser p, Pointer ptr) throws IOException, IJsonException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    ptr.push(name);
                    checkString(name, ptr.toString(), "member name");
                    p.nextToken();
                    token(p, ptr);
                    ptr.pop();
                }
            }
            case START_ARRAY -> {
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    ptr.push(Integer.toString(i++));
                    token(p, ptr);
                    ptr.pop();
                }
            }
            case VALUE_STRING -> checkString(p.getText(), ptr.toString(), "string");
            case VALUE_NUMBER_INT -> checkInteger(p.getBigIntegerValue(), p.getText(), ptr.toString());
            case VALUE_NUMBER_FLOAT -> checkFloat(p.getDecimalValue(), p.getText(), ptr.toString());
            default -> {
                // true, false, null
            }
        }
    }

    /**
     * Checks a tree built elsewhere (from YAML, or in code): names and strings, numbers, depth. Use
     * this before hashing a tree with JCS.
     */
    public static void check(JsonNode node) throws IJsonException {
        check(node, new Pointer(), 0);
    }

    private static void check(JsonNode node, Pointer ptr, int depth) throws IJsonException {
        if (node.isContainerNode() && depth >= MAX_DEPTH) {
            throw new IJsonException(Violation.TOO_DEEP, ptr.toString(), null, "nested deeper than " + MAX_DEPTH
                    + " levels at " + ptr.shown());
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                ptr.push(e.getKey());
                checkString(e.getKey(), ptr.toString(), "member name");
                check(e.getValue(), ptr, depth + 1);
                ptr.pop();
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ptr.push(Integer.toString(i));
                check(node.get(i), ptr, depth + 1);
                ptr.pop();
            }
        } else if (node.isTextual()) {
            checkString(node.textValue(), ptr.toString(), "string");
        } else if (node.isIntegralNumber()) {
            checkInteger(node.bigIntegerValue(), node.asText(), ptr.toString());
        } else if (node.isNumber()) {
            if (node.isDouble() || node.isFloat()) {
                double d = node.doubleValue();
                if (!Double.isFinite(d)) {
                    throw outOfRange(node.asText(), ptr.toString(), "is outside the range of an IEEE 754 double");
                }
            } else {
                checkFloat(node.decimalValue(), node.asText(), ptr.toString());
            }
        }
    }

    /**
     * Refuses a string or member name with a lone surrogate (escaped {@code \ud800} or decoded) or a
     * Unicode noncharacter (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF), as RFC 7493 section 2.1 requires.
     */
    public static void checkString(String s, String pointer, String what) throws IJsonException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                throw new IJsonException(Violation.LONE_SURROGATE, pointer, null, "the " + what + " at "
                        + shown(pointer) + " holds a lone surrogate " + String.format("\\u%04x", cp)
                        + " (not Unicode text; RFC 7493 section 2.1)");
            }
            if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
                throw new IJsonException(Violation.NONCHARACTER, pointer, null, "the " + what + " at " + shown(pointer)
                        + " holds the Unicode noncharacter " + String.format("U+%04X", cp) + " (RFC 7493 section 2.1)");
            }
        }
    }

    /** Integer literals must be exact doubles: within ±(2^53−1). */
    public static void checkInteger(BigInteger v, String text, String pointer) throws IJsonException {
        if (v.abs().compareTo(MAX_INT) > 0) {
            throw outOfRange(text, pointer, "is an integer beyond ±(2^53−1), which an IEEE 754 double cannot hold"
                    + " exactly (RFC 7493 section 2.2); write it as a string");
        }
    }

    /** Numbers with fraction or exponent: finite as a double, and not a non-zero number that rounds to 0. */
    public static void checkFloat(BigDecimal v, String text, String pointer) throws IJsonException {
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw outOfRange(text, pointer, "is outside the range of an IEEE 754 double (RFC 7493 section 2.2)");
        }
        if (d == 0 && v.signum() != 0) {
            throw outOfRange(text, pointer, "is too small for an IEEE 754 double and would read as 0"
                    + " (RFC 7493 section 2.2)");
        }
    }

    private static IJsonException outOfRange(String text, String pointer, String why) {
        String shown = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        return new IJsonException(Violation.NUMBER_OUT_OF_RANGE, pointer, null, "the number " + shown + " at "
                + shown(pointer) + " " + why);
    }

    private static String shown(String pointer) {
        return pointer.isEmpty() ? "the top level" : Checks.quote(pointer);
    }

    /** A JSON Pointer built while walking, escaped per RFC 6901. */
    private static final class Pointer {
        private final StringBuilder sb = new StringBuilder();
        private final java.util.ArrayDeque<Integer> marks = new java.util.ArrayDeque<>();

        void push(String segment) {
            marks.push(sb.length());
            sb.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
        }

        void pop() {
            sb.setLength(marks.pop());
        }

        String shown() {
            return IJson.shown(toString());
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
