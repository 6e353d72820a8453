package org.foureyes.auditlog.tiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/** Tiles served over HTTP below a URL prefix; accepts gzip, as the specification asks clients to. */
final class HttpTileSource implements TileSource {
    private final URI prefix;
    private final HttpClient client;
    private final String token;

    HttpTileSource(URI prefix, String token) {
        this.token = token;
        String p = prefix.toString();
        this.prefix = URI.create(p.endsWith("/") ? p : p + "/");
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public byte[] read(String path) throws IOException {
        URI uri = prefix.resolve(path);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept-Encoding", "gzip, identity").GET();
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
        try (InputStream body = resp.body()) {
            if (resp.statusCode() == 404) {
                throw new NoSuchFileException(uri.toString(), null, "HTTP 404");
            }
            if (resp.statusCode() != 200) {
                throw new IOException("GET " + uri + ": HTTP " + resp.statusCode());
            }
            boolean gzip = resp.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip"))
                    .orElse(false);
            return readBounded(gzip ? new GZIPInputStream(body) : body, uri);
        }
    }

    private static byte[] readBounded(InputStream in, URI uri) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > DirectoryTileSource.MAX_BYTES) {
                throw new IOException(uri + " is larger than any tile or bundle (" + DirectoryTileSource.MAX_BYTES
                        + " bytes)");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return prefix.toString();
    }
}
