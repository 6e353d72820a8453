package org.foureyes.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.foureyes.statement.Fixture.ALICE;
import static org.foureyes.statement.Fixture.AUDIENCE;
import static org.foureyes.statement.Fixture.NOW;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatementSignerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = "0123456789abcdef".repeat(4);

    private final StatementSigner signer = Fixture.signer(ALICE);

    private static JsonNode part(String compact, int i) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(compact.split("\\.")[i]));
    }

    /** Bytes of a statement signed by jjwt before signing moved behind Signer: they must not change. */
    private static final String KNOWN_ANSWER = "eyJraWQiOiJhbGljZSs0MTI0MzY1YSIsImFsZyI6IkVkRFNBIn0.eyJ0eXAiOiJmb3VyZXllcy5kZWNpc2lvbi92MSIsImlzcyI6ImFsaWNlIiwiYXVkIjoibG9nLmV4YW1wbGUub3JnL2ZvdXJleWVzIiwiaWF0IjoxNzk1NTkzNjAwLCJleHAiOjE3OTU1OTM5MDAsImp0aSI6Imp0aS0xIiwiY2hhbmdlIjo5LCJyZXF1ZXN0IjoiMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiIsImRlY2lzaW9uIjoiYXBwcm92ZSJ9.LvHATpmRiK4WlrJtZ4NzloISJQNcyFqBYMkBlXi73jg2CzhHHXGt4YHUWIXUY-tn78DfWHJZ0Rq8KdLH6pHHAA";

    @Test
    void sign_fixedInputs_bytesEqualTheStatementJjwtMade() {
        String compact = signer.sign(AUDIENCE, DecisionClaims.approve(9, HASH), NOW, Duration.ofMinutes(5), "jti-1");

        assertThat(compact).isEqualTo(KNOWN_ANSWER);
    }

    @Test
    void sign_header_hasOnlyEdDsaAndKid() throws Exception {
        String compact = signer.sign(AUDIENCE, new WithdrawalClaims(1, HASH));

        JsonNode header = part(compact, 0);
        assertThat(header.get("alg").asText()).isEqualTo("EdDSA");
        assertThat(header.get("kid").asText()).isEqualTo(Fixture.kid(ALICE)).isEqualTo(signer.keyId());
        assertThat(header.size()).isEqualTo(2);
    }

    @Test
    void sign_payload_hasCommonClaimsFirstAndDefaultLifetime() throws Exception {
        String compact = signer.sign(AUDIENCE, DecisionClaims.approve(9, HASH));

        JsonNode payload = part(compact, 1);
        List<String> names = new java.util.ArrayList<>();
        payload.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("typ", "iss", "aud", "iat", "exp", "jti", "change", "request", "decision");
        assertThat(payload.get("iss").asText()).isEqualTo("alice");
        assertThat(payload.get("iat").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(payload.get("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 300);
        assertThat(payload.get("change").isIntegralNumber()).isTrue();
    }

    @Test
    void sign_signature_verifiesAsPlainEd25519OverSigningInput() {
        String compact = signer.sign(AUDIENCE, AccessClaims.INSTANCE);
        String input = compact.substring(0, compact.lastIndexOf('.'));
        byte[] sig = Base64.getUrlDecoder().decode(compact.substring(compact.lastIndexOf('.') + 1));

        assertThat(ALICE.verifierKey().isValid(input.getBytes(StandardCharsets.US_ASCII), sig)).isTrue();
    }

    @Test
    void sign_manyStatements_jtisAreUnique128BitBase64Url() throws Exception {
        Set<String> jtis = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            jtis.add(part(signer.sign(AUDIENCE, AccessClaims.INSTANCE), 1).get("jti").asText());
        }

        assertThat(jtis).hasSize(200).allMatch(j -> j.matches("[A-Za-z0-9_-]{22}"));
    }

    @Test
    void sign_changeRequest_writesNullBaseAndOmitsFalseEmergency() throws Exception {
        String compact = signer.sign(AUDIENCE, ChangeRequestClaims.of("relay", Optional.empty(),
                JSON.readTree("{\"a\":1}"), "first config"));

        JsonNode payload = part(compact, 1);
        assertThat(payload.get("base").isNull()).isTrue();
        assertThat(payload.has("emergency")).isFalse();
        assertThat(payload.get("config")).isEqualTo(JSON.readTree("{\"a\":1}"));
    }

    @Test
    void sign_lifetimeOverTenMinutes_refused() {
        assertThatThrownBy(() -> signer.sign(AUDIENCE, AccessClaims.INSTANCE, Duration.ofMinutes(10).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lifetime must be whole seconds, more than 0 and at most 10 minutes, got PT10M1S");
    }

    @Test
    void claims_invalidValues_refusedBeforeSigning() throws Exception {
        JsonNode array = JSON.readTree("[1]");
        assertThatThrownBy(() -> ChangeRequestClaims.of("relay", Optional.empty(), array, "r"))
                .hasMessage("config must be a JSON object, got ARRAY");
        assertThatThrownBy(() -> DecisionClaims.approve(1, "ABC"))
                .hasMessage("request must be 64 lowercase hex digits (a SHA-256), got \"ABC\"");
        assertThatThrownBy(() -> new WithdrawalClaims(-1, HASH)).hasMessage("change must be a change id (>= 0), got -1");
        assertThatThrownBy(() -> ChangeRequestClaims.of("relay", Optional.empty(), JSON.createObjectNode(), " "))
                .hasMessage("reason must not be blank");
    }

    @Test
    void changeRequestClaims_config_isDefensivelyCopied() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode config = JSON.createObjectNode().put("a", 1);
        ChangeRequestClaims claims = ChangeRequestClaims.of("relay", Optional.empty(), config, "r");

        config.put("a", 2);
        ((com.fasterxml.jackson.databind.node.ObjectNode) claims.config()).put("a", 3);

        assertThat(claims.config().get("a").asInt()).isEqualTo(1);
    }
}
