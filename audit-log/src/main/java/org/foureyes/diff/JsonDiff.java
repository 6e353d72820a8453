package org.foureyes.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A small structural diff of two JSON documents, computed locally so that approvers never rely on a
 * diff from the host (design: Change lifecycle). Paths use dots for object members and
 * {@code [i]} for array elements ({@code capture.enabled}, {@code exit_policy[1]}); a member name
 * that is not a plain identifier is quoted ({@code ["a.b"]}). Object members are compared by name
 * (sorted), arrays element by element (an element inserted in the middle shows as changes up to the
 * end). Numbers compare by value ({@code 1} equals {@code 1.0}), as in the configuration hash (RFC
 * 8785). Deterministic; no I/O.
 */
public final class JsonDiff {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What happened at a path. */
    public enum Kind {
        ADDED("+"), REMOVED("-"), CHANGED("~");

        private final String sign;

        Kind(String sign) {
            this.sign = sign;
        }

        public String sign() {
            return sign;
        }
    }

    /**
     * One difference.
     *
     * @param before the old value (null for ADDED)
     * @param after the new value (null for REMOVED)
     */
    public record Change(Kind kind, String path, JsonNode before, JsonNode after) {
        public Change {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(path, "path");
        }

        /** One line: {@code ~ capture.enabled: true -> false}, {@code + a.b: 1}, {@code - c: "x"}. */
        @Override
        public String toString() {
            String p = path.isEmpty() ? "(document)" : path;
            return switch (kind) {
                case ADDED -> "+ " + p + ": " + compact(after);
                case REMOVED -> "- " + p + ": " + compact(before);
                case CHANGED -> "~ " + p + ": " + compact(before) + " -> " + compact(after);
            };
        }
    }

    private JsonDiff() {
    }

    /** The differences from {@code before} to {@code after}; null stands for "no document". */
    public static List<Change> diff(JsonNode before, JsonNode after) {
        List<Change> out = new ArrayList<>();
        walk("", before == null || before.isMissingNode() ? null : before,
                after == null || after.isMissingNode() ? null : after, out);
        return out;
    }

    /** The differences as text, one line each; {@code (no differences)} when equal. */
    public static String text(JsonNode before, JsonNode after) {
        List<Change> changes = diff(before, after);
        if (changes.isEmpty()) {
            return "(no differences)\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }

    /** The differences as a JSON array of {@code {op, path, before?, after?}}. */
    public static ArrayNode toJson(List<Change> changes) {
        ArrayNode a = JSON.createArrayNode();
        for (Change c : changes) {
            ObjectNode n = a.addObject();
            n.put("op", c.kind().name().toLowerCase(java.util.Locale.ROOT));
            n.put("path", c.path());
            if (c.before() != null) {
                n.set("before", c.before());
            }
            if (c.after() != null) {
                n.set("after", c.after());
            }
        }
        return a;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a == null && b == null) {
            return;
        }
        if (a == null) {
            out.add(new Change(Kind.ADDED, path, null, b));
            return;
        }
        if (b == null) {
            out.add(new Change(Kind.REMOVED, path, a, null));
            return;
        }
        if (a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                walk(member(path, name), a.get(name), b.get(name), out);
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                walk(path + "[" + i + "]", i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null, out);
            }
            return;
        }
        if (!same(a, b)) {
            out.add(new Change(Kind.CHANGED, path, a, b));
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String member(String path, String name) {
        if (name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            return path.isEmpty() ? name : path + "." + name;
        }
        return path + "[" + quote(name) + "]";
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The whole value as compact JSON, never cut short: an approver decides on what they see, so a
     * value must not hide its end behind "..." (issue 16). Jackson escapes control characters, so
     * a hostile value cannot write terminal escape sequences.
     */
    static String compact(JsonNode n) {
        return n == null ? "null" : n.toString();
    }

}
