package org.foureyes.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that an emergency change only sets declared fields to declared values (Invariant 1): the
 * proposed configuration must equal the current one, except that some of the fields the component
 * declares in {@code emergency.set} hold their declared values. An emergency can therefore only
 * narrow what a component does, never widen it.
 *
 * <p>Fields are lists of member names ({@link FieldPath}), compared segment by segment: a literal
 * member {@code "capture.enabled"} is a different field from {@code capture} → {@code enabled}.
 * Numbers compare by value ({@code 1} equals {@code 1.0}); everything else compares exactly.
 */
public final class EmergencyCheck {
    private EmergencyCheck() {}

    /** JSON equality with numbers compared by value, so 0, 0.0 and 0e0 are the same number. */
    private static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return 1;
    };

    static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals(NUMERIC, b);
    }

    /**
     * @param e the component's declared emergency
     * @param current the configuration in place, or null if the component has none yet
     * @param proposed the configuration the emergency request carries
     * @throws EmergencyException saying what differs beyond what the emergency may set, that nothing
     *     differs at all, or that there is no current configuration to start from
     */
    public static void check(Emergency e, JsonNode current, JsonNode proposed) throws EmergencyException {
        String allowed = describeAllowed(e);
        if (current == null || current.isNull() || current.isMissingNode()) {
            throw new EmergencyException("the component has no current configuration, so there is nothing an "
                    + "emergency could change; " + allowed, List.of("no current configuration"));
        }
        if (proposed == null || !proposed.isObject()) {
            throw new EmergencyException("the proposed configuration is not a JSON object; " + allowed,
                    List.of("not an object"));
        }
        if (!current.isObject()) {
            throw new EmergencyException("the current configuration is not a JSON object; " + allowed,
                    List.of("current not an object"));
        }
        List<String> differences = new ArrayList<>();
        boolean[] setSomething = {false};
        Map<FieldPath, JsonNode> set = e.fields();
        compare(null, current, proposed, set, prefixes(set.keySet()), differences, setSomething);
        if (!differences.isEmpty()) {
            throw new EmergencyException(String.join("; ", differences) + "; " + allowed, differences);
        }
        if (!setSomething[0]) {
            throw new EmergencyException("the proposed configuration equals the current one, so the emergency "
                    + "would change nothing; " + allowed, List.of("no change"));
        }
    }

    private static Set<FieldPath> prefixes(Set<FieldPath> paths) {
        Set<FieldPath> out = new LinkedHashSet<>();
        for (FieldPath p : paths) {
            out.addAll(p.prefixes());
        }
        return out;
    }

    /** Compares the members of two objects found at {@code path} (null for the top level). */
    private static void compare(FieldPath path, JsonNode current, JsonNode proposed, Map<FieldPath, JsonNode> set,
            Set<FieldPath> prefixes, List<String> differences, boolean[] setSomething) {
        Set<String> names = new LinkedHashSet<>();
        current.fieldNames().forEachRemaining(names::add);
        proposed.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            FieldPath field = path == null ? new FieldPath(List.of(name)) : path.child(name);
            JsonNode c = current.get(name);
            JsonNode p = proposed.get(name);
            if (c != null && p != null && sameJson(c, p)) {
                continue;
            }
            JsonNode declared = set.get(field);
            if (declared != null) {
                if (p == null) {
                    differences.add("field " + field + " is removed");
                } else if (sameJson(p, declared)) {
                    setSomething[0] = true;
                } else {
                    differences.add("field " + field + " is set to " + p + ", not to " + declared);
                }
            } else if (c == null) {
                differences.add("field " + field + " is added");
            } else if (p == null) {
                differences.add("field " + field + " is removed");
            } else if (prefixes.contains(field) && c.isObject() && p.isObject()) {
                compare(field, c, p, set, prefixes, differences, setSomething);
            } else {
                differences.add("field " + field + " differs from the current configuration");
            }
        }
    }

    /** "an emergency may only set capture.enabled to false" (fields in declaration order). */
    static String describeAllowed(Emergency e) {
        if (e.set().isEmpty()) {
            return "this component's emergency declares no fields, so no emergency change is possible";
        }
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = e.set().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> en = it.next();
            parts.add(en.getKey() + " to " + en.getValue());
        }
        return "an emergency may only set " + Words.list(parts, "and");
    }
}
