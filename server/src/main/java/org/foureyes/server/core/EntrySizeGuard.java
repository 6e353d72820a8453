package org.foureyes.server.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.tiles.EntryBundle;
import org.foureyes.ledger.Draft;
import org.foureyes.ledger.Refusal;
import org.foureyes.policy.Policy;

/**
 * Keeps every new entry within what a C2SP tlog-tiles entry bundle carries
 * ({@value EntryBundle#MAX_ENTRY_BYTES} bytes, a uint16 length), so the whole log can be served as
 * tiles and mirrored. Runs on the writer thread after the ledger accepted a statement and before
 * anything is applied or appended, on the entries exactly as they would be written. A request for
 * the component {@code policy} is also measured for the {@code policy.activated} entry its approval
 * would append later (it carries the whole policy), so that a change is never accepted that could
 * not take effect. Entries already in a log are never measured: existing logs keep verifying.
 */
public final class EntrySizeGuard {
    /** Problem slug of the refusal (413, docs/tiles.md). */
    public static final String PROBLEM = "entry-too-large";
    private static final byte[] ANY_PREV = new byte[32];
    private static final String ANY_SHA256 = "0".repeat(64);

    private EntrySizeGuard() {
    }

    /**
     * A refusal if one of {@code drafts}, appended from seq {@code firstSeq} at {@code time}, or the
     * activation a policy request among them would cause, is longer than an entry bundle allows.
     */
    public static Optional<Refusal> check(List<Draft> drafts, long firstSeq, Instant time) {
        long seq = firstSeq;
        for (Draft d : drafts) {
            LogEntry e = d.materialise(seq, time, ANY_PREV);
            if (e.bytes().length > EntryBundle.MAX_ENTRY_BYTES) {
                return Optional.of(refusal(d.type().wireName(), e.bytes().length, ""));
            }
            if (d.type() == EntryType.CHANGE_REQUESTED) {
                Optional<Refusal> later = activation(d, time);
                if (later.isPresent()) {
                    return later;
                }
            }
            seq++;
        }
        return Optional.empty();
    }

    /** The policy.activated entry a policy request would cause, measured at the largest seq. */
    private static Optional<Refusal> activation(Draft request, Instant time) {
        Optional<JsonNode> payload = request.statement().flatMap(StatementPeek::payload);
        if (payload.isEmpty() || !Policy.POLICY_COMPONENT.equals(payload.get().path("component").asText(null))
                || !payload.get().path("config").isObject()) {
            return Optional.empty();
        }
        ObjectNode facts = JsonNodeFactory.instance.objectNode();
        facts.put("change", Long.MAX_VALUE);
        facts.set("policy", payload.get().get("config"));
        facts.put("policy_sha256", ANY_SHA256);
        facts.put("state", "applied");
        LogEntry e = LogEntry.create(Long.MAX_VALUE, time, ANY_PREV, EntryType.POLICY_ACTIVATED, null, facts);
        if (e.bytes().length > EntryBundle.MAX_ENTRY_BYTES) {
            return Optional.of(refusal("policy.activated", e.bytes().length,
                    " once the change is approved (it carries the whole policy)"));
        }
        return Optional.empty();
    }

    private static Refusal refusal(String type, int bytes, String when) {
        return new Refusal("the " + type + " log entry this statement causes" + when + " would be " + bytes
                + " bytes, more than the " + EntryBundle.MAX_ENTRY_BYTES + " bytes a log entry may have (the most a"
                + " C2SP tlog-tiles entry bundle carries; docs/tiles.md). Nothing was logged. Make the configuration"
                + " smaller (for a policy: fewer or shorter principals, keys, guards or schemas), or split it.",
                PROBLEM, true);
    }
}
