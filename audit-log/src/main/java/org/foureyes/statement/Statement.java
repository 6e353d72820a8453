package org.foureyes.statement;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A statement that {@link StatementVerifier} accepted: its signature verified against a key the
 * policy lists for its issuer, and its type, audience, time window and claims were valid at the
 * reference time. Replay (a {@code jti} seen before) is the caller's check, see {@link JtiLedger}.
 * Immutable.
 */
public final class Statement {
    private final String compact;
    private final String keyId;
    private final StatementType type;
    private final String issuer;
    private final String audience;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final String jti;
    private final StatementClaims claims;
    private final JsonNode payload;
    private final String configSha256;
    private final String sha256Hex;

    Statement(String compact, String keyId, StatementType type, String issuer, String audience, Instant issuedAt,
            Instant expiresAt, String jti, StatementClaims claims, JsonNode payload, String configSha256) {
        this.compact = compact;
        this.keyId = keyId;
        this.type = type;
        this.issuer = issuer;
        this.audience = audience;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.jti = jti;
        this.claims = claims;
        this.payload = payload.deepCopy();
        this.configSha256 = configSha256;
        this.sha256Hex = ConfigHash.sha256Hex(compact.getBytes(StandardCharsets.US_ASCII));
    }

    /** The exact compact JWS, as it is stored in the log. */
    public String compact() {
        return compact;
    }

    /** The verified header {@code kid}, {@code <name>+<8 hex key id>}. */
    public String keyId() {
        return keyId;
    }

    public StatementType type() {
        return type;
    }

    /** {@code iss}: the principal who signed. */
    public String issuer() {
        return issuer;
    }

    /** {@code aud}: the log origin the statement is meant for. */
    public String audience() {
        return audience;
    }

    /** {@code iat}. */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** {@code exp}. */
    public Instant expiresAt() {
        return expiresAt;
    }

    public String jti() {
        return jti;
    }

    /** The type's own claims: one of the {@link StatementClaims} records, matching {@link #type()}. */
    public StatementClaims claims() {
        return claims;
    }

    /**
     * The claims as the expected record type.
     *
     * @throws IllegalStateException if the statement is of another type (a programming error: the
     *     verify mode should not have accepted it)
     */
    public <T extends StatementClaims> T claims(Class<T> expected) {
        if (!expected.isInstance(claims)) {
            throw new IllegalStateException("statement is " + type.typ() + ", not " + expected.getSimpleName());
        }
        return expected.cast(claims);
    }

    /** The whole payload as parsed (a copy). */
    public JsonNode payload() {
        return payload.deepCopy();
    }

    /**
     * For a change request, the hash of its configuration: hex SHA-256 of the RFC 8785 form of the
     * {@code config} member exactly as it appears in the signed payload. Empty for other types.
     */
    public Optional<String> configSha256() {
        return Optional.ofNullable(configSha256);
    }

    /** Hex SHA-256 of the compact statement's ASCII bytes: what decisions and withdrawals bind to. */
    public String sha256Hex() {
        return sha256Hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Statement && compact.equals(((Statement) o).compact);
    }

    @Override
    public int hashCode() {
        return Objects.hash(compact);
    }

    @Override
    public String toString() {
        return "Statement[" + type.typ() + " by " + keyId + ", jti " + jti + "]";
    }
}
