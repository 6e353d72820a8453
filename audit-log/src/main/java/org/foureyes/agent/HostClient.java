package org.foureyes.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.foureyes.net.ServerTrouble;

/** {@link Host} over HTTP with the JDK's client. Follows no redirects; parses strictly. */
public final class HostClient implements Host {
    /** Largest release body read (a release carries at most about 4 MiB of entries). */
    static final int MAX_BODY = 64 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public HostClient(URI server, Duration timeout) {
        String s = server.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Release release(String component, long since, String accessToken) throws IOException, HostException {
        byte[] body = get("v1/components/" + component + "/release?since=" + since, accessToken, "application/json");
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw new IOException("the release is not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject() || !n.path("checkpoint").isTextual() || !n.path("since").canConvertToLong()
                || !n.path("consistency_proof").isArray() || !n.path("entries").isArray()) {
            throw new IOException("the release lacks since, checkpoint, consistency_proof or entries");
        }
        List<byte[]> proof = new ArrayList<>();
        for (JsonNode h : n.get("consistency_proof")) {
            try {
                proof.add(Base64.getDecoder().decode(h.asText()));
            } catch (IllegalArgumentException e) {
                throw new IOException("consistency_proof holds something that is not base64: " + h);
            }
        }
        List<byte[]> entries = new ArrayList<>();
        for (JsonNode e : n.get("entries")) {
            if (!e.isTextual()) {
                throw new IOException("entries holds something that is not a string");
            }
            entries.add(e.textValue().getBytes(StandardCharsets.UTF_8));
        }
        JsonNode next = n.get("next");
        return new Release(n.get("since").asLong(), n.get("checkpoint").textValue(), proof, entries,
                next == null || next.isNull() ? null : next.asLong());
    }

    @Override
    public List<byte[]> entries(long start, long end, String accessToken) throws IOException, HostException {
        byte[] body = get("v1/log/entries?start=" + start + "&end=" + end, accessToken, "application/x-ndjson");
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                byte[] line = new byte[i - from];
                System.arraycopy(body, from, line, 0, line.length);
                out.add(line);
                from = i + 1;
            }
        }
        if (from != body.length) {
            throw new IOException("the entries answer does not end with a newline");
        }
        return out;
    }

    @Override
    public void report(String component, String compactReport) throws IOException, HostException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("v1/components/" + component + "/reports"))
                .timeout(timeout)
                .header("Content-Type", "application/jose")
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofString(compactReport, StandardCharsets.US_ASCII))
                .build();
        HttpResponse<byte[]> r = send(req);
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new HostException(r.statusCode(), "POST reports answered " + r.statusCode() + ": " + shorten(r.body()));
        }
    }

    private byte[] get(String path, String accessToken, String accept) throws IOException, HostException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", accept + ", application/problem+json").GET();
        if (accessToken != null) {
            b.header("Authorization", "Bearer " + accessToken);
        }
        HttpResponse<byte[]> r = send(b.build());
        if (r.statusCode() != 200) {
            throw new HostException(r.statusCode(), "GET /" + path + " answered " + r.statusCode() + ": "
                    + shorten(r.body()));
        }
        if (r.body().length > MAX_BODY) {
            throw new IOException("GET /" + path + " answered more than " + MAX_BODY + " bytes");
        }
        return r.body();
    }

    /** Sends; an unreachable server or an answer that is not the API's is said plainly (one sentence). */
    private HttpResponse<byte[]> send(HttpRequest req) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IOException(ServerTrouble.unreachable(base, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String notApi = ServerTrouble.notTheApi(http, base, req.uri().getRawPath(), r);
        if (notApi != null) {
            throw new IOException(notApi);
        }
        return r;
    }

    private static String shorten(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).replaceAll("[\\x00-\\x1f]", " ");
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
