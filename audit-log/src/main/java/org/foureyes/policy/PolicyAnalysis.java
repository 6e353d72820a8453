package org.foureyes.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Optional;
import java.util.Set;

/**
 * The load-time analysis of a policy (design, invariants 2 and 6): who holds which right, static
 * separation-of-duties sets, the cheapest coalition for each protected set, and liveness (every
 * component, {@code policy} included, can still be changed by someone).
 *
 * <p>"Can change" is defined in {@link CoalitionSearch} and in {@code docs/policy.md}; emergency
 * rules do not count. {@link #toJson()} has this stable shape:
 *
 * <pre>{@code
 * {"policy": "tor-exit", "ok": true,
 *  "rights": [{"principal": "rene", "roles": ["relay-operator"], "read": false,
 *              "rights": {"relay": ["request"], "switch": ["approve"], ...}}, ...],
 *  "separation": [{"name": "...", "rights": ["request:relay", ...], "at_most": 1,
 *                  "violations": [{"principal": "...", "holds": ["request:relay", "request:switch"]}]}],
 *  "protected": [{"name": "...", "components": [...], "min_coalition": 3, "size": 3,
 *                 "members": ["rene", "nora", "anna"], "via": "direct", "ok": true,
 *                 "direct": {"size": 3, "members": [...]}, "policy_change": {"size": 3, "members": [...]}}],
 *  "unchangeable": [{"component": "...", "reason": "..."}],
 *  "violations": ["sentence", ...]}
 * }</pre>
 *
 * {@code size} and {@code members} are {@code null} where no coalition exists at all.
 */
public final class PolicyAnalysis {

    /** A principal's row of the rights table. */
    public record RightsRow(String principal, List<String> roles, Map<String, Set<Right.Action>> rights, boolean read) {
        public RightsRow {
            roles = List.copyOf(roles);
            rights = Collections.unmodifiableMap(new LinkedHashMap<>(rights));
        }

        public boolean holds(Right right) {
            Set<Right.Action> actions = rights.get(right.component());
            return actions != null && actions.contains(right.action());
        }
    }

    /** A principal holding more than {@code atMost} of a static SoD set's rights. */
    public record SodViolation(String set, String principal, List<Right> holds, int atMost) {
        public SodViolation {
            holds = List.copyOf(holds);
        }
    }

    /** The cheapest coalition along one path; {@code size} empty if there is none. */
    public record Path(OptionalInt size, List<String> members) {
        public Path {
            members = List.copyOf(members);
        }

        static Path none() {
            return new Path(OptionalInt.empty(), List.of());
        }

        public boolean exists() {
            return size.isPresent();
        }
    }

    /**
     * The cheapest coalition for a protected set: the smaller of the direct path and the policy-change
     * path (the direct one on a tie); {@code via} is {@code "direct"}, {@code "policy change"},
     * {@code "none"} when no coalition exists, or {@value #UNDECIDED} when the analysis budget ran out
     * (then {@code ok} is false).
     */
    public record Coalition(String set, List<String> components, int minRequired, Path direct, Path policyChange,
            String via, boolean ok) {
        public Coalition {
            components = List.copyOf(components);
        }

        public OptionalInt size() {
            return chosen().size();
        }

        public List<String> members() {
            return chosen().members();
        }

        private Path chosen() {
            return switch (via) {
                case "direct" -> direct;
                case "policy change" -> policyChange;
                default -> Path.none();
            };
        }
    }

    /** A component that no set of principals could change, and why. */
    public record Unchangeable(String component, String reason) {}

    /** A violation with the JSON pointer of the part of the document it is about. */
    public record Violation(String pointer, String message) {}

    /**
     * Steps the coalition search of one analysis may take (docs/policy.md, "Analysis budget"); a
     * policy that needs more is refused with "analysis budget exceeded".
     */
    public static final long BUDGET = CoalitionSearch.DEFAULT_BUDGET;

    /** {@code via} of a coalition the analysis could not determine within its budget. */
    public static final String UNDECIDED = "undecided";

