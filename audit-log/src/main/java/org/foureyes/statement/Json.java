package org.foureyes.statement;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Base64;

/** Strict JSON and base64url for statements: one accepted spelling, no duplicate members. */
final class Json {
    private Json() {
    }

    /**
     * Refuses duplicate members (two parsers could otherwise read different claims from one signed
     * payload) and trailing data. Numbers are read as Jackson does by default (fractions as double):
     * JCS reads every number as a double too, so exact decimals would change no hash, and default
     * nodes compare equal to trees that other code parses.
     */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Why strict parsing failed: a duplicate member (with its name) or anything else. */
    static final class ParseFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final String duplicateMember;

        ParseFailure(String message, String duplicateMember) {
            super(message);
            this.duplicateMember = duplicateMember;
        }
    }

    /**
     * Parses an object that must be I-JSON ({@link IJson}): strict UTF-8 was checked by {@link
     * #utf8Text}; here no duplicate member, no lone surrogate or noncharacter, numbers a double holds,
     * bounded depth, no trailing data.
     */
    static JsonNode parseObject(String text) throws ParseFailure {
        JsonNode node;
        try {
            node = IJson.parse(text);
        } catch (IJsonException e) {
            throw new ParseFailure(e.getMessage(), e.member());
        }
        if (!node.isObject()) {
            throw new ParseFailure("not a JSON object", null);
        }
        return node;
    }

    /** Decodes UTF-8 strictly (Jackson would guess UTF-16/32 from the bytes). */
    static String utf8Text(byte[] utf8) throws ParseFailure {
        try {
            return IJson.utf8Text(utf8);
        } catch (IJsonException e) {
            throw new ParseFailure(e.getMessage(), null);
        }
    }

    static String duplicateName(JsonProcessingException e) {
        // Jackson's only signal for STRICT_DUPLICATE_DETECTION is this message.
        String m = e.getOriginalMessage();
        String prefix = "Duplicate field '";
        if (m != null && m.startsWith(prefix) && m.endsWith("'")) {
            return m.substring(prefix.length(), m.length() - 1);
        }
        return null;
    }

    /**
     * The exact text of a top-level member's value in a JSON object (what was signed), or null if
     * absent. The text must already have passed {@link #parseObject}.
     */
    static String rawMember(String objectText, String name) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(objectText)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                long start = p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                if (field.equals(name)) {
                    long end = p.currentLocation().getCharOffset();
                    return objectText.substring((int) start, (int) end);
                }
            }
            return null;
        }
    }

    /**
     * Decodes unpadded base64url (RFC 7515 section 2), accepting only the canonical spelling: no
     * padding, no other alphabet, zero trailing bits.
     *
     * @return the bytes, or null if not canonical
     */
    static byte[] decodeBase64Url(String part) {
        if (part.length() % 4 == 1) {
            return null;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return null;
            }
        }
        byte[] out;
        try {
            out = Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return encodeBase64Url(out).equals(part) ? out : null;
    }

    static String encodeBase64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The JSON type of a node, for messages ("string", "number", ...). */
    static String typeName(JsonNode n) {
        if (n.isTextual()) {
            return "string";
        }
        if (n.isNumber()) {
            return "number";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isNull()) {
            return "null";
        }
        return n.isArray() ? "array" : "object";
    }

    /** A node shown in a message, cut short. */
    static String show(JsonNode n) {
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
