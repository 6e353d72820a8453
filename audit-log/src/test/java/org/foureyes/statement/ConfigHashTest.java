package org.foureyes.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.statement.Fixture.ALICE;
import static org.foureyes.statement.Fixture.AUDIENCE;
import static org.foureyes.statement.Fixture.NOW;
import static org.foureyes.statement.Fixture.POLICY;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ConfigHashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Computed independently of the code under test: SHA-256 of the expected canonical text. */
    private static String sha256Hex(String canonical) throws Exception {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void canonicalize_memberOrderAndNumberSpelling_normalisedPerJcs() throws Exception {
        assertThat(ConfigHash.canonicalize("{\"b\":1,\"a\":[1.0,\"x\"]}")).isEqualTo("{\"a\":[1,\"x\"],\"b\":1}");
    }

    @Test
    void sha256HexOfJson_jcsExample_matchesIndependentDigest() throws Exception {
        assertThat(ConfigHash.sha256HexOfJson("{\"b\":1,\"a\":[1.0,\"x\"]}"))
                .isEqualTo(sha256Hex("{\"a\":[1,\"x\"],\"b\":1}"));
    }

    @Test
    void sha256HexOfJson_rfc8785NumberExample_matchesIndependentDigest() throws Exception {
        // RFC 8785 section 3.2.2.3 number examples, and nested member sorting.
        String input = "{ \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
                + " \"literals\": [null, true, false], \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\" }";
        String canonical = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        assertThat(ConfigHash.canonicalize(input)).isEqualTo(canonical);
        assertThat(ConfigHash.sha256HexOfJson(input)).isEqualTo(sha256Hex(canonical));
    }

    @Test
    void sha256HexOfJson_differentOrderWhitespaceAndNumbers_sameHash() {
        String a = "{\"capture\":{\"enabled\":true,\"ports\":[80,443]},\"ratio\":0.5}";
        String b = "{ \"ratio\" : 5e-1,\n  \"capture\" : { \"ports\" : [ 80.0, 4.43e2 ], \"enabled\" : true } }";

        assertThat(ConfigHash.sha256HexOfJson(a)).isEqualTo(ConfigHash.sha256HexOfJson(b));
    }

    @Test
    void sha256Hex_treeAndItsText_sameHash() throws Exception {
        String text = "{\"z\":[1.5e3,-0.0,1e-7],\"a\":{\"y\":9007199254740991,\"x\":\"é\"}}";

        assertThat(ConfigHash.sha256Hex(JSON.readTree(text))).isEqualTo(ConfigHash.sha256HexOfJson(text));
    }

    @Test
    void sha256HexOfJson_invalidJson_refused() {
        assertThatThrownBy(() -> ConfigHash.sha256HexOfJson("{\"a\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not I-JSON (RFC 7493)");
    }

    @Test
    void sha256Hex_infiniteNumber_refused() throws Exception {
        assertThatThrownBy(() -> ConfigHash.sha256Hex(JSON.readTree("{\"n\":1e400}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the range");
    }

    @Test
    void verify_sameConfigSignedInDifferentForms_sameConfigSha256() throws Exception {
        StatementVerifier verifier = new StatementVerifier();
        String rest1 = "\"jti\":\"a\",\"component\":\"relay\",\"base\":null,\"config\":{\"b\":1,\"a\":[1.0,\"x\"]},\"reason\":\"r\"";
        String rest2 = "\"jti\":\"b\",\"component\":\"relay\",\"base\":null,\"config\":{ \"a\" : [ 1 , \"x\" ] , \"b\" : 1.00 },\"reason\":\"r\"";
        long iat = NOW.getEpochSecond();
        VerifyMode mode = VerifyMode.online(StatementType.CHANGE_REQUEST);

        Statement s1 = verifier.verify(Tokens.ed25519(Tokens.payload("alice", "foureyes.change-request/v1", iat, iat + 60, rest1), ALICE),
                POLICY, AUDIENCE, NOW, mode);
        Statement s2 = verifier.verify(Tokens.ed25519(Tokens.payload("alice", "foureyes.change-request/v1", iat, iat + 60, rest2), ALICE),
                POLICY, AUDIENCE, NOW, mode);

        assertThat(s1.configSha256()).contains(sha256Hex("{\"a\":[1,\"x\"],\"b\":1}"));
        assertThat(s2.configSha256()).isEqualTo(s1.configSha256());
        assertThat(s1.sha256Hex()).isNotEqualTo(s2.sha256Hex());
    }

    // ---- issue 13 item 4: outside I-JSON, JCS maps two documents to one hash ----

    @Test
    void sha256HexOfJson_loneSurrogate_refusedRatherThanHashedAsQuestionMark() {
        // JCS encodes \ud800 as '?', so this used to hash like "?@example.org"
        assertThatThrownBy(() -> ConfigHash.sha256HexOfJson("{\"contact\":\"\\ud800@example.org\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone surrogate \\ud800").hasMessageContaining("\"/contact\"");
        assertThat(ConfigHash.sha256HexOfJson("{\"contact\":\"?@example.org\"}")).isNotNull();
    }

    @Test
    void sha256Hex_treeWithLoneSurrogate_refused() throws Exception {
        assertThatThrownBy(() -> ConfigHash.sha256Hex(JSON.readTree("{\"contact\":\"\\udfff\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
    }

    @Test
    void sha256HexOfJson_integerBeyondTwoTo53_refusedRatherThanRounded() {
        // a double cannot hold 2^53 + 1: JCS would write 9007199254740992, one hash for two values
        assertThatThrownBy(() -> ConfigHash.sha256HexOfJson("{\"n\":9007199254740993}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beyond ±(2^53−1)");
        assertThatThrownBy(() -> ConfigHash.sha256Hex(JSON.readTree("{\"n\":9007199254740993}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beyond ±(2^53−1)");
    }

    @Test
    void sha256HexOfJson_underflowToZero_refused() {
        assertThatThrownBy(() -> ConfigHash.sha256HexOfJson("{\"n\":1e-400}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would read as 0");
    }
}
