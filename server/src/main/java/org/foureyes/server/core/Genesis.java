package org.foureyes.server.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.VerifierKey;

/** The first entry of a log: {@code log.genesis} with the origin, log key and initial policy. */
public final class Genesis {
    private Genesis() {
    }

    /**
     * The genesis draft. Under the log lock it refuses unless it would be entry 0, so two
     * instances starting at once on an empty database write one genesis between them.
     *
     * @param policy the policy document (JSON form of the policy file)
     * @param policySha256 hex SHA-256 of its RFC 8785 form ({@code PolicyHash.sha256Hex})
     */
    public static EntryDraft draft(String origin, VerifierKey logKey, JsonNode policy, String policySha256) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(logKey, "logKey");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(policySha256, "policySha256");
        return ctx -> {
            if (ctx.seq() != 0) {
                throw new EntryRefusedException("the log already has a genesis entry (it has " + ctx.seq()
                        + " entries)");
            }
            ObjectNode facts = JsonNodeFactory.instance.objectNode();
            facts.put("origin", origin);
            facts.put("log_key", logKey.toString());
            facts.set("policy", policy.deepCopy());
            facts.put("policy_sha256", policySha256);
            return new EntryContent(EntryType.LOG_GENESIS.wireName(), null, facts);
        };
    }
}
