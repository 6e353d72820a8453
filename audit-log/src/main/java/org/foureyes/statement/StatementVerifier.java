package org.foureyes.statement;

import com.fasterxml.jackson.databind.JsonNode;
import io.jsonwebtoken.ClaimJwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SignatureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.foureyes.auditlog.JcaKeys;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.policy.Policy;
import org.foureyes.policy.Principal;
import org.foureyes.statement.StatementException.Reason;

/**
 * Verifies statements against a policy. Checks run in a fixed order (see docs/statements.md): the
 * cheap structural ones first, the algorithm before any key is used, the signature before anything
 * that would make the refusal worth logging. Thread-safe; share one instance.
 *
 * <p>Replay is not checked here (the verifier does not know the log): see {@link JtiLedger}.
 */
public final class StatementVerifier {
    /** Longest compact statement accepted, in characters (a configuration of about 48 KiB). */
    public static final int MAX_COMPACT_LENGTH = 64 * 1024;
    /** Longest {@code exp - iat}. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    /** Clock skew allowed on either side of [{@code iat}, {@code exp}]. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(2);
    /** Longest {@code jti}, in characters. */
    public static final int MAX_JTI_LENGTH = 128;

    static final String ALGORITHM = "EdDSA";
    /** 9999-12-31T23:59:59Z: keeps Instant arithmetic far from overflow. */
    private static final long MAX_NUMERIC_DATE = 253_402_300_799L;
    private static final int MAX_CACHED_PARSERS = 1024;

    private final ConcurrentMap<VerifierKey, JwtParser> parsers = new ConcurrentHashMap<>();
    private final SignatureCache signatures;
    private final VerifiedStatements verified;

    /** A verifier that checks every signature. */
    public StatementVerifier() {
        this(null);
    }

    /**
     * A verifier that remembers verified signatures in {@code signatures} (shared, e.g., between a
     * server's request threads and its ledger) and skips the curve arithmetic for a statement whose
     * exact characters it has seen verified under the same key; every other check still runs.
     */
    public StatementVerifier(SignatureCache signatures) {
        this(signatures, null);
    }

    /**
     * As {@link #StatementVerifier(SignatureCache)}, and also remembers whole verified statements in
     * {@code verified} (shared the same way; see {@link VerifiedStatements} for what is re-checked).
     */
    public StatementVerifier(SignatureCache signatures, VerifiedStatements verified) {
        this.signatures = signatures;
        this.verified = verified;
    }

    /**
     * Verifies a compact JWS statement.
     *
     * @param compact the statement as received or as stored in the log
     * @param policy the policy in force (its principals and their keys)
     * @param expectedAudience this log's origin
     * @param referenceTime the server's clock (online) or the time of the log entry that carries the
     *     statement (offline; checkers never use their own clock)
     * @param mode which clock the reference time is and which statement types are accepted
     * @return the verified statement
     * @throws StatementException with the reason, and whether the signature had verified
     */
    public Statement verify(String compact, Policy policy, String expectedAudience, Instant referenceTime,
            VerifyMode mode) throws StatementException {
        Objects.requireNonNull(compact, "compact");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(expectedAudience, "expectedAudience");
        Objects.requireNonNull(referenceTime, "referenceTime");
        Objects.requireNonNull(mode, "mode");
        if (verified != null) {
            Statement known = verified.get(compact, policy, expectedAudience);
            if (known != null && mode.accepted().contains(known.type())
                    && !referenceTime.isBefore(known.issuedAt().minus(CLOCK_SKEW))
                    && !referenceTime.isAfter(known.expiresAt().plus(CLOCK_SKEW))) {
                return known;
            }
        }

        // ---- structure: nothing here depends on keys ----
        if (compact.length() > MAX_COMPACT_LENGTH) {
            throw refuse(Reason.TOO_LARGE, "statement is " + compact.length() + " characters; at most "
                    + MAX_COMPACT_LENGTH + " are accepted. Make the configuration or the text smaller");
        }
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            throw refuse(Reason.MALFORMED, "a statement is a compact JWS of 3 base64url parts separated by '.'"
                    + " (header.payload.signature), got " + parts.length + " part" + (parts.length == 1 ? "" : "s"));
        }
        String headerText = jsonText(decodePart(parts[0], "header"), "header");
        String payloadText = jsonText(decodePart(parts[1], "payload"), "payload");
        byte[] signature = decodePart(parts[2], "signature");

