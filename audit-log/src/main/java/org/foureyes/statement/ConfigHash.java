package org.foureyes.statement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The hash of a configuration: hex SHA-256 over its RFC 8785 (JCS) form, so the same document has
 * one hash whoever serialised it (member order, whitespace and number spelling do not matter).
 */
public final class ConfigHash {
    private ConfigHash() {
    }

    /**
     * Hashes a configuration given as JSON text, such as the raw {@code config} member of a signed
     * payload. Numbers are canonicalised by JCS (as IEEE 754 doubles, ECMAScript formatting).
     *
     * @throws IllegalArgumentException if the text is not I-JSON ({@link IJson}: syntax error,
     *     duplicate member, number out of double range, lone surrogate, ...), for which JCS defines no
     *     hash
     */
    public static String sha256HexOfJson(String jsonText) {
        try {
            // JCS would encode a lone surrogate as '?', so two configurations could share a hash
            IJson.validate(jsonText);
        } catch (IJsonException e) {
            throw new IllegalArgumentException("not I-JSON (RFC 7493), which RFC 8785 requires: " + e.getMessage(), e);
        }
        byte[] canonical;
        try {
            canonical = canonicalize(jsonText).getBytes(StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot canonicalise JSON (RFC 8785): " + e.getMessage(), e);
        }
        return sha256Hex(canonical);
    }

    /**
     * Hashes a configuration given as a Jackson tree. Equals {@link #sha256HexOfJson} of the text the
     * tree was parsed from, because JCS re-reads every number as a double: a tree that holds numbers
     * as double, BigDecimal or integer nodes serialises to text that JCS reads back to the same value.
     */
    public static String sha256Hex(JsonNode config) {
        try {
            IJson.check(config);
        } catch (IJsonException e) {
            throw new IllegalArgumentException("not I-JSON (RFC 7493), which RFC 8785 requires: " + e.getMessage(), e);
        }
        try {
            return sha256HexOfJson(Json.MAPPER.writeValueAsString(config));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise configuration: " + e.getMessage(), e);
        }
    }

    /** The RFC 8785 canonical form of JSON text. */
    static String canonicalize(String jsonText) throws IOException {
        return new JsonCanonicalizer(jsonText).getEncodedString();
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
