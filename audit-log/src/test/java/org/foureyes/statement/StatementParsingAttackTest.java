package org.foureyes.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.foureyes.statement.Fixture.ALICE;
import static org.foureyes.statement.Fixture.AUDIENCE;
import static org.foureyes.statement.Fixture.BOB;
import static org.foureyes.statement.Fixture.NOW;
import static org.foureyes.statement.Fixture.POLICY;
import static org.foureyes.statement.Fixture.kid;
import static org.junit.jupiter.api.Named.named;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.statement.StatementException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statement forgery and parsing attacks (issue 13): malformed and hostile statements thrown at
 * {@link StatementVerifier}. Each is refused with a stable reason, a stable message fragment and
 * the right authenticity, and leaves the verifier's caches as they were. Most are correctly signed
 * by alice, so that only the parsing stands between them and acceptance. The same attacks go
 * through HTTP in the server's StatementParsingAttackAppTest.
 */
class StatementParsingAttackTest {
    private static final long IAT = NOW.getEpochSecond();
    private static final String CR = "foureyes.change-request/v1";

    /** One attack: the compact statement and what its refusal must say. */
    record Attack(String compact, Reason reason, boolean authentic, String message) {
    }

    private final SignatureCache signatures = new SignatureCache(64);
    private final VerifiedStatements verified = new VerifiedStatements(64);
    private final StatementVerifier verifier = new StatementVerifier(signatures, verified);

