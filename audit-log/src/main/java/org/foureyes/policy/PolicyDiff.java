package org.foureyes.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.foureyes.auditlog.VerifierKey;

/**
 * What a proposed policy changes, for the people who approve it: principals and keys added and
 * removed, rights gained and lost per principal, approval rules, components, timing, the size of
 * the cheapest coalition of each protected set before and after, and every change to guards,
 * schemas, emergency rules and time limits with whether it widens ({@link ContentDiff}), which the
 * text lists first.
 *
 * <p>{@link #toJson()} has this stable shape (absent sizes are {@code null}):
 *
 * <pre>{@code
 * {"old": {"name": "tor-exit", "sha256": "..."}, "new": {"name": "tor-exit", "sha256": "..."},
 *  "components": {"added": [...], "removed": [...]},
 *  "principals": {"added": [...], "removed": [...]},
 *  "keys": [{"principal": "rene", "added": ["rene+..."], "removed": [...]}],
 *  "rights": [{"principal": "rene", "gained": ["approve:relay", "read"], "lost": [...]}],
 *  "approvals": [{"component": "policy", "old": "2 approvers with role ...", "new": "..."}],
 *  "timing": [{"field": "pending_ttl", "old": "PT168H", "new": "PT72H"}],
 *  "coalitions": [{"set": "widen-monitoring", "old": 3, "new": 2, "min_coalition": 3, "ok": false}],
 *  "new_violations": ["..."],
 *  "widens": true,
 *  "content": [{"scope": "monitor", "what": "guard coarse-time-buckets removed (...)", "verdict": "widens"}]}
 * }</pre>
 */
public final class PolicyDiff {

    /** Rights a principal gains and loses ({@code action:component}, or {@code read}). */
    public record RightsChange(String principal, List<String> gained, List<String> lost) {}

    /** Keys added to and removed from a principal present in both policies. */
    public record KeysChange(String principal, List<String> added, List<String> removed) {}

    /** A component whose approval rule changes (a text of {@code null} where the component is absent). */
    public record RuleChange(String component, String old, String neu) {}

    /** A time limit that changes. */
    public record TimingChange(String field, String old, String neu) {}

    /** Coalition sizes of a protected set before and after (empty where the set is absent or no coalition exists). */
    public record CoalitionChange(String set, OptionalInt old, OptionalInt neu, int minCoalition, boolean ok) {}

    private final Policy oldPolicy;
    private final Policy newPolicy;
    private final List<String> componentsAdded = new ArrayList<>();
    private final List<String> componentsRemoved = new ArrayList<>();
    private final List<String> principalsAdded = new ArrayList<>();
    private final List<String> principalsRemoved = new ArrayList<>();
    private final List<KeysChange> keys = new ArrayList<>();
    private final List<RightsChange> rights = new ArrayList<>();
    private final List<RuleChange> approvals = new ArrayList<>();
    private final List<TimingChange> timing = new ArrayList<>();
    private final List<CoalitionChange> coalitions = new ArrayList<>();
    private final List<String> newViolations;
    private final List<ContentChange> content;

    private PolicyDiff(Policy old, Policy neu) {
        this.oldPolicy = old;
        this.newPolicy = neu;
        diffNames(old.components().keySet(), neu.components().keySet(), componentsAdded, componentsRemoved);
        diffNames(old.principals().keySet(), neu.principals().keySet(), principalsAdded, principalsRemoved);
        for (Principal p : neu.principals().values()) {
            Principal before = old.principals().get(p.name());
            if (before != null) {
                List<String> added = new ArrayList<>();
                List<String> removed = new ArrayList<>();
                diffNames(keyTexts(before), keyTexts(p), added, removed);
                if (!added.isEmpty() || !removed.isEmpty()) {
                    keys.add(new KeysChange(p.name(), added, removed));
                }
            }
        }
        Set<String> everyone = new LinkedHashSet<>(old.principals().keySet());
        everyone.addAll(neu.principals().keySet());
        for (String p : everyone) {
            List<String> gained = new ArrayList<>();
            List<String> lost = new ArrayList<>();
            diffNames(rightsOf(old, p), rightsOf(neu, p), gained, lost);
            if (!gained.isEmpty() || !lost.isEmpty()) {
                rights.add(new RightsChange(p, gained, lost));
            }
        }
        Set<String> comps = new LinkedHashSet<>(old.components().keySet());
        comps.addAll(neu.components().keySet());
        for (String c : comps) {
            String a = old.approvals().containsKey(c) ? PolicyAnalysis.describe(old.approvalRule(c)) : null;
            String b = neu.approvals().containsKey(c) ? PolicyAnalysis.describe(neu.approvalRule(c)) : null;
            if (!Objects.equals(a, b)) {
                approvals.add(new RuleChange(c, a, b));
            }
        }
        if (!old.timing().pendingTtl().equals(neu.timing().pendingTtl())) {
            timing.add(new TimingChange("pending_ttl", old.timing().pendingTtl().toString(), neu.timing().pendingTtl().toString()));
        }
        if (!old.timing().applyTtl().equals(neu.timing().applyTtl())) {
            timing.add(new TimingChange("apply_ttl", old.timing().applyTtl().toString(), neu.timing().applyTtl().toString()));
        }
        PolicyAnalysis oa = PolicyAnalysis.analyse(old);
        PolicyAnalysis na = PolicyAnalysis.analyse(neu);
        Map<String, PolicyAnalysis.Coalition> before = new LinkedHashMap<>();
        oa.coalitions().forEach(c -> before.put(c.set(), c));
        Map<String, PolicyAnalysis.Coalition> after = new LinkedHashMap<>();
        na.coalitions().forEach(c -> after.put(c.set(), c));
        Set<String> sets = new LinkedHashSet<>(before.keySet());
        sets.addAll(after.keySet());
        for (String s : sets) {
            PolicyAnalysis.Coalition b = before.get(s);
            PolicyAnalysis.Coalition n = after.get(s);
            coalitions.add(new CoalitionChange(s, b == null ? OptionalInt.empty() : b.size(),
                    n == null ? OptionalInt.empty() : n.size(), n == null ? b.minRequired() : n.minRequired(),
                    n == null || n.ok()));
        }
        newViolations = na.violations();
        content = ContentDiff.between(old.document(), neu.document());
    }

