package org.foureyes.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;
import org.foureyes.statement.IJson;
import org.foureyes.statement.IJsonException;

/** The policy's hash: SHA-256 over the RFC 8785 (JCS) form of its JSON document, in hex. */
public final class PolicyHash {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyHash() {}

    /** Hex SHA-256 of the canonical (RFC 8785) form of {@link Policy#document()}. */
    public static String sha256Hex(Policy policy) {
        return HexFormat.of().formatHex(sha256(canonical(policy)));
    }

    /**
     * The RFC 8785 canonical UTF-8 bytes of the policy document.
     *
     * @throws IllegalArgumentException if the document is not I-JSON (the loader refuses such
     *     policies; JCS would otherwise give two documents one hash)
     */
    public static byte[] canonical(Policy policy) {
        try {
            IJson.check(policy.document());
        } catch (IJsonException e) {
            throw new IllegalArgumentException("policy " + policy.name() + " is not I-JSON (RFC 7493): "
                    + e.getMessage(), e);
        }
        try {
            return new JsonCanonicalizer(JSON.writeValueAsString(policy.document())).getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot canonicalise policy " + policy.name(), e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
