package org.foureyes.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.foureyes.statement.Fixture.ALICE;
import static org.foureyes.statement.Fixture.AUDIENCE;
import static org.foureyes.statement.Fixture.BOB;
import static org.foureyes.statement.Fixture.NOW;
import static org.foureyes.statement.Fixture.POLICY;
import static org.foureyes.statement.Fixture.kid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.foureyes.statement.StatementException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementVerifierTest {
    private static final String REQUEST_HASH = "ab".repeat(32);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatementVerifier verifier = new StatementVerifier();
    private final StatementSigner alice = Fixture.signer(ALICE);
    private final StatementSigner agent = Fixture.signer(Fixture.AGENT);

    private Statement verify(String compact, VerifyMode mode) throws StatementException {
        return verifier.verify(compact, POLICY, AUDIENCE, NOW, mode);
    }

    private StatementException refusal(String compact, VerifyMode mode) {
        StatementException e = catchThrowableOfType(StatementException.class, () -> verify(compact, mode));
        assertThat(e).as("statement should be refused").isNotNull();
        return e;
    }

    private StatementException refusal(String compact) {
        return refusal(compact, VerifyMode.online(StatementType.DECISION));
    }

    private static VerifyMode decisions() {
        return VerifyMode.online(StatementType.DECISION);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static String sha256Hex(String ascii) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ascii.getBytes(StandardCharsets.US_ASCII)));
    }

    // ---- round trips ----

    @Test
    void verify_changeRequestRoundTrip_returnsTypedClaims() throws Exception {
        JsonNode config = json("{\"exit\":{\"ports\":[80,443]},\"ratio\":0.5}");
        ChangeRequestClaims claims = ChangeRequestClaims.of("relay", Optional.of(REQUEST_HASH), config, "open 443");
        String compact = alice.sign(AUDIENCE, claims);

        Statement s = verify(compact, VerifyMode.online(StatementType.CHANGE_REQUEST));

        assertThat(s.type()).isEqualTo(StatementType.CHANGE_REQUEST);
        assertThat(s.issuer()).isEqualTo("alice");
        assertThat(s.keyId()).isEqualTo(kid(ALICE));
        assertThat(s.audience()).isEqualTo(AUDIENCE);
        assertThat(s.issuedAt()).isEqualTo(NOW);
        assertThat(s.expiresAt()).isEqualTo(NOW.plus(StatementSigner.DEFAULT_LIFETIME));
        assertThat(s.jti()).matches("[A-Za-z0-9_-]{22}");
        assertThat(s.claims()).isEqualTo(claims);
        assertThat(s.claims(ChangeRequestClaims.class).config()).isEqualTo(config);
        assertThat(s.configSha256()).contains(ConfigHash.sha256Hex(config));
        assertThat(s.sha256Hex()).isEqualTo(sha256Hex(compact));
        assertThat(s.compact()).isEqualTo(compact);
        assertThat(s.payload().get("iss").asText()).isEqualTo("alice");
    }

    @Test
    void verify_emergencyRequestWithoutBase_keepsNullBaseAndFlag() throws Exception {
        ChangeRequestClaims claims = new ChangeRequestClaims("relay", Optional.empty(),
                json("{\"capture\":{\"enabled\":false}}"), "stop capture now", true);

        Statement s = verify(alice.sign(AUDIENCE, claims), VerifyMode.online(StatementType.CHANGE_REQUEST));

        ChangeRequestClaims got = s.claims(ChangeRequestClaims.class);
        assertThat(got.base()).isEmpty();
        assertThat(got.emergency()).isTrue();
        assertThat(s.payload().get("base").isNull()).isTrue();
    }

    @Test
    void verify_decisionRoundTrip_returnsTypedClaims() throws Exception {
        StatementSigner bob = Fixture.signer(BOB);
        DecisionClaims claims = new DecisionClaims(7, REQUEST_HASH, DecisionClaims.Decision.REJECT, Optional.of("no"));

        Statement s = verify(bob.sign(AUDIENCE, claims), decisions());

        assertThat(s.claims()).isEqualTo(claims);
        assertThat(s.issuer()).isEqualTo("bob");
        assertThat(s.configSha256()).isEmpty();
    }

    @Test
    void verify_withdrawalRoundTrip_returnsTypedClaims() throws Exception {
        WithdrawalClaims claims = new WithdrawalClaims(7, REQUEST_HASH);

        Statement s = verify(alice.sign(AUDIENCE, claims), VerifyMode.online(StatementType.WITHDRAWAL));

        assertThat(s.claims()).isEqualTo(claims);
    }

    @Test
    void verify_reportRoundTrip_returnsTypedClaims() throws Exception {
        ReportClaims claims = new ReportClaims("relay", 7, REQUEST_HASH, ReportClaims.Status.DRIFT, Optional.of("torrc edited"));

        Statement s = verify(agent.sign(AUDIENCE, claims), VerifyMode.online(StatementType.REPORT));

        assertThat(s.claims()).isEqualTo(claims);
        assertThat(s.issuer()).isEqualTo("relay-agent");
    }

    @Test
    void verify_accessTokenRoundTrip_hasNoTypeClaims() throws Exception {
        Statement s = verify(alice.accessToken(AUDIENCE, Duration.ofMinutes(10)), VerifyMode.online(StatementType.ACCESS));

        assertThat(s.claims()).isEqualTo(AccessClaims.INSTANCE);
        assertThat(s.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    }

    @Test
    void verify_offlineAtEntryTimeYearsLater_acceptsWhatWasValidThen() throws Exception {
        String compact = alice.sign(AUDIENCE, DecisionClaims.approve(3, REQUEST_HASH));
        StatementVerifier fresh = new StatementVerifier();

        Statement s = fresh.verify(compact, POLICY, AUDIENCE, NOW.plusSeconds(1), VerifyMode.offline(StatementType.DECISION));

        assertThat(s.claims(DecisionClaims.class).decision()).isEqualTo(DecisionClaims.Decision.APPROVE);
    }

    // ---- algorithm ----

    @Test
    void verify_algNone_refusedAsBadAlgorithmBeforeKeyUse() {
        String token = Tokens.signingInput("{\"alg\":\"none\",\"kid\":\"" + kid(ALICE) + "\"}",
                Tokens.decisionPayload("alice")) + ".AA";

        StatementException e = refusal(token);

        assertThat(e.reason()).isEqualTo(Reason.BAD_ALGORITHM);
        assertThat(e.authentic()).isFalse();
        assertThat(e.issuer()).isEmpty();
        assertThat(e.getMessage()).contains("alg is \"none\"").contains("only EdDSA");
    }

    @Test
    void verify_algNoneWithEmptySignature_refusedAsMalformed() {
        String token = Tokens.signingInput("{\"alg\":\"none\"}", Tokens.decisionPayload("alice")) + ".";

        StatementException e = refusal(token);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("signature part of the statement is empty");
    }

    @Test
    void verify_hs256KeyedWithPublicKeyBytes_refusedAsBadAlgorithm() {
        String token = Tokens.hs256("{\"alg\":\"HS256\",\"kid\":\"" + kid(ALICE) + "\"}",
                Tokens.decisionPayload("alice"), ALICE.verifierKey().publicKey());

        StatementException e = refusal(token);

        assertThat(e.reason()).isEqualTo(Reason.BAD_ALGORITHM);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("alg is \"HS256\"").contains("EdDSA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "PS256", "Ed25519", "eddsa", "EdDSA "})
    void verify_otherAlgorithmHeader_refusedAsBadAlgorithm(String alg) {
        String token = Tokens.ed25519("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid(ALICE) + "\"}",
                Tokens.decisionPayload("alice"), ALICE);

        StatementException e = refusal(token);

        assertThat(e.reason()).isEqualTo(Reason.BAD_ALGORITHM);
        assertThat(e.getMessage()).contains("alg is \"" + alg + "\"");
    }

    @Test
    void verify_missingAlg_refusedAsBadAlgorithm() {
        String token = Tokens.ed25519("{\"kid\":\"" + kid(ALICE) + "\"}", Tokens.decisionPayload("alice"), ALICE);

        StatementException e = refusal(token);

        assertThat(e.reason()).isEqualTo(Reason.BAD_ALGORITHM);
        assertThat(e.getMessage()).contains("has no alg");
    }

    @Test
    void jjwtParser_unsecuredToken_refusedEvenWithoutOurChecks() {
        String token = Tokens.signingInput("{\"alg\":\"none\"}", Tokens.decisionPayload("alice")) + ".";

        Throwable t = catchThrowableOfType(RuntimeException.class,
                () -> verifier.parser(ALICE.verifierKey()).parseSignedClaims(token));

        assertThat(t).isInstanceOf(io.jsonwebtoken.JwtException.class);
    }

    // ---- header ----

    @ParameterizedTest
    @ValueSource(strings = {"\"crit\":[\"b64\"],\"b64\":false", "\"jwk\":{}", "\"zip\":\"DEF\"", "\"typ\":\"foureyes\""})
    void verify_extraHeaderMember_refusedAsMalformed(String member) {
        String header = "{\"alg\":\"EdDSA\",\"kid\":\"" + kid(ALICE) + "\"," + member + "}";

        StatementException e = refusal(Tokens.ed25519(header, Tokens.decisionPayload("alice"), ALICE));

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("header");
    }

    @Test
    void verify_headerTypJwt_accepted() throws Exception {
        String header = "{\"typ\":\"JWT\",\"alg\":\"EdDSA\",\"kid\":\"" + kid(ALICE) + "\"}";

        Statement s = verify(Tokens.ed25519(header, Tokens.decisionPayload("alice"), ALICE), decisions());

        assertThat(s.issuer()).isEqualTo("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice+1234", "alice+ABCDEF01", "+12345678", "al ice+12345678"})
    void verify_malformedKid_refusedAsMalformed(String kid) {
        String header = "{\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\"}";

        StatementException e = refusal(Tokens.ed25519(header, Tokens.decisionPayload("alice"), ALICE));

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("kid is \"" + kid + "\"").contains("<name>+<8 lowercase hex key id>");
    }

    @Test
    void verify_missingKid_refusedAsMalformed() {
        StatementException e = refusal(Tokens.ed25519("{\"alg\":\"EdDSA\"}", Tokens.decisionPayload("alice"), ALICE));

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("no kid");
    }

    // ---- keys and issuer ----

    @Test
    void verify_unknownKidOfIssuer_refusedAsUnknownKey() {
        String header = "{\"alg\":\"EdDSA\",\"kid\":\"alice+00000000\"}";

        StatementException e = refusal(Tokens.ed25519(header, Tokens.decisionPayload("alice"), ALICE));

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("kid \"alice+00000000\" is not a key of alice")
                .contains("alice's keys are " + kid(ALICE));
    }

    @Test
    void verify_kidAndSignatureOfAnotherPrincipal_refusedAsUnknownKey() {
        // bob signs with his own key but claims to be alice
        StatementException e = refusal(Tokens.ed25519(Tokens.decisionPayload("alice"), BOB));

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("kid \"" + kid(BOB) + "\" is not a key of alice")
                .contains(kid(ALICE));
    }

    @Test
    void verify_issuerNotInPolicy_refusedAsUnknownIssuer() {
        StatementException e = refusal(Tokens.ed25519(Tokens.decisionPayload("mallory"), Fixture.MALLORY));

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ISSUER);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("iss \"mallory\" is not a principal of policy test-policy")
                .contains("alice, bob, relay-agent");
    }

    @Test
    void verify_missingIss_refusedAsMissingClaimUnauthenticated() {
        String payload = Tokens.decisionPayload("alice").replace("\"iss\":\"alice\",", "");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE));

        assertThat(e.reason()).isEqualTo(Reason.MISSING_CLAIM);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("no iss");
    }

    // ---- signature ----

    @Test
    void verify_tamperedPayload_refusedAsBadSignatureNotAuthentic() {
        String good = alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH));
        String[] parts = good.split("\\.");
        String tamperedPayload = Tokens.b64(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8).replace("\"change\":5", "\"change\":6"));

        StatementException e = refusal(parts[0] + "." + tamperedPayload + "." + parts[2]);

        assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("does not verify under " + kid(ALICE)).contains("altered");
    }

    @Test
    void verify_signedByUnlistedKeyWithListedKid_refusedAsBadSignature() {
        // a forger's key that happens to be named alice; the kid names alice's real key
        String token = Tokens.ed25519(Tokens.header(ALICE), Tokens.decisionPayload("alice"), Fixture.FAKE_ALICE);

        StatementException e = refusal(token);

        assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(e.authentic()).isFalse();
    }

    @Test
    void verify_truncatedSignature_refusedAsBadSignature() {
        String good = alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH));
        String input = good.substring(0, good.lastIndexOf('.'));

        StatementException e = refusal(input + "." + Tokens.b64(new byte[63]));

        assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(e.getMessage()).contains("64 bytes, got 63");
    }

    // ---- type, audience, time (authentic refusals) ----

    @Test
    void verify_validSignatureWrongTyp_refusedAsWrongTypeAuthentic() {
        String compact = alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH));

        StatementException e = refusal(compact, VerifyMode.online(StatementType.CHANGE_REQUEST));

        assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
        assertThat(e.authentic()).isTrue();
        assertThat(e.issuer()).contains("alice");
        assertThat(e.getMessage()).contains("typ is foureyes.decision/v1 but foureyes.change-request/v1 is expected");
    }

    @Test
    void verify_unknownTyp_refusedAsWrongType() {
        String payload = Tokens.decisionPayload("alice").replace("foureyes.decision/v1", "foureyes.decision/v2");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE));

        assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
        assertThat(e.authentic()).isTrue();
        assertThat(e.getMessage()).contains("\"foureyes.decision/v2\" is not a foureyes statement type")
                .contains("expected foureyes.decision/v1");
    }

    @Test
    void verify_wrongAudience_refusedAsWrongAudienceAuthentic() {
        String compact = alice.sign("other.example/log", DecisionClaims.approve(5, REQUEST_HASH));

        StatementException e = refusal(compact);

        assertThat(e.reason()).isEqualTo(Reason.WRONG_AUDIENCE);
        assertThat(e.authentic()).isTrue();
        assertThat(e.getMessage()).contains("aud is \"other.example/log\"").contains("\"" + AUDIENCE + "\"");
    }

    @Test
    void verify_expiredBeyondSkew_refusedAsExpired() {
        String compact = alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH), Duration.ofMinutes(5));
        Instant late = NOW.plus(Duration.ofMinutes(7)).plusSeconds(1);

        StatementException e = catchThrowableOfType(StatementException.class,
                () -> verifier.verify(compact, POLICY, AUDIENCE, late, decisions()));

        assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(e.authentic()).isTrue();
        assertThat(e.getMessage()).contains("expired at 2026-11-25T08:05:00Z")
                .contains("2 min 1 s before the server's time 2026-11-25T08:07:01Z");
    }

    @Test
    void verify_expiredWithinSkew_accepted() throws Exception {
        String compact = alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH), Duration.ofMinutes(5));

        Statement s = verifier.verify(compact, POLICY, AUDIENCE, NOW.plus(Duration.ofMinutes(7)), decisions());

        assertThat(s.issuer()).isEqualTo("alice");
    }

    @Test
    void verify_offlineExpired_namesLogEntryTime() {
        String compact = alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH));

        StatementException e = catchThrowableOfType(StatementException.class, () -> verifier.verify(compact, POLICY,
                AUDIENCE, NOW.plus(Duration.ofDays(3)), VerifyMode.offline(StatementType.DECISION)));

        assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
        assertThat(e.getMessage()).contains("the log entry's time 2026-11-28T08:00:00Z");
    }

    @Test
    void verify_futureIatBeyondSkew_refusedAsNotYetValid() {
        String payload = Tokens.payload("alice", "foureyes.access/v1", NOW.getEpochSecond() + 121,
                NOW.getEpochSecond() + 300, "\"jti\":\"x\"");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.ACCESS));

        assertThat(e.reason()).isEqualTo(Reason.NOT_YET_VALID);
        assertThat(e.authentic()).isTrue();
        assertThat(e.getMessage()).contains("iat 2026-11-25T08:02:01Z is 2 min 1 s after the server's time")
                .contains("check the signer's clock");
    }

    @Test
    void verify_futureIatWithinSkew_accepted() throws Exception {
        String payload = Tokens.payload("alice", "foureyes.access/v1", NOW.getEpochSecond() + 120,
                NOW.getEpochSecond() + 300, "\"jti\":\"x\"");

        Statement s = verify(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.ACCESS));

        assertThat(s.issuedAt()).isEqualTo(NOW.plusSeconds(120));
    }

    @Test
    void verify_windowLongerThanTenMinutes_refusedAsWindowTooLong() {
        String payload = Tokens.payload("alice", "foureyes.access/v1", NOW.getEpochSecond(),
                NOW.getEpochSecond() + 601, "\"jti\":\"x\"");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.ACCESS));

        assertThat(e.reason()).isEqualTo(Reason.WINDOW_TOO_LONG);
        assertThat(e.authentic()).isTrue();
        assertThat(e.getMessage()).contains("exp - iat is 10 min 1 s").contains("at most 10 min");
    }

    @Test
    void verify_windowOfExactlyTenMinutes_accepted() throws Exception {
        String payload = Tokens.payload("alice", "foureyes.access/v1", NOW.getEpochSecond(),
                NOW.getEpochSecond() + 600, "\"jti\":\"x\"");

        assertThat(verify(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.ACCESS)).jti()).isEqualTo("x");
    }

    @Test
    void verify_expNotAfterIat_refusedAsInvalidClaim() {
        String payload = Tokens.payload("alice", "foureyes.access/v1", NOW.getEpochSecond(),
                NOW.getEpochSecond(), "\"jti\":\"x\"");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.ACCESS));

        assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIM);
        assertThat(e.getMessage()).contains("exp (2026-11-25T08:00:00Z) must be after iat (2026-11-25T08:00:00Z)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "\"1764057600\"", "-1", "1e3", "true"})
    void verify_nonIntegerIat_refusedAsInvalidClaim(String iat) {
        String payload = "{\"typ\":\"foureyes.access/v1\",\"iss\":\"alice\",\"aud\":\"" + AUDIENCE + "\",\"iat\":" + iat
                + ",\"exp\":" + (NOW.getEpochSecond() + 60) + ",\"jti\":\"x\"}";

        StatementException e = refusal(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.ACCESS));

        assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIM);
        assertThat(e.authentic()).isTrue();
        assertThat(e.getMessage()).contains("claim iat must be whole seconds").contains("got ");
    }

    // ---- jti ----

    @Test
    void verify_missingJti_refusedAsMissingClaimAuthentic() {
        String payload = Tokens.decisionPayload("alice").replace("\"jti\":\"j-1\",", "");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE));

        assertThat(e.reason()).isEqualTo(Reason.MISSING_CLAIM);
        assertThat(e.authentic()).isTrue();
        assertThat(e.getMessage()).isEqualTo("claim jti is missing (foureyes.decision/v1)");
    }

    @Test
    void verify_jtiLongerThan128_refusedAsInvalidClaim() {
        String payload = Tokens.decisionPayload("alice").replace("\"jti\":\"j-1\"", "\"jti\":\"" + "x".repeat(129) + "\"");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE));

        assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIM);
        assertThat(e.getMessage()).contains("jti must be 1 to 128").contains("(129 characters)");
    }

    @Test
    void jtiLedger_replayedStatement_refusedAsReplayedAuthentic() throws Exception {
        JtiLedger ledger = JtiLedger.inMemory();
        Statement s = verify(alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH)), decisions());
        ledger.checkAndRecord(s);

        StatementException e = catchThrowableOfType(StatementException.class, () -> ledger.checkAndRecord(s));

        assertThat(e.reason()).isEqualTo(Reason.REPLAYED);
        assertThat(e.authentic()).isTrue();
        assertThat(e.issuer()).contains("alice");
        assertThat(e.getMessage()).contains("jti \"" + s.jti() + "\"").contains("already in the log");
    }

    @Test
    void jtiLedger_reusedAccessToken_accepted() throws Exception {
        JtiLedger ledger = JtiLedger.inMemory();
        Statement s = verify(alice.accessToken(AUDIENCE, Duration.ofMinutes(5)), VerifyMode.online(StatementType.ACCESS));

        ledger.checkAndRecord(s);
        ledger.checkAndRecord(s);

        assertThat(ledger.seen(s.jti())).isFalse();
    }

    // ---- duplicate members ----

    @Test
    void verify_duplicateMemberInHeader_refusedUnauthenticated() {
        String header = "{\"alg\":\"EdDSA\",\"kid\":\"" + kid(ALICE) + "\",\"alg\":\"none\"}";

        StatementException e = refusal(Tokens.ed25519(header, Tokens.decisionPayload("alice"), ALICE));

        assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_MEMBER);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("header has a duplicate member \"alg\"");
    }

    @Test
    void verify_duplicateMemberInPayload_refusedUnauthenticated() {
        String payload = Tokens.decisionPayload("alice").replace("\"decision\":\"approve\"",
                "\"decision\":\"approve\",\"decision\":\"reject\"");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE));

        assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_MEMBER);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("payload has a duplicate member \"decision\"");
    }

    @Test
    void verify_duplicateMemberInsideConfig_refused() {
        String payload = Tokens.payload("alice", "foureyes.change-request/v1", NOW.getEpochSecond(),
                NOW.getEpochSecond() + 60, "\"jti\":\"x\",\"component\":\"relay\",\"base\":null,"
                        + "\"config\":{\"a\":{\"b\":1,\"b\":2}},\"reason\":\"r\"");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.CHANGE_REQUEST));

        assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_MEMBER);
        assertThat(e.getMessage()).contains("duplicate member \"b\"");
    }

    // ---- structure ----

    @Test
    void verify_oversized_refusedAsTooLarge() {
        String big = "a".repeat(StatementVerifier.MAX_COMPACT_LENGTH + 1);

        StatementException e = refusal(big);

        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.authentic()).isFalse();
        assertThat(e.getMessage()).contains("65537 characters; at most 65536");
    }

    @Test
    void verify_largeConfigJustUnderLimit_accepted() throws Exception {
        JsonNode config = JSON.createObjectNode().put("blob", "x".repeat(40_000));

        Statement s = verify(alice.sign(AUDIENCE, ChangeRequestClaims.of("relay", Optional.empty(), config, "big")),
                VerifyMode.online(StatementType.CHANGE_REQUEST));

        assertThat(s.compact().length()).isLessThan(StatementVerifier.MAX_COMPACT_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc.def", "a.b.c.d", "nodots", "a.b.c.d.e"})
    void verify_wrongNumberOfParts_refusedAsMalformed(String token) {
        StatementException e = refusal(token);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("3 base64url parts").contains("got " + token.split("\\.", -1).length + " part");
    }

    @Test
    void verify_fourPartsFromValidToken_refusedAsMalformed() {
        String good = alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH));

        StatementException e = refusal(good + ".AAAA");

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("got 4 parts");
    }

    @Test
    void verify_garbageBase64_refusedAsMalformed() {
        StatementException e = refusal("eyJhbGciOi*.abc.def");

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("header part is not unpadded base64url")
                .contains("character '*' at position 10");
    }

    @Test
    void verify_paddedBase64_refusedAsMalformed() {
        String good = alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH));
        String[] parts = good.split("\\.");

        StatementException e = refusal(parts[0] + "." + parts[1] + "." + parts[2] + "==");

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("signature part").contains("'='").contains("(no padding)");
    }

    @Test
    void verify_nonCanonicalBase64TrailingBits_refusedAsMalformed() {
        String good = alice.sign(AUDIENCE, DecisionClaims.approve(5, REQUEST_HASH));
        String[] parts = good.split("\\.");
        // 64 bytes take 86 characters; the last one carries 2 bits and 4 zero bits (A, Q, g or w).
        // The next character of the alphabet sets one of the zero bits: same bytes, other spelling.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = parts[2].charAt(85);
        String sig = parts[2].substring(0, 85) + alphabet.charAt(alphabet.indexOf(last) + 1);

        StatementException e = refusal(parts[0] + "." + parts[1] + "." + sig);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("signature part").contains("not the canonical spelling");
    }

    @Test
    void verify_headerNotJson_refusedAsMalformed() {
        StatementException e = refusal(Tokens.b64("not json") + "." + Tokens.b64("{}") + ".AAAA");

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).startsWith("the header is not valid JSON");
    }

    @Test
    void verify_payloadNotUtf8_refusedAsMalformed() {
        String token = Tokens.b64(Tokens.header(ALICE).getBytes(StandardCharsets.UTF_8)) + "."
                + Tokens.b64(new byte[] {'{', (byte) 0xff, '}'}) + ".AAAA";

        StatementException e = refusal(token);

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).isEqualTo("the payload is not valid UTF-8");
    }

    @Test
    void verify_payloadArray_refusedAsMalformed() {
        StatementException e = refusal(Tokens.ed25519("[1,2]", ALICE));

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).isEqualTo("the payload is not a JSON object");
    }

    // ---- per-type claims ----

    @ParameterizedTest
    @ValueSource(strings = {
        "\"change\":\"5\"|claim change must be a change id (a non-negative JSON integer) (foureyes.decision/v1), got string \"5\"",
        "\"change\":-1|got number -1",
        "\"change\":5.0|got number 5.0",
        "\"decision\":\"maybe\"|claim decision must be \"approve\" or \"reject\", got \"maybe\"",
        "\"request\":\"ABAB\"|claim request must be a SHA-256 as 64 lowercase hex digits",
        "\"comment\":7|claim comment must be a string (foureyes.decision/v1), got number 7",
        "\"nbf\":1|claim \"nbf\" is not defined for foureyes.decision/v1"})
    void verify_badDecisionClaim_refusedAsInvalidClaim(String spec) {
        String[] s = spec.split("\\|");
        String member = s[0];
        String name = member.substring(1, member.indexOf('"', 1));
        String payload = Tokens.decisionPayload("alice");
        payload = payload.contains("\"" + name + "\":")
                ? payload.replaceAll("\"" + name + "\":(\"[^\"]*\"|[0-9]+)", java.util.regex.Matcher.quoteReplacement(member))
                : payload.replace("}", "," + member + "}");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE));

        assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIM);
        assertThat(e.authentic()).isTrue();
        assertThat(e.getMessage()).contains(s[1]);
    }

    @Test
    void verify_decisionWithoutRequest_refusedAsMissingClaim() {
        String payload = Tokens.decisionPayload("alice").replaceAll(",\"request\":\"[0-9a-f]+\"", "");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE));

        assertThat(e.reason()).isEqualTo(Reason.MISSING_CLAIM);
        assertThat(e.getMessage()).isEqualTo("claim request is missing (foureyes.decision/v1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"config\":[1]|claim config must be a JSON object",
        "\"config\":{},\"base\":\"AB\"|claim base must be a SHA-256",
        "\"config\":{},\"reason\":\" \"|claim reason must not be empty",
        "\"config\":{},\"emergency\":\"yes\"|claim emergency must be true or false"})
    void verify_badChangeRequestClaim_refusedAsInvalidClaim(String spec) {
        String[] s = spec.split("\\|");
        String rest = "\"jti\":\"x\",\"component\":\"relay\"," + s[0];
        if (!s[0].contains("\"base\"")) {
            rest += ",\"base\":null";
        }
        if (!s[0].contains("\"reason\"")) {
            rest += ",\"reason\":\"because\"";
        }
        String payload = Tokens.payload("alice", "foureyes.change-request/v1", NOW.getEpochSecond(),
                NOW.getEpochSecond() + 60, rest);

        StatementException e = refusal(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.CHANGE_REQUEST));

        assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIM);
        assertThat(e.authentic()).isTrue();
        assertThat(e.getMessage()).contains(s[1]);
    }

    @Test
    void verify_changeRequestWithoutBase_refusedAsMissingClaim() {
        String payload = Tokens.payload("alice", "foureyes.change-request/v1", NOW.getEpochSecond(),
                NOW.getEpochSecond() + 60, "\"jti\":\"x\",\"component\":\"relay\",\"config\":{},\"reason\":\"r\"");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.CHANGE_REQUEST));

        assertThat(e.reason()).isEqualTo(Reason.MISSING_CLAIM);
        assertThat(e.getMessage()).isEqualTo("claim base is missing (foureyes.change-request/v1)");
    }

    @Test
    void verify_reportWithUnknownStatus_refusedAsInvalidClaim() {
        String payload = Tokens.payload("relay-agent", "foureyes.report/v1", NOW.getEpochSecond(),
                NOW.getEpochSecond() + 60, "\"jti\":\"x\",\"component\":\"relay\",\"change\":3,\"applied\":\""
                        + REQUEST_HASH + "\",\"status\":\"done\"");

        StatementException e = refusal(Tokens.ed25519(payload, Fixture.AGENT), VerifyMode.online(StatementType.REPORT));

        assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIM);
        assertThat(e.issuer()).contains("relay-agent");
        assertThat(e.getMessage()).isEqualTo("claim status must be \"applied\", \"failed\" or \"drift\", got \"done\"");
    }

    @Test
    void verify_accessTokenWithExtraClaim_refusedAsInvalidClaim() {
        String payload = Tokens.payload("alice", "foureyes.access/v1", NOW.getEpochSecond(),
                NOW.getEpochSecond() + 60, "\"jti\":\"x\",\"scope\":\"admin\"");

        StatementException e = refusal(Tokens.ed25519(payload, ALICE), VerifyMode.online(StatementType.ACCESS));

        assertThat(e.reason()).isEqualTo(Reason.INVALID_CLAIM);
        assertThat(e.getMessage()).contains("claim \"scope\" is not defined for foureyes.access/v1")
                .contains("its claims are typ, iss, aud, iat, exp, jti");
    }

    @Test
    void reason_slug_isLowerHyphenated() {
        assertThat(Reason.BAD_SIGNATURE.slug()).isEqualTo("bad-signature");
        assertThat(Reason.WINDOW_TOO_LONG.slug()).isEqualTo("window-too-long");
    }
}