    /** The changes from {@code old} to {@code neu}. */
    public static PolicyDiff between(Policy old, Policy neu) {
        return new PolicyDiff(old, neu);
    }

    private static Set<String> keyTexts(Principal p) {
        Set<String> out = new LinkedHashSet<>();
        for (VerifierKey k : p.keys()) {
            out.add(k.toString());
        }
        return out;
    }

    private static Set<String> rightsOf(Policy policy, String principal) {
        Set<String> out = new LinkedHashSet<>();
        if (!policy.principals().containsKey(principal)) {
            return out;
        }
        for (String c : policy.components().keySet()) {
            for (Right.Action a : Right.Action.values()) {
                Right r = new Right(a, c);
                if (policy.holds(principal, r)) {
                    out.add(r.toString());
                }
            }
        }
        if (policy.canRead(principal)) {
            out.add("read");
        }
        return out;
    }

    private static void diffNames(Set<String> before, Set<String> after, List<String> added, List<String> removed) {
        after.stream().filter(x -> !before.contains(x)).forEach(added::add);
        before.stream().filter(x -> !after.contains(x)).forEach(removed::add);
    }

    public List<String> componentsAdded() {
        return List.copyOf(componentsAdded);
    }

    public List<String> componentsRemoved() {
        return List.copyOf(componentsRemoved);
    }

    public List<String> principalsAdded() {
        return List.copyOf(principalsAdded);
    }

    public List<String> principalsRemoved() {
        return List.copyOf(principalsRemoved);
    }

    public List<KeysChange> keys() {
        return List.copyOf(keys);
    }

    public List<RightsChange> rights() {
        return List.copyOf(rights);
    }

    public List<RuleChange> approvals() {
        return List.copyOf(approvals);
    }

    public List<TimingChange> timing() {
        return List.copyOf(timing);
    }

    public List<CoalitionChange> coalitions() {
        return List.copyOf(coalitions);
    }

    /** The new policy's analysis violations (a policy change to it would be refused). */
    public List<String> newViolations() {
        return newViolations;
    }

    /** Guards, schemas, emergency rules and time limits that change, each classified ({@link ContentDiff}). */
    public List<ContentChange> content() {
        return content;
    }

    /** Whether the new policy may accept a configuration the old one refused (a content change widens or may widen). */
    public boolean widens() {
        return content.stream().anyMatch(c -> c.verdict().alarming());
    }

    /** Whether anything changes at all (the documents may still differ in descriptions). */
    public boolean isEmpty() {
        return content.isEmpty() && componentsAdded.isEmpty() && componentsRemoved.isEmpty() && principalsAdded.isEmpty()
                && principalsRemoved.isEmpty() && keys.isEmpty() && rights.isEmpty() && approvals.isEmpty()
                && timing.isEmpty() && coalitions.stream().allMatch(c -> c.old().equals(c.neu()));
    }