    // ---- building hostile statements ----

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof String s ? utf8(s) : (byte[]) p;
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    /** Signs exactly these header and payload bytes with {@code key} (Ed25519 over the JWS signing input). */
    static String signBytes(byte[] header, byte[] payload, SignerKey key) {
        String input = Tokens.b64(header) + "." + Tokens.b64(payload);
        return input + "." + Tokens.b64(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    static String signed(String payloadJson) {
        return signBytes(utf8(Tokens.header(ALICE)), utf8(payloadJson), ALICE);
    }

    /** A change request by alice for relay whose config member is {@code configJson}, verbatim. */
    static String changeRequest(String configJson) {
        return Tokens.payload("alice", CR, IAT, IAT + 60, "\"jti\":\"j-1\",\"component\":\"relay\",\"base\":null,"
                + "\"config\":" + configJson + ",\"reason\":\"because\"");
    }

    static String accessPayload(String iat, String exp) {
        return "{\"typ\":\"foureyes.access/v1\",\"iss\":\"alice\",\"aud\":\"" + AUDIENCE + "\",\"iat\":" + iat
                + ",\"exp\":" + exp + ",\"jti\":\"x\"}";
    }

    private static Arguments attack(String name, String compact, Reason reason, boolean authentic, String message) {
        return Arguments.of(named(name, new Attack(compact, reason, authentic, message)));
    }

    static Stream<Arguments> attacks() {
        List<Arguments> a = new ArrayList<>();
        String good = signed(changeRequest("{\"contact\":\"ops@example.org\"}"));
        String[] parts = good.split("\\.");

        // -- algorithms and header members
        a.add(attack("alg none", Tokens.signingInput("{\"alg\":\"none\",\"kid\":\"" + kid(ALICE) + "\"}",
                changeRequest("{}")) + ".AA", Reason.BAD_ALGORITHM, false, "only EdDSA"));
        a.add(attack("alg HS256 keyed with the public key", Tokens.hs256("{\"alg\":\"HS256\",\"kid\":\"" + kid(ALICE)
                + "\"}", changeRequest("{}"), ALICE.verifierKey().publicKey()), Reason.BAD_ALGORITHM, false,
                "alg is \"HS256\""));
        for (String alg : List.of("ES256", "RS256", "EdDSA\\u0000", "ED25519")) {
            a.add(attack("alg " + alg, signBytes(utf8("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid(ALICE) + "\"}"),
                    utf8(changeRequest("{}")), ALICE), Reason.BAD_ALGORITHM, false, "only EdDSA"));
        }
        a.add(attack("alg as array", signBytes(utf8("{\"alg\":[\"EdDSA\"],\"kid\":\"" + kid(ALICE) + "\"}"),
                utf8(changeRequest("{}")), ALICE), Reason.BAD_ALGORITHM, false, "only EdDSA"));
        a.add(attack("crit header", signBytes(utf8("{\"alg\":\"EdDSA\",\"kid\":\"" + kid(ALICE)
                + "\",\"crit\":[\"exp\"]}"), utf8(changeRequest("{}")), ALICE), Reason.MALFORMED, false, "crit"));
        a.add(attack("b64 false header", signBytes(utf8("{\"alg\":\"EdDSA\",\"kid\":\"" + kid(ALICE)
                + "\",\"b64\":false}"), utf8(changeRequest("{}")), ALICE), Reason.MALFORMED, false, "b64"));
        a.add(attack("jwk header naming the signer's own key", signBytes(utf8("{\"alg\":\"EdDSA\",\"kid\":\""
                + kid(ALICE) + "\",\"jwk\":{\"kty\":\"OKP\"}}"), utf8(changeRequest("{}")), ALICE),
                Reason.MALFORMED, false, "jwk"));
        a.add(attack("kid of another principal, signed by that principal", signBytes(utf8(Tokens.header(BOB)),
                utf8(changeRequest("{}")), BOB), Reason.UNKNOWN_KEY, false, "is not a key of alice"));
        a.add(attack("kid of alice, signed by bob", signBytes(utf8(Tokens.header(ALICE)), utf8(changeRequest("{}")),
                BOB), Reason.BAD_SIGNATURE, false, "signature"));

        // -- duplicate member names
        a.add(attack("duplicate alg in header", signBytes(utf8("{\"alg\":\"EdDSA\",\"kid\":\"" + kid(ALICE)
                + "\",\"alg\":\"none\"}"), utf8(changeRequest("{}")), ALICE), Reason.DUPLICATE_MEMBER, false, "\"alg\""));
        a.add(attack("duplicate iss in payload", signed(changeRequest("{}").replace("\"iss\":\"alice\"",
                "\"iss\":\"alice\",\"iss\":\"bob\"")), Reason.DUPLICATE_MEMBER, false, "\"iss\""));
        a.add(attack("duplicate member deep inside config", signed(changeRequest("{\"a\":[{\"b\":1,\"b\":2}]}")),
                Reason.DUPLICATE_MEMBER, false, "\"b\""));
        a.add(attack("duplicate member spelled with an escape", signed(changeRequest("{}").replace("\"iss\":\"alice\"",
                "\"iss\":\"alice\",\"\\u0069ss\":\"bob\"")), Reason.DUPLICATE_MEMBER, false, "\"iss\""));

        // -- base64url spelling and white space in the compact form
        a.add(attack("padding on the payload", parts[0] + "." + parts[1] + "=." + parts[2], Reason.MALFORMED, false,
                "(no padding)"));
        a.add(attack("standard alphabet", parts[0] + "." + parts[1].replace('-', '+').replace('_', '/') + "+." + parts[2],
                Reason.MALFORMED, false, "not in the alphabet"));
        a.add(attack("leading space", " " + good, Reason.MALFORMED, false, "U+0020"));
        a.add(attack("trailing newline", good + "\n", Reason.MALFORMED, false, "U+000A"));
        a.add(attack("line break inside the payload part", parts[0] + "." + parts[1].substring(0, 8) + "\r\n"
                + parts[1].substring(8) + "." + parts[2], Reason.MALFORMED, false, "not in the alphabet"));
        a.add(attack("empty payload part", parts[0] + ".." + parts[2], Reason.MALFORMED, false, "empty"));

        // -- numbers in iat and exp
        a.add(attack("iat 1e400", signed(accessPayload("1e400", Long.toString(IAT + 60))), Reason.MALFORMED, false,
                "outside the range of an IEEE 754 double"));
        a.add(attack("iat -1e400", signed(accessPayload("-1e400", Long.toString(IAT + 60))), Reason.MALFORMED, false,
                "outside the range"));
        a.add(attack("iat 1e-400", signed(accessPayload("1e-400", Long.toString(IAT + 60))), Reason.MALFORMED, false,
                "would read as 0"));
        a.add(attack("exp beyond 2^53", signed(accessPayload(Long.toString(IAT), "9007199254740993")),
                Reason.MALFORMED, false, "beyond ±(2^53−1)"));
        a.add(attack("exp with 400 digits", signed(accessPayload(Long.toString(IAT), "1" + "0".repeat(400))),
                Reason.MALFORMED, false, "beyond ±(2^53−1)"));
        a.add(attack("iat 1.0", signed(accessPayload(IAT + ".0", Long.toString(IAT + 60))), Reason.INVALID_CLAIM,
                true, "claim iat must be whole seconds"));
        a.add(attack("exp -0", signed(accessPayload(Long.toString(IAT), "-0")), Reason.INVALID_CLAIM, true,
                "must be after iat"));
        a.add(attack("iat -0", signed(accessPayload("-0", "60")), Reason.EXPIRED, true, "expired"));
        a.add(attack("iat as string", signed(accessPayload("\"" + IAT + "\"", Long.toString(IAT + 60))),
                Reason.INVALID_CLAIM, true, "claim iat must be whole seconds"));

        // -- depth and size
        a.add(attack("config nested 100 deep", signed(changeRequest("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")),
                Reason.MALFORMED, false, "nesting depth"));
        a.add(attack("payload nested 20,000 deep", signed("[".repeat(20_000)), Reason.MALFORMED, false, "nesting depth"));
        a.add(attack("huge string", signed(changeRequest("{\"contact\":\"" + "x".repeat(70_000) + "\"}")),
                Reason.TOO_LARGE, false, "at most 65536"));

        // -- lone surrogates in every claim, escaped
        for (String claim : List.of("typ", "iss", "aud", "jti", "component", "reason")) {
            String payload = changeRequest("{}").replaceFirst("\"" + claim + "\":\"", "\"" + claim + "\":\"\\\\ud800");
            a.add(attack("lone high surrogate in " + claim, signed(payload), Reason.MALFORMED, false,
                    "the string at \"/" + claim + "\" holds a lone surrogate \\ud800"));
        }
        a.add(attack("lone surrogate in config (issue 13 item 4)", signed(changeRequest(
                "{\"contact\":\"\\ud800@example.org\"}")), Reason.MALFORMED, false,
                "the string at \"/config/contact\" holds a lone surrogate \\ud800"));
        a.add(attack("lone low surrogate in a config member name", signed(changeRequest("{\"\\udc00\":1}")),
                Reason.MALFORMED, false, "holds a lone surrogate \\udc00"));
        a.add(attack("surrogates in the wrong order", signed(changeRequest("{\"a\":\"\\udc00\\ud800\"}")),
                Reason.MALFORMED, false, "lone surrogate \\udc00"));
        a.add(attack("lone surrogate in a claim name", signed(changeRequest("{}").replace("\"reason\"",
                "\"reason\\ud800\"")), Reason.MALFORMED, false, "member name"));
        a.add(attack("lone surrogate in kid", signBytes(utf8("{\"alg\":\"EdDSA\",\"kid\":\"alice\\udbff+"
                + ALICE.verifierKey().keyIdHex() + "\"}"), utf8(changeRequest("{}")), ALICE), Reason.MALFORMED, false,
                "lone surrogate \\udbff"));
        a.add(attack("noncharacter U+FFFF in reason", signed(changeRequest("{}").replace("because", "because\\uffff")),
                Reason.MALFORMED, false, "noncharacter U+FFFF"));

        // -- bytes that are not UTF-8
        a.add(attack("raw surrogate encoded in UTF-8 (CESU-8)", signBytes(utf8(Tokens.header(ALICE)),
                join("{\"iss\":\"alice\",\"c\":\"", hex("eda080"), "\"}"), ALICE), Reason.MALFORMED, false,
                "not valid UTF-8"));
        a.add(attack("byte 0xff", signBytes(utf8(Tokens.header(ALICE)), join("{\"iss\":\"alice\",\"c\":\"", hex("ff"),
                "\"}"), ALICE), Reason.MALFORMED, false, "not valid UTF-8"));
        a.add(attack("overlong '/' (c0 af)", signBytes(utf8(Tokens.header(ALICE)), join("{\"iss\":\"alice\",\"c\":\"",
                hex("c0af"), "\"}"), ALICE), Reason.MALFORMED, false, "not valid UTF-8"));
        a.add(attack("overlong '\"' (e0 80 a2) closing the string early", signBytes(utf8(Tokens.header(ALICE)),
                join("{\"iss\":\"alice\",\"c\":\"", hex("e080a2"), "}"), ALICE), Reason.MALFORMED, false,
                "not valid UTF-8"));
        a.add(attack("overlong NUL (c0 80)", signBytes(utf8(Tokens.header(ALICE)), join("{\"iss\":\"alice\",\"c\":\"",
                hex("c080"), "\"}"), ALICE), Reason.MALFORMED, false, "not valid UTF-8"));
        a.add(attack("header not UTF-8", signBytes(join("{\"alg\":\"EdDSA\",\"kid\":\"", hex("fe"), "\"}"),
                utf8(changeRequest("{}")), ALICE), Reason.MALFORMED, false, "header is not valid UTF-8"));

        // -- NUL, BOM, trailing data
        a.add(attack("raw NUL inside a string", signed(changeRequest("{}").replace("because", "because\u0000")),
                Reason.MALFORMED, false, "not valid JSON"));
        a.add(attack("raw NUL after the object", signed(changeRequest("{}") + "\u0000"), Reason.MALFORMED, false,
                "not valid JSON"));
        a.add(attack("escaped NUL in iss", signed(changeRequest("{}").replace("\"iss\":\"alice\"",
                "\"iss\":\"alice\\u0000\"")), Reason.UNKNOWN_ISSUER, false, "alice\\u0000"));
        a.add(attack("escaped NUL in jti", signed(changeRequest("{}").replace("\"jti\":\"j-1\"", "\"jti\":\"j\\u0000\"")),
                Reason.INVALID_CLAIM, true, "jti must be 1 to 128 printable ASCII"));
        a.add(attack("BOM before the payload", signBytes(utf8(Tokens.header(ALICE)), join(hex("efbbbf"),
                changeRequest("{}")), ALICE), Reason.MALFORMED, false, "byte order mark"));
        a.add(attack("BOM before the header", signBytes(join(hex("efbbbf"), Tokens.header(ALICE)),
                utf8(changeRequest("{}")), ALICE), Reason.MALFORMED, false, "byte order mark"));
        a.add(attack("second object after the payload", signed(changeRequest("{}") + "{}"), Reason.MALFORMED, false,
                "data after the value"));
        a.add(attack("garbage after the payload", signed(changeRequest("{}") + " x"), Reason.MALFORMED, false,
                "not valid JSON"));
        a.add(attack("second object after the header", signBytes(utf8(Tokens.header(ALICE) + "{}"),
                utf8(changeRequest("{}")), ALICE), Reason.MALFORMED, false, "data after the value"));
        a.add(attack("comment in the payload", signed(changeRequest("{}").replace("{\"typ\"", "{/*c*/\"typ\"")),
                Reason.MALFORMED, false, "not valid JSON"));
        a.add(attack("single-quoted member", signed(changeRequest("{}").replace("\"reason\"", "'reason'")),
                Reason.MALFORMED, false, "not valid JSON"));
        a.add(attack("NaN in config", signed(changeRequest("{\"a\":NaN}")), Reason.MALFORMED, false, "not valid JSON"));
        a.add(attack("number out of range in config", signed(changeRequest("{\"n\":1e400}")), Reason.MALFORMED, false,
                "the number 1e400 at \"/config/n\""));
        return a.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void verify_hostileStatement_refusedWithStableReasonAndNothingCached(Attack attack) {
        StatementException e = catchThrowableOfType(StatementException.class, () -> verifier.verify(attack.compact(),
                POLICY, AUDIENCE, NOW, VerifyMode.online(StatementType.CHANGE_REQUEST, StatementType.ACCESS)));

        assertThat(e).as("refused").isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(attack.reason());
        assertThat(e.authentic()).as(e.getMessage()).isEqualTo(attack.authentic());
        assertThat(e.getMessage()).contains(attack.message());
        assertThat(verified.size()).isZero();
        if (!attack.authentic()) {
            assertThat(signatures.size()).isZero();
            assertThat(e.issuer()).isEmpty();
        }
    }

    @Test
    void verify_sameStatementWithValidSurrogatePairAndEscapes_accepted() throws Exception {
        // the controls: a well-formed pair (escaped and raw), white space inside the JSON, escaped NUL in config
        String payload = changeRequest("{ \"contact\" : \"\\ud83d\\ude00 \uD83D\uDE00\", \"n\" : 9007199254740991,"
                + " \"x\" : -0, \"z\" : \"a\\u0000b\" }").replace("because", "because \\u00e9");

        Statement s = verifier.verify(signed(payload), POLICY, AUDIENCE, NOW,
                VerifyMode.online(StatementType.CHANGE_REQUEST));

        assertThat(((ChangeRequestClaims) s.claims()).config().get("contact").textValue())
                .isEqualTo("\uD83D\uDE00 \uD83D\uDE00");
        assertThat(s.configSha256()).isPresent();
    }
}
