package org.foureyes.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a policy change does to the rules configurations are judged by, computed from the two policy
 * documents (the form the log holds and the page reads): per component, guards added, removed or
 * changed (by name; changed = expression or message differs), the structural schema diff
 * ({@link SchemaDiff}) and the emergency rule; then the time limits. Each change says whether it
 * widens. The page's {@code policydiff.js} implements the same rules over the same documents.
 */
public final class ContentDiff {
    private final List<ContentChange> out = new ArrayList<>();

    private ContentDiff() {
    }

    /** The changes from {@code oldDoc} to {@code newDoc} (policy documents), components in name order. */
    public static List<ContentChange> between(JsonNode oldDoc, JsonNode newDoc) {
        ContentDiff d = new ContentDiff();
        JsonNode oc = oldDoc.path("components");
        JsonNode nc = newDoc.path("components");
        Set<String> names = new TreeSet<>();
        oc.fieldNames().forEachRemaining(names::add);
        nc.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode a = oc.path(name);
            JsonNode b = nc.path(name);
            if (a.isMissingNode() || b.isMissingNode()) {
                continue; // components added or removed are listed by PolicyDiff
            }
            d.guards(name, a.path("guards"), b.path("guards"));
            d.out.addAll(SchemaDiff.between(name, a.get("schema"), b.get("schema")));
            d.emergency(name, a.get("emergency"), b.get("emergency"));
        }
        for (String field : List.of("pending_ttl", "apply_ttl")) {
            d.timing(field, oldDoc.path("timing").get(field), newDoc.path("timing").get(field));
        }
        return List.copyOf(d.out);
    }

    private void add(String scope, String what, Widening w) {
        out.add(new ContentChange(scope, what, w));
    }

    private void guards(String c, JsonNode a, JsonNode b) {
        Map<String, JsonNode> before = byName(a);
        Map<String, JsonNode> after = byName(b);
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            JsonNode g = after.get(e.getKey());
            String expr = e.getValue().path("expr").asText();
            if (g == null) {
                add(c, "guard " + e.getKey() + " removed (it required: " + expr + ")", Widening.WIDENS);
            } else if (!g.path("expr").asText().equals(expr)) {
                add(c, "guard " + e.getKey() + " changed: " + expr + " -> " + g.path("expr").asText()
                        + ", treat as widening", Widening.WIDENS);
            } else if (!g.path("message").asText().equals(e.getValue().path("message").asText())) {
                add(c, "guard " + e.getKey() + " message changed", Widening.NEUTRAL);
            }
        }
        for (Map.Entry<String, JsonNode> e : after.entrySet()) {
            if (!before.containsKey(e.getKey())) {
                add(c, "guard " + e.getKey() + " added (requires: " + e.getValue().path("expr").asText() + ")",
                        Widening.NARROWS);
            }
        }
    }

    private static Map<String, JsonNode> byName(JsonNode guards) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        guards.forEach(g -> m.put(g.path("name").asText(), g));
        return m;
    }

    private void emergency(String c, JsonNode a, JsonNode b) {
        if (a == null && b == null || a != null && a.equals(b)) {
            return;
        }
        if (a == null) {
            add(c, "emergency rule added: " + SchemaDiff.jcs(b.path("set")) + " may now be set with approvals "
                    + SchemaDiff.jcs(b.path("approvals")), Widening.WIDENS);
            return;
        }
        if (b == null) {
            add(c, "emergency rule removed", Widening.NARROWS);
            return;
        }
        JsonNode sa = a.path("set");
        JsonNode sb = b.path("set");
        Set<String> fields = new TreeSet<>();
        sa.fieldNames().forEachRemaining(fields::add);
        sb.fieldNames().forEachRemaining(fields::add);
        for (String f : fields) {
            JsonNode x = sa.get(f);
            JsonNode y = sb.get(f);
            if (x == null) {
                add(c, "emergency may now set " + f + " to " + SchemaDiff.jcs(y), Widening.WIDENS);
            } else if (y == null) {
                add(c, "emergency may no longer set " + f, Widening.NARROWS);
            } else if (!x.equals(y)) {
                add(c, "emergency sets " + f + " to " + SchemaDiff.jcs(y) + " instead of " + SchemaDiff.jcs(x),
                        Widening.WIDENS);
            }
        }
        if (!a.path("approvals").equals(b.path("approvals"))) {
            add(c, "emergency approvals " + SchemaDiff.jcs(a.path("approvals")) + " -> "
                    + SchemaDiff.jcs(b.path("approvals")) + ", treat as widening", Widening.WIDENS);
        }
        duration(c, "emergency review_within", a.get("review_within"), b.get("review_within"));
        Set<String> others = new TreeSet<>();
        a.fieldNames().forEachRemaining(others::add);
        b.fieldNames().forEachRemaining(others::add);
        others.removeAll(Set.of("set", "approvals", "review_within"));
        for (String k : others) {
            if (a.get(k) == null || !a.get(k).equals(b.get(k))) {
                add(c, "emergency " + k + " changed, treat as widening", Widening.WIDENS);
            }
        }
    }

    private void timing(String field, JsonNode x, JsonNode y) {
        duration("timing", field, x, y);
    }

    /** A time limit: longer widens (an approval or emergency stays good for longer). */
    private void duration(String scope, String field, JsonNode x, JsonNode y) {
        if (x == null && y == null || x != null && x.equals(y)) {
            return;
        }
        String before = x == null ? "(absent)" : x.asText();
        String after = y == null ? "(absent)" : y.asText();
        Long a = millis(x);
        Long b = millis(y);
        if (a == null || b == null) {
            add(scope, field + " " + before + " -> " + after + ", treat as widening", Widening.WIDENS);
        } else if (a.equals(b)) {
            add(scope, field + " " + before + " -> " + after + " (same length)", Widening.NEUTRAL);
        } else {
            add(scope, field + " " + before + " -> " + after + (b > a ? " (longer)" : " (shorter)"),
                    b > a ? Widening.WIDENS : Widening.NARROWS);
        }
    }

    /** The ISO-8601 forms the page's durationMs reads too: PnDTnHnMnS. */
    private static Long millis(JsonNode d) {
        if (d == null || !d.isTextual()
                || !d.asText().matches("P(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?")) {
            return null;
        }
        try {
            return Duration.parse(d.asText()).toMillis();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
