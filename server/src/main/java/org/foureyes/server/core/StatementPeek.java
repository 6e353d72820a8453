package org.foureyes.server.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Optional;
import org.foureyes.statement.IJson;

/**
 * Reads a compact JWS's payload WITHOUT verifying it: only for routing and bookkeeping before the
 * ledger verifies it (the issuer for the rate limit, the {@code change} claim to compare with the
 * URL). Nothing read here is trusted.
 */
public final class StatementPeek {
    private StatementPeek() {
    }

    /** The payload as JSON, if the statement has three parts and the middle one is a JSON object. */
    public static Optional<JsonNode> payload(String compact) {
        if (compact == null || compact.length() > 1 << 20) {
            return Optional.empty();
        }
        int a = compact.indexOf('.');
        int b = a < 0 ? -1 : compact.indexOf('.', a + 1);
        if (a < 0 || b < 0) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(compact.substring(a + 1, b));
            // read as the verifier reads it, so a payload it will refuse routes nowhere
            JsonNode node = IJson.parse(bytes);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The {@code iss} claim, if it is a string. */
    public static Optional<String> issuer(String compact) {
        return payload(compact).map(p -> p.get("iss")).filter(JsonNode::isTextual).map(JsonNode::asText);
    }
}
