package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.server.WorkflowClient.now;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.Optional;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.Principals;
import org.foureyes.server.RawHttp;
import org.foureyes.server.RawHttp.Reply;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.db.TestDatabase;
import org.foureyes.statement.ChangeRequestClaims;
import org.foureyes.statement.DecisionClaims;
import org.foureyes.statement.StatementSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 13 item 5: on a private log a statement that is not authentically signed by a principal of
 * the policy learns nothing but "not authentic" (no component, no missing approvals, no principals,
 * no key ids); on a public log the answers stay as helpful as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivateLogLeakTest {
    private static final String NOT_AUTHENTIC = "https://foureyes.dev/problems/not-authentic";

    private TestDatabase privateDb;
    private TestDatabase publicDb;
    private DropwizardAppExtension<FoureyesConfiguration> privateApp;
    private DropwizardAppExtension<FoureyesConfiguration> publicApp;
    private long privateChange;
    private long publicChange;

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        privateDb = TestDatabase.sqlite();
        publicDb = TestDatabase.sqlite();
        privateApp = HttpTestApps.app(privateDb, "leak-private", false);
        publicApp = HttpTestApps.app(publicDb, "leak-public", true);
        privateApp.before();
        publicApp.before();
        privateChange = request(privateApp);
        publicChange = request(publicApp);
    }

    @AfterAll
    void stop() throws Exception {
        // Last started, first stopped: each app's config overrides restore the system properties
        // they found, so stopping in start order would leave the private app's ones set for later tests.
        for (DropwizardAppExtension<?> a : new DropwizardAppExtension<?>[] {publicApp, privateApp}) {
            if (a != null) {
                a.after();
            }
        }
        for (TestDatabase d : new TestDatabase[] {privateDb, publicDb}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private static long request(DropwizardAppExtension<FoureyesConfiguration> app) {
        String s = Principals.sign("anna", now(), new ChangeRequestClaims("monitor", Optional.empty(),
                WorkflowClient.monitor(true, 7), "leak test", false));
        Reply r = post(app, "/v1/changes", s);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return WorkflowClient.json(r.body()).get("change").get("id").asLong();
    }

    private static Reply post(DropwizardAppExtension<FoureyesConfiguration> app, String path, String body) {
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new RawHttp(app.getLocalPort()).post(path, "Content-Type: application/jose\r\nContent-Length: "
                + b.length + "\r\n", b);
    }

    private static String decisionBy(SignerKey key, long change) {
        return Principals.sign(key, now(), AppTestSupport.ORIGIN, DecisionClaims.approve(change, "0".repeat(64)),
                StatementSigner.DEFAULT_LIFETIME);
    }

    /** A key the policy does not list, under a name it does (unknown-key) or does not (unknown-issuer). */
    private static SignerKey strangerKey(String name) throws Exception {
        return SignerKey.generate(name);
    }

    private static void assertLeaksNothing(Reply r, String what) {
        assertThat(r.status()).as("%s: %s", what, r.body()).isEqualTo(401);
        assertThat(r.isProblem()).isTrue();
        JsonNode p = WorkflowClient.json(r.body());
        assertThat(p.get("type").asText()).as(what).isEqualTo(NOT_AUTHENTIC);
        assertThat(p.has("component")).as(what + ": no component").isFalse();
        assertThat(p.has("missing")).as(what + ": no missing approvals").isFalse();
        assertThat(p.has("change")).as(what + ": no change").isFalse();
        for (String secret : new String[] {"monitor", "rene", "nora", "anna", "ines", "agent-relay", "+"}) {
            assertThat(r.body()).as(what + " names nothing of the policy or the log").doesNotContain(secret);
        }
    }

    @Test
    void junkStatement_onPrivateLog_learnsOnlyNotAuthentic() {
        assertLeaksNothing(post(privateApp, "/v1/changes/" + privateChange + "/decisions", "junk.junk.junk"),
                "junk decision");
        assertLeaksNothing(post(privateApp, "/v1/changes/" + privateChange + "/withdrawal", "not a statement"),
                "junk withdrawal");
    }

    @Test
    void unknownIssuer_onPrivateLog_learnsNoPrincipals() throws Exception {
        assertLeaksNothing(post(privateApp, "/v1/changes/" + privateChange + "/decisions",
                decisionBy(strangerKey("mallory"), privateChange)), "unknown issuer");
    }

    @Test
    void unknownKey_onPrivateLog_learnsNoKeyIds() throws Exception {
        assertLeaksNothing(post(privateApp, "/v1/changes/" + privateChange + "/decisions",
                decisionBy(strangerKey("nora"), privateChange)), "unknown key");
    }

    @Test
    void badSignature_onPrivateLog_learnsOnlyNotAuthentic() {
        String s = decisionBy(Principals.key("nora"), privateChange);
        int sig = s.lastIndexOf('.') + 5;
        String forged = s.substring(0, sig) + (s.charAt(sig) == 'A' ? 'B' : 'A') + s.substring(sig + 1);
        assertLeaksNothing(post(privateApp, "/v1/changes/" + privateChange + "/decisions", forged), "bad signature");
    }

    @Test
    void authenticRefusal_onPrivateLog_staysExplained() {
        // anna approving her own change: authentic, so a participant of the policy; the answer explains.
        Reply r = post(privateApp, "/v1/changes/" + privateChange + "/decisions",
                Principals.sign("anna", now(), DecisionClaims.approve(privateChange, "0".repeat(64))));
        assertThat(r.status()).as(r.body()).isIn(403, 409);
        assertThat(WorkflowClient.json(r.body()).get("type").asText()).isNotEqualTo(NOT_AUTHENTIC);
    }

    @Test
    void unknownIssuer_onPublicLog_keepsTheHelpfulAnswer() throws Exception {
        Reply r = post(publicApp, "/v1/changes/" + publicChange + "/decisions",
                decisionBy(strangerKey("mallory"), publicChange));
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        JsonNode p = WorkflowClient.json(r.body());
        assertThat(p.get("type").asText()).endsWith("/unknown-issuer");
        assertThat(p.get("component").asText()).isEqualTo("monitor");
        assertThat(r.body()).contains("nora");
    }

    @Test
    void junkStatement_onPublicLog_keepsTheHelpfulAnswer() {
        Reply r = post(publicApp, "/v1/changes/" + publicChange + "/decisions", "junk.junk.junk");
        JsonNode p = WorkflowClient.json(r.body());
        assertThat(p.get("type").asText()).isNotEqualTo(NOT_AUTHENTIC);
        assertThat(p.get("component").asText()).isEqualTo("monitor");
    }
}
