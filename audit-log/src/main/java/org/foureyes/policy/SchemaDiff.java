package org.foureyes.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * A structural diff of two JSON Schemas of one component, keyword by keyword, each change classified
 * by whether the new schema accepts configurations the old one refused. It follows {@code
 * properties} and {@code items} and understands the keywords the policies use; any other keyword
 * that differs is reported as "changed, treat as widening", because a reviewer must not read
 * silence as safety. The page's {@code policydiff.js} implements the same rules and texts (shared
 * golden data keeps them equal).
 *
 * <p>Members are visited in sorted order (UTF-16 code units), so the result does not depend on how
 * the document was serialised.
 */
public final class SchemaDiff {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keywords that only describe; a change is neutral. */
    private static final Set<String> ANNOTATIONS =
            Set.of("description", "title", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly");
    /** Lower bounds: lowering or removing one widens. */
    private static final Set<String> LOWER =
            Set.of("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains");
    /** Upper bounds: raising or removing one widens. */
    private static final Set<String> UPPER =
            Set.of("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains");

    private final String scope;
    private final List<ContentChange> out = new ArrayList<>();

    private SchemaDiff(String scope) {
        this.scope = scope;
    }

    /**
     * The changes from {@code old} to {@code neu} (either may be null: no schema).
     *
     * @param scope the component, for the lines
     */
    public static List<ContentChange> between(String scope, JsonNode old, JsonNode neu) {
        SchemaDiff d = new SchemaDiff(scope);
        boolean hadOld = old != null && !old.isMissingNode() && !old.isNull();
        boolean hasNew = neu != null && !neu.isMissingNode() && !neu.isNull();
        if (hadOld && !hasNew) {
            d.out.add(new ContentChange(scope, "schema removed: any configuration is accepted", Widening.WIDENS));
        } else if (!hadOld && hasNew) {
            d.out.add(new ContentChange(scope, "schema added", Widening.NARROWS));
        } else if (hadOld) {
            d.walk("", old, neu);
        }
        return List.copyOf(d.out);
    }

    private void add(String path, String text, Widening w) {
        out.add(new ContentChange(scope, "schema " + (path.isEmpty() ? "(configuration)" : path) + ": " + text, w));
    }

    private void walk(String path, JsonNode a, JsonNode b) {
        if (a.equals(b)) {
            return;
        }
        if (!a.isObject() || !b.isObject()) {
            // Boolean schemas: false accepts nothing, so only a change to false is a sure narrowing.
            boolean toFalse = b.isBoolean() && !b.booleanValue();
            add(path, "schema " + jcs(a) + " -> " + jcs(b) + (toFalse ? "" : ", treat as widening"),
                    toFalse ? Widening.NARROWS : Widening.WIDENS);
            return;
        }
        Set<String> keys = new TreeSet<>();
        a.fieldNames().forEachRemaining(keys::add);
        b.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            JsonNode x = a.get(k);
            JsonNode y = b.get(k);
            if (x != null && x.equals(y)) {
                continue;
            }
            keyword(path, k, x, y, a, b);
        }
    }

    private void keyword(String path, String k, JsonNode x, JsonNode y, JsonNode a, JsonNode b) {
        if (ANNOTATIONS.contains(k)) {
            add(path, k + " changed", Widening.NEUTRAL);
        } else if (k.equals("enum")) {
            enumDiff(path, x, y);
        } else if (k.equals("type")) {
            typeDiff(path, x, y);
        } else if (LOWER.contains(k) || UPPER.contains(k)) {
            bound(path, k, x, y, LOWER.contains(k));
        } else if (k.equals("pattern") || k.equals("format")) {
            if (x == null) {
                add(path, k + " " + jcs(y) + " added", Widening.NARROWS);
            } else if (y == null) {
                add(path, k + " " + jcs(x) + " removed", Widening.WIDENS);
            } else {
                add(path, k + " " + jcs(x) + " -> " + jcs(y) + " (cannot prove it narrows)", Widening.MAY_WIDEN);
            }
        } else if (k.equals("required")) {
            requiredDiff(path, x, y);
        } else if (k.equals("additionalProperties")) {
            additional(path, x, y);
        } else if (k.equals("properties")) {
            properties(path, x, y, a, b);
        } else if (k.equals("items") && (x == null || y == null)) {
            add(path, "items " + (x == null ? "schema added" : "schema removed: any element is accepted"),
                    x == null ? Widening.NARROWS : Widening.WIDENS);
        } else if (k.equals("items") && x.isObject() && y.isObject()) {
            walk(path + "[]", x, y);
        } else if (k.equals("uniqueItems")) {
            boolean was = x != null && x.asBoolean();
            boolean is = y != null && y.asBoolean();
            add(path, "uniqueItems " + was + " -> " + is, was == is ? Widening.NEUTRAL
                    : was ? Widening.WIDENS : Widening.NARROWS);
        } else if (k.equals("multipleOf")) {
            multipleOf(path, x, y);
        } else if (k.equals("const")) {
            if (x == null) {
                add(path, "const " + jcs(y) + " added", Widening.NARROWS);
            } else {
                add(path, "const " + jcs(x) + " -> " + (y == null ? "(absent)" : jcs(y)), Widening.WIDENS);
            }
        } else {
            add(path, "keyword " + k + " changed, treat as widening", Widening.WIDENS);
        }
    }