    private final Policy policy;
    private final List<RightsRow> rightsTable;
    private final List<SodViolation> sodViolations;
    private final List<Coalition> coalitions;
    private final List<Unchangeable> unchangeable;
    private final List<Violation> violations;

    private PolicyAnalysis(Policy policy, List<RightsRow> rightsTable, List<SodViolation> sodViolations,
            List<Coalition> coalitions, List<Unchangeable> unchangeable, List<Violation> violations) {
        this.policy = policy;
        this.rightsTable = List.copyOf(rightsTable);
        this.sodViolations = List.copyOf(sodViolations);
        this.coalitions = List.copyOf(coalitions);
        this.unchangeable = List.copyOf(unchangeable);
        this.violations = List.copyOf(violations);
    }

    /** Analyses a policy within {@link #BUDGET} steps. */
    public static PolicyAnalysis analyse(Policy policy) {
        return analyse(policy, BUDGET);
    }

    /** As {@link #analyse(Policy)} with another budget (tests). */
    static PolicyAnalysis analyse(Policy policy, long budget) {
        List<RightsRow> table = rights(policy);
        List<Violation> violations = new ArrayList<>();

        List<SodViolation> sod = new ArrayList<>();
        for (int i = 0; i < policy.separation().size(); i++) {
            SodSet set = policy.separation().get(i);
            for (RightsRow row : table) {
                List<Right> held = set.rights().stream().filter(row::holds).toList();
                if (held.size() > set.atMost()) {
                    SodViolation v = new SodViolation(set.name(), row.principal(), held, set.atMost());
                    sod.add(v);
                    violations.add(new Violation(separationPointer(policy, set.name()),
                            "principal '" + row.principal() + "' holds " + held.size() + " of the rights of separation set '"
                                    + set.name() + "' (" + join(held) + "), at most " + set.atMost() + " allowed"));
                }
            }
        }

        CoalitionSearch search = new CoalitionSearch(policy, budget);
        List<Unchangeable> unchangeable = new ArrayList<>();
        List<Coalition> coalitions = new ArrayList<>();
        try {
            for (String c : policy.components().keySet()) {
                if (!search.changeableByAll(c)) {
                    String reason = whyUnchangeable(policy, c);
                    unchangeable.add(new Unchangeable(c, reason));
                    String pointer = c.equals(Policy.POLICY_COMPONENT)
                            ? (policy.document().path("approvals").has(c) ? "/approvals/policy" : "/approvals/default")
                            : "/components/" + c;
                    violations.add(new Violation(pointer, c.equals(Policy.POLICY_COMPONENT)
                            ? "nobody could ever change the policy again (lockout): " + reason
                            : "nobody could ever change component '" + c + "': " + reason));
                }
            }
            Path policyPath = path(search, List.of(Policy.POLICY_COMPONENT));
            for (ProtectedSet set : policy.protectedSets()) {
                coalitions.add(coalition(set, path(search, set.components()), policyPath, violations, policy));
            }
        } catch (CoalitionSearch.BudgetExceededException e) {
            // Counted in steps, not time: every replayer stops at the same point with the same verdict.
            List<String> undecided = new ArrayList<>();
            for (int i = coalitions.size(); i < policy.protectedSets().size(); i++) {
                ProtectedSet set = policy.protectedSets().get(i);
                coalitions.add(new Coalition(set.name(), set.components(), set.minCoalition(), Path.none(), Path.none(),
                        UNDECIDED, false));
                undecided.add(set.name());
            }
            String pointer = undecided.isEmpty() ? "" : separationPointer(policy, undecided.get(0));
            violations.add(new Violation(pointer, "analysis budget exceeded (" + e.budget() + " steps): "
                    + (undecided.isEmpty() ? "the analysis could not finish"
                            : "the smallest coalition of protected set" + (undecided.size() == 1 ? " '" : "s '")
                                    + String.join("', '", undecided) + "' could not be determined")
                    + "; simplify the policy (fewer distinct combinations of roles, smaller protected sets),"
                    + " see docs/policy.md, Analysis budget"));
        }
        return new PolicyAnalysis(policy, table, sod, coalitions, unchangeable, violations);
    }

