package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.server.WorkflowClient.now;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.HttpMethod;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.Principals;
import org.foureyes.server.RawHttp;
import org.foureyes.server.RawHttp.Reply;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.auth.ReadAccessFilter;
import org.foureyes.server.auth.ReadRule;
import org.foureyes.server.db.TestDatabase;
import org.foureyes.statement.ChangeRequestClaims;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 13 over a real socket, on a private log: every GET endpoint in path and encoding variants
 * (matrix parameters, encoded slashes and dots, double and trailing slashes, case, overlong UTF-8,
 * NUL, backslash) with and without a token; POSTs without or with a wrong Content-Type; bodies over
 * the limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpAdversarialTest {
    private static final String PROBLEMS = "https://foureyes.dev/problems/";

    private TestDatabase db;
    private DropwizardAppExtension<FoureyesConfiguration> app;
    private RawHttp http;
    /** Every GET endpoint of the API as a request path (templates filled in), with its method. */
    private final List<Endpoint> gets = new ArrayList<>();

    private record Endpoint(String path, Method method) {
        boolean isPublic() {
            return ReadAccessFilter.ruleOf(method) == ReadRule.Access.PUBLIC;
        }
    }

    @BeforeAll
    void start() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        db = TestDatabase.sqlite();
        app = HttpTestApps.app(db, "adversarial", false);
        app.before();
        http = new RawHttp(app.getLocalPort());
        for (Object o : app.getEnvironment().jersey().getResourceConfig().getInstances()) {
            if (o.getClass().isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                collect(Resource.from(o.getClass()), "", gets);
            }
        }
        for (Class<?> c : app.getEnvironment().jersey().getResourceConfig().getClasses()) {
            if (c.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                collect(Resource.from(c), "", gets);
            }
        }
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

    private static void collect(Resource r, String prefix, List<Endpoint> out) {
        String path = join(prefix, r.getPath());
        for (ResourceMethod m : r.getResourceMethods()) {
            if (HttpMethod.GET.equals(m.getHttpMethod())) {
                // Regex templates (the tiles' {path: tile/.+}) get a real tile path.
                out.add(new Endpoint(path.replace("{id}", "1").replace("{name}", "relay")
                        .replaceAll("\\{path:[^}]*}", "tile/0/000"),
                        m.getInvocable().getDefinitionMethod()));
            }
        }
        for (Resource child : r.getChildResources()) {
            collect(child, path, out);
        }
    }

    /** The first segment of an endpoint's path: "/v1" for the API, "/tlog" for the tiles. */
    private static String top(String path) {
        int slash = path.indexOf('/', 1);
        return slash < 0 ? path : path.substring(0, slash);
    }

    private static String join(String a, String b) {
        String p = (a.endsWith("/") ? a.substring(0, a.length() - 1) : a) + (b.startsWith("/") ? b : "/" + b);
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String token() {
        return Principals.accessToken("ines", now());
    }

    private static void assertProblem(Reply r, int status, String slug, String what) {
        assertThat(r.status()).as("%s: %s", what, r.body()).isEqualTo(status);
        assertThat(r.isProblem()).as("%s is problem+json: %s %s", what, r.contentType(), r.body()).isTrue();
        if (slug != null) {
            assertThat(WorkflowClient.json(r.body()).get("type").asText()).as(what).isEqualTo(PROBLEMS + slug);
        }
    }

    private long logSize() {
        Reply r = http.get("/v1/log/checkpoint", token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Long.parseLong(r.body().split("\n")[1]);
    }

    // ------------------------------------------------------------------ reads

    @Test
    void everyGetEndpoint_withoutToken_is401ExceptTheExplicitPublicOnes() {
        assertThat(gets).as("GET endpoints found").hasSizeGreaterThan(8);
        TreeSet<String> open = new TreeSet<>();
        for (Endpoint e : gets) {
            if (e.isPublic()) {
                open.add(e.path());
                continue;
            }
            assertProblem(http.get(e.path(), null), 401, "unauthorized", "GET " + e.path() + " without a token");
        }
        // The explicit public list; anything else added later is private by default.
        assertThat(open).containsExactly("/v1/log/key", "/v1/whoami");
    }

    @Test
    void everyGetEndpoint_withMatrixParameters_is400WithAndWithoutToken() {
        for (Endpoint e : gets) {
            String p = e.path();
            String top = top(p);
            String rest = p.substring(top.length()); // after "/v1" (or "/tlog")
            for (String variant : List.of(top + ";" + rest, top + ";x=1" + rest, p + ";", p + ";x=1", top + "%3B" + rest,
                    top + "%3b" + rest, p + "%3Bx", "/;/" + p.substring(1))) {
                for (String bearer : new String[] {null, token()}) {
                    assertProblem(http.get(variant, bearer), 400, "bad-uri",
                            "GET " + variant + (bearer == null ? " without" : " with") + " a token");
                }
            }
        }
    }

    @Test
    void everyGetEndpoint_withAmbiguousEncoding_is400ProblemWithAndWithoutToken() {
        for (Endpoint e : gets) {
            String p = e.path();
            String top = top(p);
            String rest = p.substring(top.length());
            int last = p.lastIndexOf('/');
            List<String> variants = List.of(
                    p.substring(0, last) + "%2F" + p.substring(last + 1), // encoded slash
                    p.substring(0, last) + "%2f" + p.substring(last + 1),
                    top + "/%2e" + rest, // encoded dot segments
                    top + "/x/%2e%2e" + rest,
                    top + "/x/%2E%2E" + rest,
                    top + "/" + rest, // double slash
                    top + "/%c0%af" + rest.substring(1), // overlong UTF-8 for '/'
                    top + "/x/%c0%ae%c0%ae" + rest, // overlong UTF-8 for ".."
                    p + "%00", // NUL
                    p.substring(0, last) + "%5c" + p.substring(last + 1)); // backslash
            for (String variant : variants) {
                for (String bearer : new String[] {null, token()}) {
                    assertProblem(http.get(variant, bearer), 400, "bad-uri",
                            "GET " + variant + (bearer == null ? " without" : " with") + " a token");
                }
            }
        }
    }

    @Test
    void everyPrivateGetEndpoint_withTrailingSlashOrOtherCase_neverAnswersWithoutToken() {
        for (Endpoint e : gets) {
            if (e.isPublic()) {
                continue;
            }
            String p = e.path();
            for (String variant : List.of(p + "/", top(p).toUpperCase(java.util.Locale.ROOT) + p.substring(top(p).length()), p.toUpperCase(java.util.Locale.ROOT),
                    top(p) + "/./" + p.substring(top(p).length() + 1), top(p) + "/x/.." + p.substring(top(p).length()))) {
                Reply r = http.get(variant, null);
                assertThat(r.status()).as("GET %s without a token: %s", variant, r.body()).isIn(400, 401, 404);
                assertThat(r.isProblem()).as("GET %s is problem+json", variant).isTrue();
            }
        }
    }

    @Test
    void read_withToken_stillWorks() {
        Reply r = http.get("/v1/changes", token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(http.get("/v1/changes/", token()).status()).isEqualTo(200);
        assertThat(http.get("/v1/log/key", null).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ writes

    private static String request(String reason) {
        return Principals.sign("rene", now(), new ChangeRequestClaims("relay", Optional.empty(),
                WorkflowClient.relay("adversarial"), reason, false));
    }

    @Test
    void post_withoutContentType_is415AndLogsNothing() {
        long before = logSize();
        String statement = request("no content type");
        Reply r = http.post("/v1/changes", "Content-Length: " + statement.length() + "\r\n",
                statement.getBytes(StandardCharsets.US_ASCII));
        assertProblem(r, 415, "unsupported-media-type", "POST without Content-Type");
        assertThat(logSize()).isEqualTo(before);
        // The same statement with the right type is taken: only the header was wrong.
        Reply ok = http.post("/v1/changes", "Content-Type: application/jose\r\nContent-Length: " + statement.length()
                + "\r\n", statement.getBytes(StandardCharsets.US_ASCII));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void post_withWrongContentType_is415AndLogsNothing() {
        long before = logSize();
        String statement = request("wrong content type");
        for (String type : List.of("text/plain", "application/json", "application/jose+json",
                "application/x-www-form-urlencoded")) {
            Reply r = http.post("/v1/changes", "Content-Type: " + type + "\r\nContent-Length: " + statement.length()
                    + "\r\n", statement.getBytes(StandardCharsets.US_ASCII));
            assertProblem(r, 415, "unsupported-media-type", "POST with Content-Type " + type);
        }
        assertThat(logSize()).isEqualTo(before);
    }

    @Test
    void post_bodyOverLimit_is413AndLogsNothing() {
        long before = logSize();
        int limit = app.getConfiguration().getWorkflow().getMaxStatementBytes();
        byte[] big = new byte[limit + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        Reply sized = http.post("/v1/changes", "Content-Type: application/jose\r\nContent-Length: " + big.length
                + "\r\n", big);
        assertProblem(sized, 413, "too-large", "POST of " + big.length + " bytes with Content-Length");
        // Without Content-Length (chunked), the limit holds on the stream.
        String chunk = Integer.toHexString(big.length) + "\r\n";
        byte[] chunked = concat(chunk.getBytes(StandardCharsets.US_ASCII), big,
                "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        Reply streamed = http.post("/v1/changes/1/decisions", "Content-Type: application/jose\r\n"
                + "Transfer-Encoding: chunked\r\n", chunked);
        assertProblem(streamed, 413, "too-large", "chunked POST of " + big.length + " bytes");
        assertThat(logSize()).isEqualTo(before);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void post_withMatrixParameter_is400AndLogsNothing() {
        long before = logSize();
        String statement = request("matrix");
        Reply r = http.post("/v1;/changes", "Content-Type: application/jose\r\nContent-Length: "
                + statement.length() + "\r\n", statement.getBytes(StandardCharsets.US_ASCII));
        assertProblem(r, 400, "bad-uri", "POST /v1;/changes");
        assertThat(logSize()).isEqualTo(before);
    }

    @Test
    void unparsableRequest_isProblemJson() {
        Reply r = http.post("/v1/changes", "Content-Type: application/jose\r\nContent-Length: abc\r\n", new byte[0]);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.isProblem()).as(r.contentType() + " " + r.body()).isTrue();
        JsonNode p = WorkflowClient.json(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(400);
    }
}
