package org.foureyes.server.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.server.api.ConsistencyProof;
import org.foureyes.server.api.InclusionProof;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.auth.ReadRule;
import org.foureyes.server.core.StorageIntegrity;
import org.foureyes.server.core.VerifiedProofs;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredCheckpoint;
import org.foureyes.server.db.StoredEntry;

/**
 * The log's read API for auditors and agents (design: HTTP API). Nothing beyond the latest signed
 * checkpoint is served: entries and proofs are bounded by its size.
 */
@Path("/v1/log")
@ReadRule(ReadRule.Access.AGENT_LOG)
public class LogResource {
    /** Most entries one {@code GET /v1/log/entries} returns; clients page with {@code start}. */
    public static final int MAX_ENTRIES = 1000;

    public static final String NDJSON = "application/x-ndjson";
    private static final String TEXT = MediaType.TEXT_PLAIN + ";charset=utf-8";

    private final JdbiLogStore store;
    private final VerifierKey logKey;
    private final VerifiedProofs proofs;

    public LogResource(JdbiLogStore store, VerifierKey logKey) {
        this(store, logKey, new StorageIntegrity());
    }

    /** @param integrity told when a proof read from storage does not verify against the signed root */
    public LogResource(JdbiLogStore store, VerifierKey logKey, StorageIntegrity integrity) {
        this.store = store;
        this.logKey = logKey;
        this.proofs = new VerifiedProofs(store, logKey, integrity);
    }

    /** The log's verifier key, one line, for auditors and agents to pin. */
    @GET
    @ReadRule(ReadRule.Access.PUBLIC)
    @Path("key")
    @Produces(TEXT)
    public String key() {
        return logKey + "\n";
    }

    /**
     * The latest signed checkpoint with the witness cosignature lines received for it; with
     * {@code size}, the checkpoint signed for exactly that size (one is signed per committed
     * batch), e.g. to export or check a range ending there.
     */
    @GET
    @Path("checkpoint")
    @Produces(TEXT)
    public Response checkpoint(@QueryParam("size") String sizeParam) {
        StoredCheckpoint cp = latest();
        if (sizeParam != null) {
            long size = number("size", sizeParam);
            if (size != cp.size()) {
                long latestSize = cp.size();
                cp = store.checkpointAt(size).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                        "No checkpoint was signed for size " + size + " (one is signed per committed batch; the"
                                + " latest has size " + latestSize + "). Leave size out for the latest."));
            }
        }
        return Response.ok(cp.noteWithCosignatures()).header("Cache-Control", "no-cache").build();
    }

    /**
     * Entries {@code start <= seq < end}, one per line, each line the exact stored bytes. Returns
     * fewer when {@code end} is past the latest checkpoint or more than {@value #MAX_ENTRIES}
     * entries are asked for: continue from the last seq + 1.
     */
    @GET
    @Path("entries")
    @Produces(NDJSON)
    public Response entries(@QueryParam("start") String startParam, @QueryParam("end") String endParam) {
        long start = number("start", startParam);
        long end = number("end", endParam);
        if (start > end) {
            throw badRange("start " + start + " is after end " + end + "; ask for start <= seq < end with start <= end.");
        }
        long size = latest().size();
        if (start > size) {
            throw badRange("start " + start + " is beyond the log, which has " + size
                    + " entries in its latest checkpoint; ask for start <= " + size + ".");
        }
        long last = Math.min(Math.min(end, size), start + MAX_ENTRIES);
        List<StoredEntry> entries = store.entries(start, last);
        StreamingOutput body = (OutputStream out) -> {
            OutputStream o = new BufferedOutputStream(out, 64 * 1024);
            for (StoredEntry e : entries) {
                o.write(e.entry());
                o.write('\n');
            }
            o.flush();
        };
        return Response.ok(body, NDJSON).build();
    }

    /** The inclusion proof of entry {@code index} in the tree of {@code size} entries. */
    @GET
    @Path("proof/inclusion")
    @Produces(MediaType.APPLICATION_JSON)
    public InclusionProof inclusion(@QueryParam("index") String indexParam, @QueryParam("size") String sizeParam) {
        long index = number("index", indexParam);
        long size = number("size", sizeParam);
        StoredCheckpoint latest = latest();
        long logSize = latest.size();
        if (size > logSize) {
            throw badRange("size " + size + " is beyond the log, whose latest checkpoint has size " + logSize
                    + "; ask for size <= " + logSize + ".");
        }
        if (index >= size) {
            throw badRange("index " + index + " is not in a tree of size " + size + "; ask for index < size.");
        }
        try {
            return new InclusionProof(index, size, base64(proofs.inclusion(index, size, latest)));
        } catch (LogStoreException e) {
            throw storageFailure(e);
        }
    }

    /** The consistency proof from the tree of {@code from} entries to the tree of {@code to} entries. */
    @GET
    @Path("proof/consistency")
    @Produces(MediaType.APPLICATION_JSON)
    public ConsistencyProof consistency(@QueryParam("from") String fromParam, @QueryParam("to") String toParam) {
        long from = number("from", fromParam);
        long to = number("to", toParam);
        if (from > to) {
            throw badRange("from " + from + " is after to " + to + "; a consistency proof goes from an older,"
                    + " smaller tree to a newer one.");
        }
        StoredCheckpoint latest = latest();
        long logSize = latest.size();
        if (to > logSize) {
            throw badRange("to " + to + " is beyond the log, whose latest checkpoint has size " + logSize
                    + "; ask for to <= " + logSize + ".");
        }
        try {
            return new ConsistencyProof(from, to, base64(proofs.consistency(from, to, latest)));
        } catch (LogStoreException e) {
            throw storageFailure(e);
        }
    }

    /** A database failure under the proof read is the database's (503); anything else is ours. */
    private static RuntimeException storageFailure(LogStoreException e) {
        if (e.getCause() instanceof org.jdbi.v3.core.JdbiException jdbi) {
            return jdbi;
        }
        return new IllegalStateException("cannot read the proof from storage: " + e.getMessage(), e);
    }

    private StoredCheckpoint latest() {
        return store.latestCheckpoint().orElseThrow(() -> new ProblemException(ProblemType.LOG_EMPTY,
                "The log has no signed checkpoint yet; the service is still starting. Retry in a few seconds."));
    }

    /** A required non-negative decimal query parameter. */
    static long number(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_PARAMETER, "The query parameter " + name
                    + " is required: a decimal number >= 0.");
        }
        if (value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProblemException(ProblemType.BAD_PARAMETER, "The query parameter " + name + " must be a"
                    + " decimal number >= 0 (digits only), got \"" + shorten(value) + "\".");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.BAD_PARAMETER, "The query parameter " + name
                    + " is too large, got \"" + shorten(value) + "\".");
        }
    }

    private static String shorten(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?").replace("\"", "'");
    }

    private static ProblemException badRange(String detail) {
        return new ProblemException(ProblemType.BAD_RANGE, detail);
    }

    private static List<String> base64(List<byte[]> hashes) {
        List<String> out = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) {
            out.add(Base64.getEncoder().encodeToString(h));
        }
        return out;
    }
}
