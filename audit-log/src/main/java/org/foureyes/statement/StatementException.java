package org.foureyes.statement;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A statement was refused. {@link #reason()} is stable and machine-readable (the server maps it to
 * a problem+json {@code type}); the message says what was expected and what was found.
 *
 * <p>{@link #authentic()} tells whether the signature had verified against a key the policy lists
 * for the issuer before the statement was refused. Only authentic refusals may be logged (as
 * {@code statement.refused}); anything else must leave no trace, or anyone could fill the log.
 */
public final class StatementException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a statement was refused. Names are stable: they appear in problem types and logs. */
    public enum Reason {
        /** Longer than {@link StatementVerifier#MAX_COMPACT_LENGTH} characters. */
        TOO_LARGE,
        /** Not a compact JWS of three strict base64url parts with JSON objects, or a bad header. */
        MALFORMED,
        /** A JSON object repeats a member name (refused everywhere, so no two parsers disagree). */
        DUPLICATE_MEMBER,
        /** The header's {@code alg} is not exactly {@code EdDSA}. */
        BAD_ALGORITHM,
        /** {@code iss} names no principal of the policy. */
        UNKNOWN_ISSUER,
        /** {@code kid} names no key that the policy lists for {@code iss}. */
        UNKNOWN_KEY,
        /** The signature does not verify under the key {@code kid} names. */
        BAD_SIGNATURE,
        /** {@code typ} is unknown or not accepted where the statement was sent. */
        WRONG_TYPE,
        /** {@code aud} is not this log's origin. */
        WRONG_AUDIENCE,
        /** The reference time is more than the allowed skew after {@code exp}. */
        EXPIRED,
        /** The reference time is more than the allowed skew before {@code iat}. */
        NOT_YET_VALID,
        /** {@code exp - iat} is longer than 10 minutes. */
        WINDOW_TOO_LONG,
        /** The {@code jti} was seen before in the log. */
        REPLAYED,
        /** A required claim is absent. */
        MISSING_CLAIM,
        /** A claim has the wrong JSON type or value, or a claim is not defined for the type. */
        INVALID_CLAIM;

        /** Lower-case, hyphenated form for URIs, e.g. {@code bad-signature}. */
        public String slug() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final boolean authentic;
    private final String issuer;

    private StatementException(Reason reason, boolean authentic, String issuer, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.authentic = authentic;
        this.issuer = issuer;
    }

    /** A refusal before the signature was verified (or because it did not verify). */
    public static StatementException unauthenticated(Reason reason, String message) {
        return new StatementException(reason, false, null, message);
    }

    /** A refusal of a statement whose signature verified against {@code issuer}'s key in the policy. */
    public static StatementException authentic(Reason reason, String issuer, String message) {
        return new StatementException(reason, true, Objects.requireNonNull(issuer, "issuer"), message);
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the signature verified against a key the policy lists for the issuer. */
    public boolean authentic() {
        return authentic;
    }

    /** The principal who signed, present exactly when {@link #authentic()}. */
    public Optional<String> issuer() {
        return Optional.ofNullable(issuer);
    }
}