        JsonNode header = parseObject(headerText, "header");
        checkAlgorithm(header);
        checkHeaderMembers(header);
        String kid = kid(header);
        int plus = kid.indexOf('+');
        String kidName = kid.substring(0, plus);
        String kidId = kid.substring(plus + 1);

        JsonNode payload = parseObject(payloadText, "payload");
        String issuer = issuerBeforeSignature(payload);

        // ---- key lookup: only keys the policy lists for iss are ever used ----
        Principal principal = policy.principal(issuer).orElseThrow(() -> refuse(Reason.UNKNOWN_ISSUER,
                "iss " + Checks.quote(issuer) + " is not a principal of policy " + policy.name()
                        + "; its principals are " + String.join(", ", policy.principals().keySet())));
        VerifierKey key = principal.keys().stream()
                .filter(k -> k.name().equals(kidName) && k.keyIdHex().equals(kidId))
                .findFirst()
                .orElseThrow(() -> refuse(Reason.UNKNOWN_KEY, "kid " + Checks.quote(kid) + " is not a key of "
                        + issuer + " in policy " + policy.name() + "; " + issuer + "'s keys are "
                        + keyIds(principal) + ". Sign with one of them, or have the policy list the new key"));

        String libraryRefusal = verifySignature(compact, parts, signature, key);