    /** The coalition of a protected set from its two paths; adds a violation if it is too small. */
    private static Coalition coalition(ProtectedSet set, Path direct, Path policyPath, List<Violation> violations,
            Policy policy) {
        String via;
        if (!direct.exists() && !policyPath.exists()) {
            via = "none";
        } else if (!policyPath.exists()
                || (direct.exists() && direct.size().getAsInt() <= policyPath.size().getAsInt())) {
            via = "direct";
        } else {
            via = "policy change";
        }
        Coalition co = new Coalition(set.name(), set.components(), set.minCoalition(), direct, policyPath, via, true);
        boolean ok = co.size().isEmpty() || co.size().getAsInt() >= set.minCoalition();
        co = new Coalition(set.name(), set.components(), set.minCoalition(), direct, policyPath, via, ok);
        if (!ok) {
            int n = co.size().getAsInt();
            violations.add(new Violation(separationPointer(policy, set.name()),
                    "protected set '" + set.name() + "' (" + String.join(", ", set.components()) + ") can be changed by "
                            + n + " principal" + (n == 1 ? "" : "s") + " (" + String.join(", ", co.members()) + ")"
                            + (via.equals("direct") ? " directly" : " by first changing the policy")
                            + "; min_coalition is " + set.minCoalition()));
        }
        return co;
    }

    private static Path path(CoalitionSearch search, List<String> components) {
        Optional<List<String>> members = search.minimum(components);
        if (members.isEmpty()) {
            return Path.none();
        }
        return new Path(OptionalInt.of(members.get().size()), members.get());
    }

    private static String separationPointer(Policy policy, String name) {
        var sep = policy.document().path("separation");
        for (int i = 0; i < sep.size(); i++) {
            if (name.equals(sep.get(i).path("name").asText())) {
                return "/separation/" + i;
            }
        }
        return "/separation";
    }

    private static String whyUnchangeable(Policy policy, String c) {
        List<String> requesters = new ArrayList<>();
        for (Principal p : policy.principals().values()) {
            if (policy.holds(p.name(), new Right(Right.Action.REQUEST, c))) {
                requesters.add(p.name());
            }
        }
        if (requesters.isEmpty()) {
            return "no principal holds request:" + c;
        }
        return "no requester (" + String.join(", ", requesters) + ") can gather the approvals its rule needs ("
                + describe(policy.approvalRule(c)) + ") from other principals holding approve:" + c;
    }

    /** An approval rule in words: {@code 2 of relay-operator|analyst}, factors joined by " and ". */
    static String describe(ApprovalRule rule) {
        if (rule.factors().isEmpty()) {
            return "no approval";
        }
        List<String> parts = new ArrayList<>();
        for (Factor f : rule.factors()) {
            parts.add(f.count() + " approver" + (f.count() == 1 ? "" : "s") + " with role " + String.join(" or ", f.roles()));
        }
        return String.join(" and ", parts);
    }

    static List<RightsRow> rights(Policy policy) {
        List<RightsRow> rows = new ArrayList<>();
        for (Principal p : policy.principals().values()) {
            // From the principal's roles' grants: linear in what the principal holds.
            Map<String, EnumSet<Right.Action>> held = new java.util.HashMap<>();
            for (String roleName : p.roles()) {
                Role role = policy.roles().get(roleName);
                role.request().forEach(c -> held.computeIfAbsent(c, k -> EnumSet.noneOf(Right.Action.class))
                        .add(Right.Action.REQUEST));
                role.approve().forEach(c -> held.computeIfAbsent(c, k -> EnumSet.noneOf(Right.Action.class))
                        .add(Right.Action.APPROVE));
                role.report().forEach(c -> held.computeIfAbsent(c, k -> EnumSet.noneOf(Right.Action.class))
                        .add(Right.Action.REPORT));
            }
            Map<String, Set<Right.Action>> rights = new LinkedHashMap<>();
            for (String c : policy.components().keySet()) { // in the file's order
                EnumSet<Right.Action> actions = held.get(c);
                if (actions != null) {
                    rights.put(c, Collections.unmodifiableSet(actions));
                }
            }
            rows.add(new RightsRow(p.name(), p.roles(), rights, policy.canRead(p.name())));
        }
        return rows;
    }

