package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.server.WorkflowClient.now;
import static org.junit.jupiter.api.Named.named;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.Principals;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.WorkflowClient.Answer;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statement forgery and parsing attacks (issue 13) through POST /v1/changes: each hostile change
 * request is a problem+json refusal with a stable type, appends nothing to the log and leaves the
 * component as it was. The verifier-level twin is audit-log's StatementParsingAttackTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatementParsingAttackAppTest {
    private static final String PROBLEMS = "https://foureyes.dev/problems/";

    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private WorkflowClient api;

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        Path data = AppTestSupport.tempDir("foureyes-attacks");
        db = TestDatabase.sqlite();
        app = new DropwizardAppExtension<>(TestApp.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                ConfigOverride.config("dataDir", data.toString()),
                ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", data.resolve("log.key").toString()),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url()),
                ConfigOverride.config("workflow.refusalsPerMinute", "1000"));
        app.before();
        api = new WorkflowClient(app.client(), app.getLocalPort());
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.after();
        }
        if (db != null) {
            db.close();
        }
    }

    // ---- building statements by hand ----

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof String s ? utf8(s) : (byte[]) p);
        }
        return out.toByteArray();
    }

    private static String kid(SignerKey k) {
        return k.name() + "+" + k.verifierKey().keyIdHex();
    }

    private static String header(SignerKey k) {
        return "{\"alg\":\"EdDSA\",\"kid\":\"" + kid(k) + "\"}";
    }

    private static String sign(byte[] header, byte[] payload, SignerKey key) {
        String input = b64(header) + "." + b64(payload);
        return input + "." + b64(key.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String rene(String payload) {
        SignerKey k = Principals.key("rene");
        return sign(utf8(header(k)), utf8(payload), k);
    }

    /** A change request by rene for relay with this config text, verbatim; jti fresh each time. */
    private static String request(String config) {
        long iat = now().getEpochSecond();
        return "{\"typ\":\"foureyes.change-request/v1\",\"iss\":\"rene\",\"aud\":\"" + AppTestSupport.ORIGIN
                + "\",\"iat\":" + iat + ",\"exp\":" + (iat + 60) + ",\"jti\":\"attack-" + System.nanoTime()
                + "\",\"component\":\"relay\",\"base\":null,\"config\":" + config + ",\"reason\":\"attack\"}";
    }

    private static String relay(String contact) {
        return "{\"nickname\":\"attack\",\"contact\":\"" + contact + "\",\"exit_policy\":[\"accept *:443\","
                + "\"reject *:*\"],\"exit_tos\":32,\"outbound_bind_address_exit\":\"192.0.2.10\","
                + "\"outbound_bind_address_or\":\"192.0.2.11\"}";
    }

    /** One attack: builds the body when run (iat from the test clock), and the problem it must get. */
    record Attack(java.util.function.Supplier<String> body, int status, String slug) {
    }

    private static Arguments attack(String name, java.util.function.Supplier<String> body, int status, String slug) {
        return Arguments.of(named(name, new Attack(body, status, slug)));
    }

    static Stream<Arguments> attacks() {
        List<Arguments> a = new ArrayList<>();
        SignerKey rene = Principals.key("rene");
        SignerKey nora = Principals.key("nora");
        a.add(attack("lone surrogate in config.contact (issue 13 item 4)",
                () -> rene(request(relay("\\ud800@example.org"))), 400, "malformed"));
        a.add(attack("lone surrogate in reason", () -> rene(request(relay("ops@example.org"))
                .replace("\"attack\"}", "\"attack\\udc00\"}")), 400, "malformed"));
        a.add(attack("noncharacter in config", () -> rene(request(relay("ops\\uffff@example.org"))), 400, "malformed"));
        a.add(attack("1e400 in config", () -> rene(request(relay("ops@example.org").replace("32", "1e400"))),
                400, "malformed"));
        a.add(attack("integer beyond 2^53 in config", () -> rene(request(relay("ops@example.org")
                .replace("32", "9007199254740993"))), 400, "malformed"));
        a.add(attack("iat 1e400", () -> rene(request(relay("ops@example.org"))
                .replaceFirst("\"iat\":\\d+", "\"iat\":1e400")), 400, "malformed"));
        a.add(attack("config nested 100 deep", () -> rene(request("{\"a\":" + "[".repeat(100) + "]".repeat(100)
                + "}")), 400, "malformed"));
        a.add(attack("duplicate member in config", () -> rene(request(relay("ops@example.org")
                .replace("\"exit_tos\":32", "\"exit_tos\":32,\"exit_tos\":0"))), 400, "duplicate-member"));
        a.add(attack("BOM before the payload", () -> sign(utf8(header(rene)), join(HexFormat.of().parseHex("efbbbf"),
                request(relay("ops@example.org"))), rene), 400, "malformed"));
        a.add(attack("raw surrogate bytes (CESU-8)", () -> sign(utf8(header(rene)), join("{\"iss\":\"rene\",\"c\":\"",
                HexFormat.of().parseHex("eda080"), "\"}"), rene), 400, "malformed"));
        a.add(attack("overlong UTF-8", () -> sign(utf8(header(rene)), join("{\"iss\":\"rene\",\"c\":\"",
                HexFormat.of().parseHex("c0af"), "\"}"), rene), 400, "malformed"));
        a.add(attack("trailing data after the payload", () -> rene(request(relay("ops@example.org")) + "{}"),
                400, "malformed"));
        a.add(attack("alg none", () -> b64(utf8("{\"alg\":\"none\",\"kid\":\"" + kid(rene) + "\"}")) + "."
                + b64(utf8(request(relay("ops@example.org")))) + ".AA", 401, "bad-algorithm"));
        a.add(attack("alg HS256 keyed with the public key", () -> hs256(utf8("{\"alg\":\"HS256\",\"kid\":\""
                + kid(rene) + "\"}"), utf8(request(relay("ops@example.org"))), rene.verifierKey().publicKey()),
                401, "bad-algorithm"));
        a.add(attack("crit header", () -> sign(utf8("{\"alg\":\"EdDSA\",\"kid\":\"" + kid(rene)
                + "\",\"crit\":[\"exp\"]}"), utf8(request(relay("ops@example.org"))), rene), 400, "malformed"));
        a.add(attack("kid of another principal", () -> sign(utf8(header(nora)), utf8(request(relay("ops@example.org"))),
                nora), 401, "unknown-key"));
        a.add(attack("huge string", () -> rene(request(relay("x".repeat(70_000)))), 413, "too-large"));
        return a.stream();
    }

    private static String hs256(byte[] header, byte[] payload, byte[] macKey) {
        String input = b64(header) + "." + b64(payload);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void postChange_hostileStatement_refusedWithStableTypeAndNothingChanged(Attack attack) {
        long before = api.logSize();
        JsonNode relayBefore = api.component("relay");

        Answer a = api.post("/v1/changes", attack.body().get());

        assertThat(a.status()).as(a.body()).isEqualTo(attack.status());
        assertThat(a.mediaType()).startsWith("application/problem+json");
        assertThat(a.json().get("type").asText()).isEqualTo(PROBLEMS + attack.slug());
        assertThat(a.json().get("detail").asText()).isNotBlank();
        assertThat(api.logSize()).as("nothing appended").isEqualTo(before);
        assertThat(api.component("relay")).isEqualTo(relayBefore);
    }

    @Test
    void postChange_questionMarkInsteadOfLoneSurrogate_acceptedSoOnlyTheSurrogateWasRefused() {
        String base = api.baseOf("relay").map(h -> "\"" + h + "\"").orElse("null");

        Answer a = api.post("/v1/changes", rene(request(relay("?@example.org")).replace("\"base\":null",
                "\"base\":" + base)));

        assertThat(a.status()).as(a.body()).isEqualTo(201);
    }
}