    private static String size(OptionalInt n) {
        return n.isPresent() ? String.valueOf(n.getAsInt()) : "none";
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("policy ").append(oldPolicy.name()).append(" (sha256 ").append(PolicyHash.sha256Hex(oldPolicy))
                .append(")\n    -> ").append(newPolicy.name()).append(" (sha256 ").append(PolicyHash.sha256Hex(newPolicy))
                .append(")\n");
        boolean contentSame = oldPolicy.document().equals(newPolicy.document());
        if (contentSame) {
            sb.append("\nno changes: the documents are identical\n");
            return sb.toString();
        }
        // What widens comes first: it is what an approver must not miss.
        List<ContentChange> alarming = content.stream().filter(c -> c.verdict().alarming()).toList();
        if (!alarming.isEmpty()) {
            sb.append("\nWIDENS: the new policy accepts configurations the old one refused\n");
            alarming.forEach(c -> sb.append("  ").append(c.line()).append('\n'));
        }
        section(sb, "Components", componentsAdded, componentsRemoved);
        section(sb, "Principals", principalsAdded, principalsRemoved);
        if (!keys.isEmpty()) {
            sb.append("\nKeys\n");
            for (KeysChange k : keys) {
                k.added().forEach(x -> sb.append("  ").append(k.principal()).append(": + ").append(x).append('\n'));
                k.removed().forEach(x -> sb.append("  ").append(k.principal()).append(": - ").append(x).append('\n'));
            }
        }
        if (!rights.isEmpty()) {
            sb.append("\nRights\n");
            for (RightsChange r : rights) {
                sb.append("  ").append(r.principal()).append(":");
                r.gained().forEach(x -> sb.append(" +").append(x));
                r.lost().forEach(x -> sb.append(" -").append(x));
                sb.append('\n');
            }
        }
        if (!approvals.isEmpty()) {
            sb.append("\nApproval rules\n");
            for (RuleChange r : approvals) {
                sb.append("  ").append(r.component()).append(": ").append(r.old() == null ? "(absent)" : r.old())
                        .append(" -> ").append(r.neu() == null ? "(absent)" : r.neu()).append('\n');
            }
        }
        List<ContentChange> rest = content.stream().filter(c -> !c.verdict().alarming()).toList();
        if (!rest.isEmpty()) {
            sb.append("\nGuards, schemas, emergency rules and timing (narrowing or neutral)\n");
            rest.forEach(c -> sb.append("  ").append(c.line()).append('\n'));
        }
        sb.append("\nProtected sets (cheapest coalition, before -> after)\n");
        if (coalitions.isEmpty()) {
            sb.append("  (none)\n");
        }
        for (CoalitionChange c : coalitions) {
            sb.append("  ").append(c.set()).append(": ").append(size(c.old())).append(" -> ").append(size(c.neu()))
                    .append(" (min_coalition ").append(c.minCoalition()).append(")")
                    .append(c.ok() ? "" : " TOO SMALL").append('\n');
        }
        if (isEmpty()) {
            sb.append("\nno change in principals, keys, rights, rules, guards, schemas, emergency rules, timing"
                    + " or coalitions (descriptions differ)\n");
        }
        if (!newViolations.isEmpty()) {
            sb.append("\nthe new policy would be refused:\n");
            newViolations.forEach(v -> sb.append("  - ").append(v).append('\n'));
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<String> added, List<String> removed) {
        if (added.isEmpty() && removed.isEmpty()) {
            return;
        }
        sb.append('\n').append(title).append('\n');
        added.forEach(x -> sb.append("  + ").append(x).append('\n'));
        removed.forEach(x -> sb.append("  - ").append(x).append('\n'));
    }

    public ObjectNode toJson() {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        ObjectNode root = nf.objectNode();
        root.putObject("old").put("name", oldPolicy.name()).put("sha256", PolicyHash.sha256Hex(oldPolicy));
        root.putObject("new").put("name", newPolicy.name()).put("sha256", PolicyHash.sha256Hex(newPolicy));
        ObjectNode comps = root.putObject("components");
        strings(comps.putArray("added"), componentsAdded);
        strings(comps.putArray("removed"), componentsRemoved);
        ObjectNode ps = root.putObject("principals");
        strings(ps.putArray("added"), principalsAdded);
        strings(ps.putArray("removed"), principalsRemoved);
        ArrayNode ks = root.putArray("keys");
        for (KeysChange k : keys) {
            ObjectNode o = ks.addObject().put("principal", k.principal());
            strings(o.putArray("added"), k.added());
            strings(o.putArray("removed"), k.removed());
        }
        ArrayNode rs = root.putArray("rights");
        for (RightsChange r : rights) {
            ObjectNode o = rs.addObject().put("principal", r.principal());
            strings(o.putArray("gained"), r.gained());
            strings(o.putArray("lost"), r.lost());
        }
        ArrayNode as = root.putArray("approvals");
        approvals.forEach(r -> as.addObject().put("component", r.component()).put("old", r.old()).put("new", r.neu()));
        ArrayNode ts = root.putArray("timing");
        timing.forEach(t -> ts.addObject().put("field", t.field()).put("old", t.old()).put("new", t.neu()));
        ArrayNode cs = root.putArray("coalitions");
        for (CoalitionChange c : coalitions) {
            ObjectNode o = cs.addObject().put("set", c.set());
            if (c.old().isPresent()) {
                o.put("old", c.old().getAsInt());
            } else {
                o.putNull("old");
            }
            if (c.neu().isPresent()) {
                o.put("new", c.neu().getAsInt());
            } else {
                o.putNull("new");
            }
            o.put("min_coalition", c.minCoalition()).put("ok", c.ok());
        }
        strings(root.putArray("new_violations"), newViolations);
        root.put("widens", widens());
        ArrayNode ct = root.putArray("content");
        content.forEach(c -> ct.addObject().put("scope", c.scope()).put("what", c.what())
                .put("verdict", c.verdict().word()));
        return root;
    }

    private static void strings(ArrayNode a, List<String> xs) {
        xs.forEach(a::add);
    }
}
