package org.foureyes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Issue 13 item 9's policy change, derived from the policy document in force (not a copy of the
 * file, so it follows the file's other changes): the monitor's coarse-time-buckets guard dropped and
 * src_addr added to the recordable fields.
 */
public final class WideningPolicy {
    private WideningPolicy() {
    }

    public static ObjectNode guardDroppedAddressRecordable(JsonNode policy) {
        ObjectNode doc = policy.deepCopy();
        JsonNode monitor = doc.path("components").path("monitor");
        ArrayNode guards = (ArrayNode) monitor.path("guards");
        int before = guards.size();
        for (int i = guards.size() - 1; i >= 0; i--) {
            if (guards.get(i).path("name").asText().equals("coarse-time-buckets")) {
                guards.remove(i);
            }
        }
        JsonNode fields = monitor.path("schema").path("properties").path("record").path("properties").path("fields")
                .path("items").path("enum");
        if (guards.size() != before - 1 || !fields.isArray()) {
            throw new IllegalStateException("the policy has no guard coarse-time-buckets or no enum of record.fields");
        }
        ((ArrayNode) fields).add("src_addr");
        return doc;
    }
}