        // ---- authentic from here: refusals may be logged as statement.refused ----
        Checker c = new Checker(payload, issuer);
        StatementType type = c.type(mode);
        String audience = c.requiredString(Claim.AUD);
        if (!audience.equals(expectedAudience)) {
            throw c.refuse(Reason.WRONG_AUDIENCE, "aud is " + Checks.quote(audience) + " but this log's origin is "
                    + Checks.quote(expectedAudience) + "; the statement was signed for another deployment");
        }
        long iat = c.numericDate(Claim.IAT);
        long exp = c.numericDate(Claim.EXP);
        checkWindow(c, iat, exp, referenceTime, mode);
        String jti = c.requiredString(Claim.JTI);
        if (!Checks.isValidJti(jti)) {
            throw c.refuse(Reason.INVALID_CLAIM, "jti must be 1 to " + MAX_JTI_LENGTH
                    + " printable ASCII characters without spaces, got " + Checks.quote(jti)
                    + " (" + jti.length() + " characters)");
        }
        String configSha256 = null;
        StatementClaims claims;
        switch (type) {
            case CHANGE_REQUEST -> {
                claims = c.changeRequest();
                configSha256 = c.configSha256(payloadText);
            }
            case DECISION -> claims = c.decision();
            case WITHDRAWAL -> claims = new WithdrawalClaims(c.changeId(), c.hex64(Claim.REQUEST));
            case REPORT -> claims = c.report();
            case ACCESS -> claims = AccessClaims.INSTANCE;
            default -> throw new IllegalStateException("unhandled type " + type);
        }
        c.noOtherClaims(type);
        if (libraryRefusal != null) {
            // jjwt refused the claims after the signature verified, yet our checks passed: refuse
            // rather than accept something one of the two parsers reads differently.
            throw c.refuse(Reason.INVALID_CLAIM, "the claims were refused by the JWS library: " + libraryRefusal);
        }
        Statement statement = new Statement(compact, kid, type, issuer, audience, Instant.ofEpochSecond(iat),
                Instant.ofEpochSecond(exp), jti, claims, payload, configSha256);
        if (verified != null) {
            verified.add(compact, policy, expectedAudience, statement);
        }
        return statement;
    }

    private static StatementException refuse(Reason reason, String message) {
        return StatementException.unauthenticated(reason, message);
    }

    private static byte[] decodePart(String part, String name) throws StatementException {
        if (part.isEmpty()) {
            throw refuse(Reason.MALFORMED, "the " + name + " part of the statement is empty");
        }
        byte[] bytes = Json.decodeBase64Url(part);
        if (bytes == null) {
            throw refuse(Reason.MALFORMED, "the " + name + " part is not unpadded base64url (RFC 7515): "
                    + base64Problem(part));
        }
        return bytes;
    }

    private static String base64Problem(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                String shown = c >= 0x21 && c <= 0x7e ? "'" + c + "'" : String.format("U+%04X", (int) c);
                return "character " + shown + " at position " + i + " is not in the alphabet A-Z a-z 0-9 - _"
                        + (c == '=' ? " (no padding)" : "");
            }
        }
        return part.length() % 4 == 1 ? "its length " + part.length() + " is impossible for base64"
                : "its last character has bits set that encode nothing (not the canonical spelling)";
    }

    private static String jsonText(byte[] bytes, String name) throws StatementException {
        try {
            return Json.utf8Text(bytes);
        } catch (Json.ParseFailure e) {
            throw refuse(Reason.MALFORMED, "the " + name + " is " + e.getMessage());
        }
    }

    private static JsonNode parseObject(String text, String name) throws StatementException {
        try {
            return Json.parseObject(text);
        } catch (Json.ParseFailure e) {
            if (e.duplicateMember != null) {
                throw refuse(Reason.DUPLICATE_MEMBER, "the " + name + " has a " + e.getMessage()
                        + "; JSON with a repeated member name is refused, since parsers disagree on which one counts");
            }
            throw refuse(Reason.MALFORMED, "the " + name + " is " + e.getMessage());
        }
    }

    private static void checkAlgorithm(JsonNode header) throws StatementException {
        JsonNode alg = header.get("alg");
        if (alg == null) {
            throw refuse(Reason.BAD_ALGORITHM, "the header has no alg; statements are signed with alg "
                    + ALGORITHM + " (Ed25519, RFC 8037)");
        }
        if (!alg.isTextual() || !alg.textValue().equals(ALGORITHM)) {
            throw refuse(Reason.BAD_ALGORITHM, "the header's alg is " + Json.show(alg) + "; only " + ALGORITHM
                    + " (Ed25519, RFC 8037) is accepted. Sign with your Ed25519 key from the policy");
        }
    }

    /**
     * Only {@code alg}, {@code kid} and a conventional {@code typ: JWT} are allowed: members such as
     * {@code crit}, {@code b64}, {@code zip}, {@code jwk} or {@code x5u} change how a JWS is read or
     * which key is trusted, and foureyes wants exactly one reading.
     */
    private static void checkHeaderMembers(JsonNode header) throws StatementException {
        Iterator<String> names = header.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.equals("alg") || name.equals("kid")) {
                continue;
            }
            if (name.equals("typ")) {
                JsonNode typ = header.get("typ");
                if (typ.isTextual() && typ.textValue().equals("JWT")) {
                    continue;
                }
                throw refuse(Reason.MALFORMED, "the header's typ is " + Json.show(typ)
                        + "; leave it out or set it to \"JWT\" (the statement type goes in the payload's typ)");
            }
            throw refuse(Reason.MALFORMED, "the header has member " + Checks.quote(name)
                    + "; a statement header has only alg and kid (and optionally typ \"JWT\")");
        }
    }

    private static String kid(JsonNode header) throws StatementException {
        JsonNode node = header.get("kid");
        if (node == null) {
            throw refuse(Reason.MALFORMED, "the header has no kid; set it to <name>+<8 hex key id> of your key,"
                    + " as in the policy (for example alice+1a2b3c4d)");
        }
        if (!node.isTextual() || !isKid(node.textValue())) {
            throw refuse(Reason.MALFORMED, "the header's kid is " + Json.show(node)
                    + "; it must be <name>+<8 lowercase hex key id> (for example alice+1a2b3c4d)");
        }
        return node.textValue();
    }

    private static boolean isKid(String kid) {
        int plus = kid.indexOf('+');
        if (plus <= 0 || kid.length() - plus - 1 != 8) {
            return false;
        }
        for (int i = 0; i < kid.length(); i++) {
            char c = kid.charAt(i);
            if (i < plus && (c == '+' || Character.isWhitespace(c) || Character.isISOControl(c))) {
                return false;
            }
            if (i > plus && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** iss is needed to find the key, so it is checked before the signature (not authentic yet). */
    private static String issuerBeforeSignature(JsonNode payload) throws StatementException {
        JsonNode iss = payload.get(Claim.ISS);
        if (iss == null) {
            throw refuse(Reason.MISSING_CLAIM, "the payload has no iss; set it to your principal name in the policy");
        }
        if (!iss.isTextual()) {
            throw refuse(Reason.INVALID_CLAIM, "iss must be a string (your principal name), got " + Json.typeName(iss)
                    + " " + Json.show(iss));
        }
        return iss.textValue();
    }

    private static String keyIds(Principal p) {
        if (p.keys().isEmpty()) {
            return "none";
        }
        return p.keys().stream().map(k -> k.name() + "+" + k.keyIdHex()).collect(Collectors.joining(", "));
    }

    /**
     * Verifies the signature with jjwt (BouncyCastle provider).
     *
     * @return null, or jjwt's message if it refused the claims after the signature verified
     */
    private String verifySignature(String compact, String[] parts, byte[] signature, VerifierKey key)
            throws StatementException {
        String badSignature = "the signature does not verify under " + key.name() + "+" + key.keyIdHex()
                + ": the statement was altered after signing, or signed with another key";
        if (signature.length != 64) {
            throw refuse(Reason.BAD_SIGNATURE, badSignature + " (an Ed25519 signature is 64 bytes, got "
                    + signature.length + ")");
        }
        if (signatures != null && signatures.contains(key, compact)) {
            return null;
        }
        try {
            parser(key).parseSignedClaims(compact);
            if (signatures != null) {
                signatures.add(key, compact);
            }
            return null;
        } catch (SignatureException e) {
            throw refuse(Reason.BAD_SIGNATURE, badSignature);
        } catch (ClaimJwtException e) {
            // jjwt judges time claims only after the signature verified; we judge time ourselves.
            return null;
        } catch (RuntimeException e) {
            // Anything else jjwt refused: settle authenticity with the key itself, so a refusal is
            // logged exactly when a principal really signed the statement.
            byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            if (!key.isValid(signingInput, signature)) {
                throw refuse(Reason.BAD_SIGNATURE, badSignature);
            }
            return e.getMessage();
        }
    }

    /**
     * One jjwt parser per key: building one is not free. The clock is fixed at the epoch so jjwt
     * never refuses for time (reference time is ours to apply, and may be an old log entry's).
     * jjwt refuses unsecured ({@code alg: none}) tokens because {@code unsecured()} is never set.
     */
    JwtParser parser(VerifierKey key) {
        JwtParser parser = parsers.get(key);
        if (parser != null) {
            return parser;
        }
        if (parsers.size() >= MAX_CACHED_PARSERS) {
            parsers.clear();
        }
        try {
            parser = Jwts.parser()
                    .provider(Jca.BC)
                    .verifyWith(JcaKeys.publicKey(key, Jca.BC))
                    .clock(() -> new Date(0))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("BouncyCastle cannot load an Ed25519 key", e);
        }
        parsers.putIfAbsent(key, parser);
        return parser;
    }

    private static void checkWindow(Checker c, long iat, long exp, Instant reference, VerifyMode mode)
            throws StatementException {
        Instant issued = Instant.ofEpochSecond(iat);
        Instant expires = Instant.ofEpochSecond(exp);
        if (exp <= iat) {
            throw c.refuse(Reason.INVALID_CLAIM, "exp (" + expires + ") must be after iat (" + issued + ")");
        }
        Duration window = Duration.ofSeconds(exp - iat);
        if (window.compareTo(MAX_LIFETIME) > 0) {
            throw c.refuse(Reason.WINDOW_TOO_LONG, "exp - iat is " + human(window) + " (iat " + issued + ", exp "
                    + expires + "); a statement may be valid for at most " + human(MAX_LIFETIME));
        }
        String ref = mode.clock().description() + " " + reference;
        if (reference.isBefore(issued.minus(CLOCK_SKEW))) {
            throw c.refuse(Reason.NOT_YET_VALID, "iat " + issued + " is " + human(Duration.between(reference, issued))
                    + " after " + ref + ", more than the " + human(CLOCK_SKEW)
                    + " of clock skew allowed; check the signer's clock");
        }
        if (reference.isAfter(expires.plus(CLOCK_SKEW))) {
            throw c.refuse(Reason.EXPIRED, "the statement expired at " + expires + ", "
                    + human(Duration.between(expires, reference)) + " before " + ref + " (" + human(CLOCK_SKEW)
                    + " of clock skew allowed); sign a new one");
        }
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return d.toMillis() % 1000 == 0 || s >= 10 ? s + " s" : d.toMillis() + " ms";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        if (s < 86400 * 2) {
            return (s / 3600) + " h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + " min");
        }
        return (s / 86400) + " days";
    }

    /** Claim checks after the signature verified: every refusal is authentic. */
    private static final class Checker {
        private final JsonNode payload;
        private final String issuer;
        private StatementType type;

        Checker(JsonNode payload, String issuer) {
            this.payload = payload;
            this.issuer = issuer;
        }

        StatementException refuse(Reason reason, String message) {
            return StatementException.authentic(reason, issuer, message);
        }

        private String where() {
            return type == null ? "" : " (" + type.typ() + ")";
        }

        JsonNode required(String claim) throws StatementException {
            JsonNode n = payload.get(claim);
            if (n == null) {
                throw refuse(Reason.MISSING_CLAIM, "claim " + claim + " is missing" + where());
            }
            return n;
        }

        String requiredString(String claim) throws StatementException {
            JsonNode n = required(claim);
            if (!n.isTextual()) {
                throw refuse(Reason.INVALID_CLAIM, "claim " + claim + " must be a string" + where() + ", got "
                        + Json.typeName(n) + " " + Json.show(n));
            }
            return n.textValue();
        }

        String requiredText(String claim) throws StatementException {
            String s = requiredString(claim);
            if (s.isBlank()) {
                throw refuse(Reason.INVALID_CLAIM, "claim " + claim + " must not be empty" + where());
            }
            return s;
        }

        Optional<String> optionalString(String claim) throws StatementException {
            return payload.has(claim) ? Optional.of(requiredString(claim)) : Optional.empty();
        }

        StatementType type(VerifyMode mode) throws StatementException {
            String typ = requiredString(Claim.TYP);
            StatementType t = StatementType.fromTyp(typ).orElseThrow(() -> refuse(Reason.WRONG_TYPE,
                    "typ " + Checks.quote(typ) + " is not a foureyes statement type; expected " + mode.acceptedTyps()));
            if (!mode.accepted().contains(t)) {
                throw refuse(Reason.WRONG_TYPE, "typ is " + t.typ() + " but " + mode.acceptedTyps()
                        + " is expected here; send it to the endpoint for " + t.typ());
            }
            this.type = t;
            return t;
        }

        long numericDate(String claim) throws StatementException {
            JsonNode n = required(claim);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0
                    || n.longValue() > MAX_NUMERIC_DATE) {
                throw refuse(Reason.INVALID_CLAIM, "claim " + claim + " must be whole seconds since 1970-01-01T00:00:00Z"
                        + " (a JSON integer), got " + Json.typeName(n) + " " + Json.show(n));
            }
            return n.longValue();
        }

        long changeId() throws StatementException {
            JsonNode n = required(Claim.CHANGE);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
                throw refuse(Reason.INVALID_CLAIM, "claim change must be a change id (a non-negative JSON integer)"
                        + where() + ", got " + Json.typeName(n) + " " + Json.show(n));
            }
            return n.longValue();
        }

        String hex64(String claim) throws StatementException {
            JsonNode n = required(claim);
            if (!n.isTextual() || !Checks.isHex64(n.textValue())) {
                throw refuse(Reason.INVALID_CLAIM, "claim " + claim + " must be a SHA-256 as 64 lowercase hex digits"
                        + where() + ", got " + Json.typeName(n) + " " + Json.show(n));
            }
            return n.textValue();
        }

        ChangeRequestClaims changeRequest() throws StatementException {
            String component = requiredText(Claim.COMPONENT);
            JsonNode baseNode = required(Claim.BASE);
            Optional<String> base = baseNode.isNull() ? Optional.empty() : Optional.of(hex64(Claim.BASE));
            JsonNode config = required(Claim.CONFIG);
            if (!config.isObject()) {
                throw refuse(Reason.INVALID_CLAIM, "claim config must be a JSON object (the whole new configuration)"
                        + where() + ", got " + Json.typeName(config));
            }
            String reason = requiredText(Claim.REASON);
            boolean emergency = false;
            if (payload.has(Claim.EMERGENCY)) {
                JsonNode e = payload.get(Claim.EMERGENCY);
                if (!e.isBoolean()) {
                    throw refuse(Reason.INVALID_CLAIM, "claim emergency must be true or false" + where() + ", got "
                            + Json.typeName(e) + " " + Json.show(e));
                }
                emergency = e.booleanValue();
            }
            return new ChangeRequestClaims(component, base, config, reason, emergency);
        }

        String configSha256(String payloadText) throws StatementException {
            try {
                return ConfigHash.sha256HexOfJson(Json.rawMember(payloadText, Claim.CONFIG));
            } catch (IOException | IllegalArgumentException e) {
                throw refuse(Reason.INVALID_CLAIM, "claim config cannot be hashed: " + e.getMessage()
                        + "; numbers must fit an IEEE 754 double and strings must be valid Unicode (RFC 8785)");
            }
        }

        DecisionClaims decision() throws StatementException {
            long change = changeId();
            String request = hex64(Claim.REQUEST);
            String value = requiredString(Claim.DECISION);
            DecisionClaims.Decision decision = DecisionClaims.Decision.fromJson(value).orElseThrow(() -> refuse(
                    Reason.INVALID_CLAIM, "claim decision must be \"approve\" or \"reject\", got " + Checks.quote(value)));
            return new DecisionClaims(change, request, decision, optionalString(Claim.COMMENT));
        }

        ReportClaims report() throws StatementException {
            String component = requiredText(Claim.COMPONENT);
            long change = changeId();
            String applied = hex64(Claim.APPLIED);
            String value = requiredString(Claim.STATUS);
            ReportClaims.Status status = ReportClaims.Status.fromJson(value).orElseThrow(() -> refuse(
                    Reason.INVALID_CLAIM, "claim status must be \"applied\", \"failed\" or \"drift\", got "
                            + Checks.quote(value)));
            return new ReportClaims(component, change, applied, status, optionalString(Claim.DETAIL));
        }

        /** A claim the type does not define is refused: the signer may believe it means something. */
        void noOtherClaims(StatementType t) throws StatementException {
            List<String> allowed = new ArrayList<>(Claim.COMMON);
            allowed.addAll(Claim.BY_TYPE.get(t));
            Iterator<String> names = payload.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw refuse(Reason.INVALID_CLAIM, "claim " + Checks.quote(name) + " is not defined for " + t.typ()
                            + "; its claims are " + String.join(", ", allowed));
                }
            }
        }
    }
}
