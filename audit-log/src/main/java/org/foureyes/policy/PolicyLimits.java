package org.foureyes.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The largest policy foureyes accepts (docs/policy.md, "Limits"). Checked on the document before
 * anything else reads it, by the same code in the server, the verifier and the agents, so a policy
 * is refused or accepted everywhere alike. The limits are counts of the document, never of time.
 */
public final class PolicyLimits {
    /** Size of the policy's compact JSON form (and of a YAML file before it is parsed), in bytes. */
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_PRINCIPALS = 2_000;
    public static final int MAX_ROLES = 500;
    /** Declared components ({@code policy} not counted). */
    public static final int MAX_COMPONENTS = 1_000;
    /** Keys over all principals. */
    public static final int MAX_KEYS = 8_000;
    /** Content guards over all components. */
    public static final int MAX_GUARDS = 2_000;
    /** Factors of one approval rule (the analysis is exponential in them: 2^8 subsets). */
    public static final int MAX_FACTORS = 8;
    /** Entries of {@code separation} (static SoD sets and protected sets together). */
    public static final int MAX_SEPARATION = 200;

    private PolicyLimits() {}

    /** A limit the document breaks: the JSON pointer of the part it is about, and a sentence. */
    record Excess(String pointer, String message) {}

    /** Refusal sentence for a YAML text larger than {@link #MAX_BYTES}, or empty. */
    static Optional<String> checkText(String text) {
        // Every UTF-8 byte comes from at least a third of a char: cheap test before the exact one.
        if (text.length() * 3L > MAX_BYTES) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_BYTES) {
                return Optional.of(tooLarge("the file has " + bytes + " bytes", MAX_BYTES));
            }
        }
        return Optional.empty();
    }

    /** The first limit the document breaks, or empty. */
    static Optional<Excess> check(JsonNode doc) {
        if (!doc.isObject()) {
            return Optional.empty(); // the loader's own checks say what is wrong
        }
        int bytes = doc.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return Optional.of(new Excess("", tooLarge("its JSON form has " + bytes + " bytes", MAX_BYTES)));
        }
        Optional<Excess> e = count(doc, "principals", MAX_PRINCIPALS);
        e = e.or(() -> count(doc, "roles", MAX_ROLES));
        e = e.or(() -> count(doc, "components", MAX_COMPONENTS));
        e = e.or(() -> count(doc, "separation", MAX_SEPARATION));
        e = e.or(() -> nested(doc, "principals", "keys", MAX_KEYS));
        e = e.or(() -> nested(doc, "components", "guards", MAX_GUARDS));
        return e.or(() -> factors(doc));
    }

    private static Optional<Excess> count(JsonNode doc, String field, int max) {
        JsonNode n = doc.get(field);
        if (n != null && (n.isObject() || n.isArray()) && n.size() > max) {
            return Optional.of(new Excess("/" + field, tooLarge("it has " + n.size() + " " + field, max)));
        }
        return Optional.empty();
    }

    /** Sum over the entries of a map of the sizes of one list member of each. */
    private static Optional<Excess> nested(JsonNode doc, String field, String member, int max) {
        JsonNode n = doc.get(field);
        if (n == null || !n.isObject()) {
            return Optional.empty();
        }
        long total = 0;
        for (Iterator<JsonNode> it = n.elements(); it.hasNext();) {
            JsonNode list = it.next().get(member);
            if (list != null && list.isArray()) {
                total += list.size();
            }
        }
        if (total > max) {
            return Optional.of(new Excess("/" + field, tooLarge("its " + field + " have " + total + " " + member
                    + " together", max)));
        }
        return Optional.empty();
    }

    private static Optional<Excess> factors(JsonNode doc) {
        JsonNode approvals = doc.get("approvals");
        if (approvals == null || !approvals.isObject()) {
            return Optional.empty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = approvals.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> rule = it.next();
            JsonNode fs = rule.getValue().get("factors");
            if (fs != null && fs.isArray() && fs.size() > MAX_FACTORS) {
                return Optional.of(new Excess("/approvals/" + rule.getKey().replace("~", "~0").replace("/", "~1")
                        + "/factors", tooLarge("approvals." + rule.getKey() + " has " + fs.size() + " factors",
                        MAX_FACTORS)));
            }
        }
        return Optional.empty();
    }

    private static String tooLarge(String what, int max) {
        return "policy too large: " + what + ", at most " + max + " allowed (docs/policy.md, Limits)";
    }
}
