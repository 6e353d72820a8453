package org.foureyes.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An emergency change a component allows: it may only set the declared fields to the declared
 * values, so it can never widen what is monitored.
 *
 * @param set field path as written in the policy ({@link FieldPath}: dot-separated, e.g. {@code
 *     capture.enabled}, or a JSON Pointer) to the value it may be set to
 * @param approvals the rule an emergency request needs (may have no factors: no approval at all)
 * @param reviewWithin how soon after taking effect the change must be reviewed
 */
public record Emergency(Map<String, JsonNode> set, ApprovalRule approvals, Duration reviewWithin) {
    public Emergency {
        set = Ordered.copyOf(set);
        for (String path : set.keySet()) {
            if (FieldPath.parse(path).isEmpty()) {
                throw new IllegalArgumentException("malformed field path '" + path + "'");
            }
        }
    }

    /** The declared fields as member-name lists, compared structurally (never by joined text). */
    public Map<FieldPath, JsonNode> fields() {
        Map<FieldPath, JsonNode> out = new LinkedHashMap<>();
        set.forEach((path, value) -> out.put(FieldPath.parse(path).orElseThrow(), value));
        return out;
    }
}
