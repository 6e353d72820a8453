package org.foureyes.server.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.api.Release;
import org.foureyes.server.auth.ReadRule;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredCheckpoint;
import org.foureyes.server.db.StoredEntry;

/**
 * {@code GET /v1/components/{name}/release?since=S}: the newest signed checkpoint with its
 * cosignatures, the consistency proof from {@code S} to its size, and the entries from {@code S}
 * on as exact bytes, capped (docs/release.md). The agent verifies all of it; this resource only
 * saves it round trips over the log read API, whose data it serves unchanged.
 */
@Path("/v1/components/{name}/release")
@ReadRule(ReadRule.Access.AGENT_COMPONENT_PATH)
public class ReleaseResource {
    /** Most entries one release carries; the agent continues with {@code /v1/log/entries}. */
    public static final int MAX_ENTRIES = LogResource.MAX_ENTRIES;
    /** About how many bytes of entries one release carries (at least one entry). */
    public static final long MAX_BYTES = 4L * 1024 * 1024;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private final JdbiLogStore store;

    public ReleaseResource(JdbiLogStore store) {
        this.store = store;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Release release(@PathParam("name") String name, @QueryParam("since") String sinceParam) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ProblemException(ProblemType.BAD_PARAMETER, "The component name must match"
                    + " [a-z0-9][a-z0-9._-]* (at most 100 characters), as in the policy.");
        }
        long since = LogResource.number("since", sinceParam);
        StoredCheckpoint cp = store.latestCheckpoint().orElseThrow(() -> new ProblemException(ProblemType.LOG_EMPTY,
                "The log has no signed checkpoint yet; the service is still starting. Retry in a few seconds."));
        long size = cp.size();
        if (since > size) {
            throw new ProblemException(ProblemType.BAD_RANGE, "since " + since + " is beyond this log, whose newest"
                    + " checkpoint has size " + size + ". The agent kept a checkpoint of a larger tree than this log"
                    + " has: it is pointed at another log, or this log was rolled back. Do not reset the agent's"
                    + " state to get past this; find out which.");
        }
        List<String> proof;
        try {
            proof = base64(store.consistencyProof(since, size));
        } catch (LogStoreException e) {
            throw new IllegalStateException("cannot read the consistency proof from storage: " + e.getMessage(), e);
        }
        long end = Math.min(size, since + MAX_ENTRIES);
        List<StoredEntry> stored = store.entries(since, end);
        List<String> entries = new ArrayList<>(stored.size());
        long bytes = 0;
        for (StoredEntry e : stored) {
            if (!entries.isEmpty() && bytes + e.entry().length > MAX_BYTES) {
                break;
            }
            entries.add(utf8(e));
            bytes += e.entry().length;
        }
        long reached = since + entries.size();
        return new Release(name, since, cp.noteWithCosignatures(), proof, entries, reached < size ? reached : null);
    }

    /** The entry as text; strict, so a stored entry that is not UTF-8 is never served altered. */
    private static String utf8(StoredEntry e) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(e.entry())).toString();
        } catch (CharacterCodingException x) {
            throw new IllegalStateException("stored entry " + e.seq() + " is not valid UTF-8", x);
        }
    }

    private static List<String> base64(List<byte[]> hashes) {
        List<String> out = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) {
            out.add(Base64.getEncoder().encodeToString(h));
        }
        return out;
    }
}