    private void enumDiff(String path, JsonNode x, JsonNode y) {
        if (x == null) {
            add(path, "enum " + jcs(y) + " added", Widening.NARROWS);
            return;
        }
        if (y == null) {
            add(path, "enum " + jcs(x) + " removed: any value of the type is accepted", Widening.WIDENS);
            return;
        }
        List<String> before = texts(x);
        List<String> after = texts(y);
        after.stream().filter(v -> !before.contains(v))
                .forEach(v -> add(path, "enum value " + v + " added", Widening.WIDENS));
        before.stream().filter(v -> !after.contains(v))
                .forEach(v -> add(path, "enum value " + v + " removed", Widening.NARROWS));
        if (before.size() == after.size() && before.containsAll(after)) {
            add(path, "enum reordered", Widening.NEUTRAL);
        }
    }

    private void typeDiff(String path, JsonNode x, JsonNode y) {
        if (x == null) {
            add(path, "type " + jcs(y) + " added", Widening.NARROWS);
            return;
        }
        if (y == null) {
            add(path, "type " + jcs(x) + " removed: any type is accepted", Widening.WIDENS);
            return;
        }
        Set<String> before = typeSet(x);
        Set<String> after = typeSet(y);
        // Every type of the new schema is accepted by the old one (an integer is a number).
        boolean within = after.stream().allMatch(t -> before.contains(t) || t.equals("integer") && before.contains("number"));
        add(path, "type " + jcs(x) + " -> " + jcs(y), within ? Widening.NARROWS : Widening.WIDENS);
    }

    private void bound(String path, String k, JsonNode x, JsonNode y, boolean lower) {
        if (x == null) {
            add(path, k + " " + jcs(y) + " added", Widening.NARROWS);
        } else if (y == null) {
            add(path, k + " " + jcs(x) + " removed", Widening.WIDENS);
        } else if (!x.isNumber() || !y.isNumber()) {
            add(path, k + " " + jcs(x) + " -> " + jcs(y) + ", treat as widening", Widening.WIDENS);
        } else {
            int c = y.decimalValue().compareTo(x.decimalValue());
            boolean relaxed = lower ? c < 0 : c > 0;
            add(path, k + " " + jcs(x) + " -> " + jcs(y) + (relaxed ? " (relaxed)" : " (tightened)"),
                    relaxed ? Widening.WIDENS : Widening.NARROWS);
        }
    }

    private void multipleOf(String path, JsonNode x, JsonNode y) {
        if (x == null) {
            add(path, "multipleOf " + jcs(y) + " added", Widening.NARROWS);
        } else if (y == null) {
            add(path, "multipleOf " + jcs(x) + " removed", Widening.WIDENS);
        } else if (x.isNumber() && y.isNumber() && y.decimalValue().signum() > 0
                && divides(x.decimalValue(), y.decimalValue())) {
            // The old step is a multiple of the new: every old value is still accepted, and more.
            add(path, "multipleOf " + jcs(x) + " -> " + jcs(y), Widening.WIDENS);
        } else if (x.isNumber() && y.isNumber() && x.decimalValue().signum() > 0
                && divides(y.decimalValue(), x.decimalValue())) {
            add(path, "multipleOf " + jcs(x) + " -> " + jcs(y), Widening.NARROWS);
        } else {
            add(path, "multipleOf " + jcs(x) + " -> " + jcs(y) + ", treat as widening", Widening.WIDENS);
        }
    }

