package org.foureyes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.foureyes.net.ServerTrouble;

/** The operator commands' HTTP client for the foureyes API (JSON in, problem+json errors). */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An error answer (problem+json) or a transport failure, as one sentence. */
    public static final class ApiException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final transient JsonNode problem;

        ApiException(int status, JsonNode problem, String message) {
            super(message);
            this.status = status;
            this.problem = problem;
        }

        public int status() {
            return status;
        }

        /** The problem document, or null. */
        public JsonNode problem() {
            return problem;
        }
    }

    /** An answer: status and JSON body (null if the body is not JSON). */
    public record Answer(int status, JsonNode body, String text) {
    }

    private final String base;
    private final HttpClient http;
    private final String bearer;

    /** @throws IllegalArgumentException if {@code baseUrl} is not an http(s) URL (the message says why) */
    public ApiClient(String baseUrl, String bearerToken) {
        String url = ServerTrouble.serverUrl(baseUrl, "--url").toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.bearer = bearerToken;
    }

    public String baseUrl() {
        return base;
    }

    public JsonNode get(String path) throws ApiException {
        Answer a = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        if (a.status() != 200) {
            throw error(a, "GET " + path);
        }
        if (a.body() == null) {
            throw new ApiException(a.status(), null, "GET " + path + " did not answer JSON");
        }
        return a.body();
    }

    public String getText(String path) throws ApiException {
        Answer a = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        if (a.status() != 200) {
            throw error(a, "GET " + path);
        }
        return a.text();
    }

    /** POSTs a statement; any status is returned (the caller explains refusals). */
    public Answer post(String path, String compact) throws ApiException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/jose")
                .POST(HttpRequest.BodyPublishers.ofString(compact)));
    }

    private Answer send(HttpRequest.Builder b) throws ApiException {
        b.timeout(Duration.ofSeconds(60)).header("Accept", "application/json, application/problem+json, text/plain");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpRequest req = b.build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            String notApi = ServerTrouble.notTheApi(http, URI.create(base), req.uri().getRawPath(), r);
            if (notApi != null) {
                throw new ApiException(0, null, notApi);
            }
            JsonNode body = null;
            try {
                body = JSON.readTree(r.body());
            } catch (IOException e) {
                // not JSON (text/plain endpoints)
            }
            return new Answer(r.statusCode(), body, r.body());
        } catch (IOException e) {
            throw new ApiException(0, null, ServerTrouble.unreachable(URI.create(base), e) + " (--url)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, null, "interrupted");
        }
    }

    static ApiException error(Answer a, String what) {
        JsonNode p = a.body();
        if (p != null && p.has("detail")) {
            String type = p.path("type").asText("");
            String slug = type.substring(type.lastIndexOf('/') + 1);
            return new ApiException(a.status(), p, what + ": " + a.status() + " " + slug + ": " + p.get("detail").asText());
        }
        return new ApiException(a.status(), p, what + ": HTTP " + a.status());
    }
}
