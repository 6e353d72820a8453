package org.foureyes.server.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.nio.file.Path;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the page is served beside the API (no browser needed): GET / is the page, /assets/* its
 * files with their security headers, and everything under /v1 (and any other path) still Jersey's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransparencyPageAppTest {
    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;

    @BeforeAll
    void start() throws Exception {
        Path data = AppTestSupport.tempDir("foureyes-page-app");
        db = TestDatabase.sqlite();
        app = AppTestSupport.app(db, data);
        app.before();
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

    private Response get(String path) {
        return app.client().target("http://127.0.0.1:" + app.getLocalPort() + path).request().get();
    }

    @Test
    void root_get_servesThePageWithItsSecurityHeaders() {
        Response r = get("/");
        String body = r.readEntity(String.class);
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getMediaType().toString()).startsWith("text/html");
        assertThat(body).contains("<meta name=\"viewport\"", "/assets/app.js", "id=\"status\"");
        assertThat(r.getHeaderString("Content-Security-Policy")).isEqualTo(TransparencyPage.CSP);
        assertThat(r.getHeaderString("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.getHeaderString("Cache-Control")).isEqualTo("no-cache");
    }

    @ParameterizedTest
    @CsvSource({
        "/assets/verify.js, javascript, export async function verifyLog",
        "/assets/app.js, javascript, from './verify.js'",
        "/assets/history.js, javascript, export async function buildHistory",
        "/assets/diff.js, javascript, export function jsonDiff",
        "/assets/policydiff.js, javascript, export function contentDiff",
        "/assets/page.css, text/css, @media",
        "/assets/index.html, text/html, <title>foureyes transparency log</title>",
    })
    void assets_get_areServedWithTheirMediaTypes(String path, String mediaType, String content) {
        Response r = get(path);
        String body = r.readEntity(String.class);
        assertThat(r.getStatus()).as(path).isEqualTo(200);
        // ES modules only run when served with a JavaScript media type.
        assertThat(r.getMediaType().toString()).as(path).contains(mediaType);
        assertThat(body).contains(content);
        assertThat(r.getHeaderString("Content-Security-Policy")).as(path).isEqualTo(TransparencyPage.CSP);
    }

    @Test
    void api_besideThePage_isStillJerseys() {
        Response key = get("/v1/log/key");
        assertThat(key.getStatus()).isEqualTo(200);
        assertThat(key.readEntity(String.class)).startsWith(AppTestSupport.ORIGIN + "+");
        assertThat(key.getHeaderString("Content-Security-Policy")).isNull();

        for (String path : new String[] {"/v1/nothing-here", "/nothing-here", "/index.html"}) {
            Response r = get(path);
            assertThat(r.getStatus()).as(path).isEqualTo(404);
            assertThat(r.getMediaType().toString()).as(path).startsWith("application/problem+json");
        }
        Response missingAsset = get("/assets/nothing.js");
        assertThat(missingAsset.getStatus()).isEqualTo(404);
    }
}
