package org.foureyes.statement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.foureyes.auditlog.Signer;
import org.foureyes.auditlog.SignerKey;

/**
 * Signs statements as compact JWS ({@code alg: EdDSA}, {@code kid: <name>+<key id>}) with one
 * principal's key. The issuer is the key's name, so a signer cannot claim to be someone else.
 * The key is a {@link Signer}: a key file in memory or a key in an ssh-agent; the JWS bytes are the
 * same either way (Ed25519 is deterministic). Immutable and thread-safe if the signer is.
 */
public final class StatementSigner {
    /** Lifetime of a statement unless the caller asks for another. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String issuer;
    private final String kid;
    /** base64url of the protected header, fixed per key. */
    private final String header;
    private final Signer key;
    private final Clock clock;

    private StatementSigner(Signer key, Clock clock) {
        this.issuer = key.name();
        this.kid = key.name() + "+" + key.verifierKey().keyIdHex();
        this.header = header(kid);
        this.key = key;
        this.clock = clock;
    }

    /** Kept for callers written when only key files could sign; never throws. */
    public static StatementSigner of(SignerKey key) throws GeneralSecurityException {
        return of((Signer) key);
    }

    /** Kept for callers written when only key files could sign; never throws. */
    public static StatementSigner of(SignerKey key, Clock clock) throws GeneralSecurityException {
        return of((Signer) key, clock);
    }

    public static StatementSigner of(Signer key) {
        return of(key, Clock.systemUTC());
    }

    /** A signer whose {@code iat} comes from {@code clock} (tests, or a CLI with a fixed time). */
    public static StatementSigner of(Signer key, Clock clock) {
        return new StatementSigner(Objects.requireNonNull(key, "key"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The protected header exactly as jjwt wrote it before signing moved behind {@link Signer}
     * ({@code kid} first, then {@code alg}), so statements keep their bytes.
     */
    private static String header(String kid) {
        ObjectNode h = Json.MAPPER.createObjectNode();
        h.put("kid", kid);
        h.put("alg", "EdDSA");
        try {
            return Json.encodeBase64Url(Json.MAPPER.writeValueAsBytes(h));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JWS header", e);
        }
    }

    /** The {@code kid} this signer puts in headers, {@code <name>+<8 hex key id>}. */
    public String keyId() {
        return kid;
    }

    /** Signs the claims for {@code audience} (the log origin), valid for {@link #DEFAULT_LIFETIME} from now. */
    public String sign(String audience, StatementClaims claims) {
        return sign(audience, claims, DEFAULT_LIFETIME);
    }

    /**
     * Signs the claims for {@code audience}, issued now (whole seconds) and valid for {@code lifetime}.
     *
     * @throws IllegalArgumentException if the lifetime is not a whole number of seconds in (0, 10 min]
     * @throws org.foureyes.auditlog.SigningException if the key is held by an agent that could not sign
     */
    public String sign(String audience, StatementClaims claims, Duration lifetime) {
        return sign(audience, claims, clock.instant(), lifetime, newJti());
    }

    /** A {@code foureyes.access/v1} bearer token for reads. */
    public String accessToken(String audience, Duration lifetime) {
        return sign(audience, AccessClaims.INSTANCE, lifetime);
    }

    /** Everything explicit; package-private so tests can fix iat and jti. */
    String sign(String audience, StatementClaims claims, Instant issuedAt, Duration lifetime, String jti) {
        Checks.requireText("audience", audience);
        Objects.requireNonNull(claims, "claims");
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(StatementVerifier.MAX_LIFETIME) > 0
                || lifetime.getNano() != 0) {
            throw new IllegalArgumentException("lifetime must be whole seconds, more than 0 and at most "
                    + StatementVerifier.MAX_LIFETIME.toMinutes() + " minutes, got " + lifetime);
        }
        if (!Checks.isValidJti(jti)) {
            throw new IllegalArgumentException("jti must be 1 to 128 printable ASCII characters, got " + Checks.quote(jti));
        }
        long iat = issuedAt.getEpochSecond();
        byte[] payload;
        try {
            payload = Json.MAPPER.writeValueAsBytes(payload(audience, claims, iat, iat + lifetime.getSeconds(), jti));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise statement payload", e);
        }
        // We serialise the payload ourselves (content, not jjwt claims): member order is stable and
        // config numbers are written exactly as given, so the config hash is what the caller expects.
        // RFC 7515 compact serialisation: the signature covers the ASCII of header.payload.
        String input = header + "." + Json.encodeBase64Url(payload);
        // An agent-held key checks its agent's answer itself (SshAgentSigner); in-memory keys need no check.
        byte[] signature = key.sign(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Json.encodeBase64Url(signature);
    }

    private ObjectNode payload(String audience, StatementClaims claims, long iat, long exp, String jti) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put(Claim.TYP, claims.type().typ());
        p.put(Claim.ISS, issuer);
        p.put(Claim.AUD, audience);
        p.put(Claim.IAT, iat);
        p.put(Claim.EXP, exp);
        p.put(Claim.JTI, jti);
        if (claims instanceof ChangeRequestClaims c) {
            p.put(Claim.COMPONENT, c.component());
            if (c.base().isPresent()) {
                p.put(Claim.BASE, c.base().get());
            } else {
                p.putNull(Claim.BASE);
            }
            p.set(Claim.CONFIG, c.config());
            p.put(Claim.REASON, c.reason());
            if (c.emergency()) {
                p.put(Claim.EMERGENCY, true);
            }
        } else if (claims instanceof DecisionClaims d) {
            p.put(Claim.CHANGE, d.change());
            p.put(Claim.REQUEST, d.request());
            p.put(Claim.DECISION, d.decision().json());
            d.comment().ifPresent(c -> p.put(Claim.COMMENT, c));
        } else if (claims instanceof WithdrawalClaims w) {
            p.put(Claim.CHANGE, w.change());
            p.put(Claim.REQUEST, w.request());
        } else if (claims instanceof ReportClaims r) {
            p.put(Claim.COMPONENT, r.component());
            p.put(Claim.CHANGE, r.change());
            p.put(Claim.APPLIED, r.applied());
            p.put(Claim.STATUS, r.status().json());
            r.detail().ifPresent(d -> p.put(Claim.DETAIL, d));
        }
        return p;
    }

    /** 128 random bits, base64url: unique without coordination. */
    private static String newJti() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Json.encodeBase64Url(b);
    }
}