    private static boolean divides(BigDecimal multiple, BigDecimal step) {
        return multiple.remainder(step).signum() == 0;
    }

    private void requiredDiff(String path, JsonNode x, JsonNode y) {
        List<String> before = x == null ? List.of() : texts(x);
        List<String> after = y == null ? List.of() : texts(y);
        before.stream().filter(v -> !after.contains(v))
                .forEach(v -> add(path, "required field " + v + " dropped", Widening.WIDENS));
        after.stream().filter(v -> !before.contains(v))
                .forEach(v -> add(path, "field " + v + " now required", Widening.NARROWS));
        if (before.size() == after.size() && before.containsAll(after)) {
            add(path, "required reordered", Widening.NEUTRAL);
        }
    }

    private void additional(String path, JsonNode x, JsonNode y) {
        boolean wasClosed = x != null && x.isBoolean() && !x.booleanValue();
        boolean isClosed = y != null && y.isBoolean() && !y.booleanValue();
        String before = x == null ? "(absent)" : jcs(x);
        String after = y == null ? "(absent)" : jcs(y);
        boolean wasOpen = x == null || x.isBoolean() && x.booleanValue();
        boolean isOpen = y == null || y.isBoolean() && y.booleanValue();
        if (wasOpen && isOpen) {
            add(path, "additionalProperties " + before + " -> " + after + " (both accept any member)", Widening.NEUTRAL);
        } else if (wasClosed) {
            add(path, "additionalProperties opened (" + before + " -> " + after + ")", Widening.WIDENS);
        } else if (isClosed) {
            add(path, "additionalProperties closed (" + before + " -> " + after + ")", Widening.NARROWS);
        } else if (x != null && y != null && x.isObject() && y.isObject()) {
            walk(path + ".*", x, y);
        } else if (y == null || y.isBoolean()) {
            add(path, "additionalProperties " + before + " -> " + after, Widening.WIDENS);
        } else {
            // absent/true -> a schema: extra members are now constrained.
            add(path, "additionalProperties " + before + " -> " + after, Widening.NARROWS);
        }
    }

    private void properties(String path, JsonNode x, JsonNode y, JsonNode a, JsonNode b) {
        JsonNode px = x == null ? JSON.createObjectNode() : x;
        JsonNode py = y == null ? JSON.createObjectNode() : y;
        boolean oldClosed = closed(a);
        boolean newClosed = closed(b);
        Set<String> names = new TreeSet<>();
        px.fieldNames().forEachRemaining(names::add);
        py.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            JsonNode s = px.get(n);
            JsonNode t = py.get(n);
            String p = member(path, n);
            if (s != null && t != null) {
                walk(p, s, t);
            } else if (s == null) {
                add(path, "property " + jcs(JSON.getNodeFactory().textNode(n)) + " added"
                        + (oldClosed ? " where additionalProperties was false" : ""),
                        oldClosed ? Widening.WIDENS : Widening.NARROWS);
            } else {
                add(path, "property " + jcs(JSON.getNodeFactory().textNode(n)) + " removed"
                        + (newClosed ? "" : ": its value is no longer checked"),
                        newClosed ? Widening.NARROWS : Widening.WIDENS);
            }
        }
    }

    private static boolean closed(JsonNode schema) {
        JsonNode ap = schema.get("additionalProperties");
        return ap != null && ap.isBoolean() && !ap.booleanValue();
    }

    /** {@code record.fields}, {@code ["odd key"]}: the configuration path the page's diff uses too. */
    static String member(String path, String name) {
        if (name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            return path.isEmpty() ? name : path + "." + name;
        }
        return path + "[" + jcs(JSON.getNodeFactory().textNode(name)) + "]";
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> out.add(jcs(v)));
        } else {
            out.add(jcs(array));
        }
        return out;
    }

    private static Set<String> typeSet(JsonNode t) {
        Set<String> out = new TreeSet<>();
        if (t.isArray()) {
            t.forEach(v -> out.add(v.asText()));
        } else {
            out.add(t.asText());
        }
        return out;
    }

    /** RFC 8785 text of a value, as the page's {@code jcs} writes it. */
    static String jcs(JsonNode v) {
        try {
            return new JsonCanonicalizer(JSON.writeValueAsString(v)).getEncodedString();
        } catch (IOException e) {
            return v.toString();
        }
    }
}
