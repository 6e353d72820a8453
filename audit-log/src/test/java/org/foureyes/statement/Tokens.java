package org.foureyes.statement;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.foureyes.auditlog.SignerKey;

/** Builds arbitrary, even malicious, compact tokens by hand: base64url(header).base64url(payload).sig. */
final class Tokens {
    private Tokens() {
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String signingInput(String headerJson, String payloadJson) {
        return b64(headerJson) + "." + b64(payloadJson);
    }

    /** Ed25519 over the JWS signing input, with whatever header and payload text is given. */
    static String ed25519(String headerJson, String payloadJson, SignerKey key) {
        String input = signingInput(headerJson, payloadJson);
        return input + "." + b64(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A correctly signed EdDSA token from alice's key with kid of that key. */
    static String ed25519(String payloadJson, SignerKey key) {
        return ed25519(header(key), payloadJson, key);
    }

    static String header(SignerKey key) {
        return "{\"alg\":\"EdDSA\",\"kid\":\"" + Fixture.kid(key) + "\"}";
    }

    /** HS256 keyed with arbitrary bytes (the classic attack keys it with the public key). */
    static String hs256(String headerJson, String payloadJson, byte[] macKey) {
        String input = signingInput(headerJson, payloadJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid decision payload by {@code iss}, with iat at {@link Fixture#NOW}. */
    static String decisionPayload(String iss) {
        return payload(iss, "foureyes.decision/v1", Fixture.NOW.getEpochSecond(), Fixture.NOW.getEpochSecond() + 300,
                "\"jti\":\"j-1\",\"change\":5,\"request\":\"" + "ab".repeat(32) + "\",\"decision\":\"approve\"");
    }

    static String payload(String iss, String typ, long iat, long exp, String rest) {
        return "{\"typ\":\"" + typ + "\",\"iss\":\"" + iss + "\",\"aud\":\"" + Fixture.AUDIENCE + "\",\"iat\":" + iat
                + ",\"exp\":" + exp + (rest.isEmpty() ? "" : "," + rest) + "}";
    }
}
