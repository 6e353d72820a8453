package org.foureyes.server.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.tiles.TileId;
import org.foureyes.auditlog.tiles.TilePaths;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.auth.ReadRule;
import org.foureyes.server.core.TileReader;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredCheckpoint;

/**
 * The log as C2SP tlog-tiles below {@code /tlog/} (docs/tiles.md): {@code checkpoint}, hash tiles
 * {@code tile/<L>/<N>[.p/<W>]} and entry bundles {@code tile/entries/<N>[.p/<W>]}. Tiles and
 * bundles are immutable and cached for a year; the checkpoint for {@value #CHECKPOINT_MAX_AGE} s.
 * Bundles are gzipped for clients that accept gzip.
 */
// The log itself, as tiles: on a private log readers and agents (who verify the whole log) only.
@ReadRule(ReadRule.Access.AGENT_LOG)
@Path("/tlog")
public class TileResource {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String OCTETS = "application/octet-stream";
    static final int CHECKPOINT_MAX_AGE = 5;
    static final String IMMUTABLE = "max-age=31536000, immutable";

    private final JdbiLogStore store;
    private final TileReader tiles;

    public TileResource(JdbiLogStore store) {
        this.store = store;
        this.tiles = new TileReader(store);
    }

    @GET
    @Path("checkpoint")
    public Response checkpoint() {
        StoredCheckpoint cp = store.latestCheckpoint().orElseThrow(() -> new ProblemException(ProblemType.LOG_EMPTY,
                "The log has no signed checkpoint yet; the service is still starting. Retry in a few seconds."));
        return Response.ok(cp.noteWithCosignatures(), TEXT)
                .header(HttpHeaders.CACHE_CONTROL, "max-age=" + CHECKPOINT_MAX_AGE).build();
    }

    @GET
    @Path("{path: tile/.+}")
    public Response tile(@PathParam("path") String path, @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String accept) {
        TileId id;
        try {
            id = TilePaths.parse(path);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such tile: " + e.getMessage()
                    + " (paths are tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>], C2SP tlog-tiles).");
        }
        byte[] bytes;
        try {
            bytes = tiles.read(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "The log's latest"
                    + " checkpoint does not cover " + id + "; fetch only the tiles of a checkpoint you verified."));
        } catch (LogStoreException e) {
            throw new IllegalStateException("cannot read " + id + " from storage: " + e.getMessage(), e);
        }
        Response.ResponseBuilder r = Response.ok().type(OCTETS).header(HttpHeaders.CACHE_CONTROL, IMMUTABLE);
        if (id.isEntries()) {
            r.header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            if (acceptsGzip(accept)) {
                return r.entity(gzip(bytes)).header("Content-Encoding", "gzip").build();
            }
        }
        return r.entity(bytes).build();
    }

    static boolean acceptsGzip(String header) {
        if (header == null) {
            return false;
        }
        for (String part : header.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                return p.length < 2 || !p[1].trim().replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