    private static String join(List<Right> rights) {
        return String.join(", ", rights.stream().map(Right::toString).toList());
    }

    public Policy policy() {
        return policy;
    }

    /** One row per principal, in the file's order. */
    public List<RightsRow> rightsTable() {
        return rightsTable;
    }

    public List<SodViolation> sodViolations() {
        return sodViolations;
    }

    /** One per protected set, in the file's order. */
    public List<Coalition> coalitions() {
        return coalitions;
    }

    /** Components (the policy included) that no set of principals could change. */
    public List<Unchangeable> unchangeableComponents() {
        return unchangeable;
    }

    public boolean ok() {
        return violations.isEmpty();
    }

    /** Each violation as a sentence. */
    public List<String> violations() {
        return violations.stream().map(Violation::message).toList();
    }

    /** Each violation with the pointer of the part of the document it is about. */
    public List<Violation> violationList() {
        return violations;
    }

    // ------------------------------------------------------------------------------ output

    /** A readable report: rights table, separation, protected sets, liveness, verdict. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("policy ").append(policy.name()).append('\n');
        sb.append('\n').append("Rights (R request, A approve, P report; read: may read the log)\n");
        List<String> comps = new ArrayList<>(policy.components().keySet());
        int w = "principal".length();
        for (RightsRow r : rightsTable) {
            w = Math.max(w, r.principal().length());
        }
        List<String> header = new ArrayList<>();
        header.add(pad("principal", w));
        for (String c : comps) {
            header.add(pad(c, Math.max(c.length(), 3)));
        }
        header.add("read");
        sb.append("  ").append(String.join("  ", header).stripTrailing()).append('\n');
        for (RightsRow r : rightsTable) {
            List<String> cells = new ArrayList<>();
            cells.add(pad(r.principal(), w));
            for (String c : comps) {
                Set<Right.Action> a = r.rights().getOrDefault(c, Set.of());
                String cell = (a.contains(Right.Action.REQUEST) ? "R" : "") + (a.contains(Right.Action.APPROVE) ? "A" : "")
                        + (a.contains(Right.Action.REPORT) ? "P" : "");
                cells.add(pad(cell.isEmpty() ? "-" : cell, Math.max(c.length(), 3)));
            }
            cells.add(r.read() ? "yes" : "-");
            sb.append("  ").append(String.join("  ", cells).stripTrailing()).append('\n');
        }

        sb.append('\n').append("Approval rules\n");
        for (String c : comps) {
            sb.append("  ").append(c).append(": ").append(describe(policy.approvalRule(c))).append('\n');
        }

        sb.append('\n').append("Separation of duties\n");
        if (policy.separation().isEmpty()) {
            sb.append("  (no static sets)\n");
        }
        for (SodSet set : policy.separation()) {
            List<SodViolation> vs = sodViolations.stream().filter(v -> v.set().equals(set.name())).toList();
            sb.append("  ").append(set.name()).append(": at most ").append(set.atMost()).append(" of ")
                    .append(join(set.rights())).append(": ").append(vs.isEmpty() ? "ok" : "VIOLATED").append('\n');
            for (SodViolation v : vs) {
                sb.append("    ").append(v.principal()).append(" holds ").append(join(v.holds())).append('\n');
            }
        }

        sb.append('\n').append("Protected sets (smallest coalition that could change every component)\n");
        if (coalitions.isEmpty()) {
            sb.append("  (none)\n");
        }
        for (Coalition c : coalitions) {
            sb.append("  ").append(c.set()).append(" (").append(String.join(", ", c.components())).append("): ");
            if (c.via().equals(UNDECIDED)) {
                sb.append("undecided (analysis budget exceeded)");
            } else if (c.size().isEmpty()) {
                sb.append("no coalition can change it");
            } else {
                sb.append(c.size().getAsInt()).append(" (").append(String.join(", ", c.members())).append(") ")
                        .append(c.via().equals("direct") ? "directly" : "by first changing the policy");
            }
            sb.append("; min_coalition ").append(c.minRequired()).append(": ").append(c.ok() ? "ok" : "TOO SMALL").append('\n');
            sb.append("    directly: ").append(text(c.direct())).append('\n');
            sb.append("    through a policy change: ").append(text(c.policyChange())).append('\n');
        }

        sb.append('\n').append("Liveness\n");
        if (unchangeable.isEmpty()) {
            sb.append("  every component, policy included, can be changed\n");
        }
        for (Unchangeable u : unchangeable) {
            sb.append("  ").append(u.component()).append(": cannot be changed: ").append(u.reason()).append('\n');
        }

        sb.append('\n');
        if (ok()) {
            sb.append("ok: no violations\n");
        } else {
            sb.append(violations.size()).append(violations.size() == 1 ? " violation" : " violations").append(":\n");
            for (String v : violations()) {
                sb.append("  - ").append(v).append('\n');
            }
        }
        return sb.toString();
    }

    private static String text(Path p) {
        return p.exists() ? p.size().getAsInt() + " (" + String.join(", ", p.members()) + ")" : "impossible";
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** The analysis as JSON, in the shape documented on the class. */
    public ObjectNode toJson() {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        ObjectNode root = nf.objectNode();
        root.put("policy", policy.name());
        root.put("ok", ok());
        ArrayNode rights = root.putArray("rights");
        for (RightsRow r : rightsTable) {
            ObjectNode row = rights.addObject();
            row.put("principal", r.principal());
            ArrayNode roles = row.putArray("roles");
            r.roles().forEach(roles::add);
            row.put("read", r.read());
            ObjectNode rs = row.putObject("rights");
            r.rights().forEach((c, actions) -> {
                ArrayNode a = rs.putArray(c);
                actions.forEach(x -> a.add(x.word()));
            });
        }
        ArrayNode sep = root.putArray("separation");
        for (SodSet set : policy.separation()) {
            ObjectNode s = sep.addObject();
            s.put("name", set.name());
            ArrayNode rl = s.putArray("rights");
            set.rights().forEach(x -> rl.add(x.toString()));
            s.put("at_most", set.atMost());
            ArrayNode vs = s.putArray("violations");
            for (SodViolation v : sodViolations) {
                if (v.set().equals(set.name())) {
                    ObjectNode o = vs.addObject();
                    o.put("principal", v.principal());
                    ArrayNode h = o.putArray("holds");
                    v.holds().forEach(x -> h.add(x.toString()));
                }
            }
        }
        ArrayNode prot = root.putArray("protected");
        for (Coalition c : coalitions) {
            ObjectNode o = prot.addObject();
            o.put("name", c.set());
            ArrayNode cs = o.putArray("components");
            c.components().forEach(cs::add);
            o.put("min_coalition", c.minRequired());
            putPath(o, new Path(c.size(), c.members()));
            o.put("via", c.via());
            o.put("ok", c.ok());
            putPath(o.putObject("direct"), c.direct());
            putPath(o.putObject("policy_change"), c.policyChange());
        }
        ArrayNode un = root.putArray("unchangeable");
        for (Unchangeable u : unchangeable) {
            un.addObject().put("component", u.component()).put("reason", u.reason());
        }
        ArrayNode vs = root.putArray("violations");
        violations().forEach(vs::add);
        return root;
    }

    private static void putPath(ObjectNode o, Path p) {
        if (p.exists()) {
            o.put("size", p.size().getAsInt());
            ArrayNode m = o.putArray("members");
            p.members().forEach(m::add);
        } else {
            o.putNull("size");
            o.putNull("members");
        }
    }
}
