package org.foureyes.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * An emergency change a component allows: it may only set the declared fields to the declared
 * values, so it can never widen what is monitored.
 *
 * @param set field path (dot-separated, e.g. {@code capture.enabled}) to the value it may be set to
 * @param approvals the rule an emergency request needs (may have no factors: no approval at all)
 * @param reviewWithin how soon after taking effect the change must be reviewed
 */
public record Emergency(Map<String, JsonNode> set, ApprovalRule approvals, Duration reviewWithin) {
    public Emergency {
        set = Ordered.copyOf(set);
    }
}
