package org.foureyes.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;
import org.foureyes.policy.ApprovalRule;
import org.foureyes.policy.Component;
import org.foureyes.policy.Decision;
import org.foureyes.policy.DecisionEngine;
import org.foureyes.policy.DecisionKind;
import org.foureyes.policy.Evaluation;
import org.foureyes.policy.Factor;
import org.foureyes.policy.PendingChange;
import org.foureyes.policy.Policy;
import org.foureyes.policy.Principal;
import org.foureyes.policy.Right;
import org.foureyes.policy.Role;
import org.foureyes.policy.Timing;
import org.foureyes.policy.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Issue 3: decision evaluation throughput against jCasbin's {@code enforce} on an equivalent RBAC
 * model (the tor-exit roles: 3 operators, 3 agents, an auditor; request/approve/report rights on
 * relay, switch, monitor and policy).
 *
 * <ul>
 *   <li>{@link #casbinEnforce}: {@code enforcer.enforce(principal, component, "approve")};
 *   <li>{@link #foureyesHolds}: the same question to {@link DecisionEngine#holds};
 *   <li>{@link #foureyesMayDecide}: the full admission check of an approval on an open change (also
 *       self-approval, one-person-once, and the change's state derived from its decisions);
 *   <li>{@link #foureyesEvaluate}: full evaluation (state, slot matching, what is missing) of changes
 *       with 1-2 decisions, and {@link #foureyesEvaluateExplained} with the explanation text too.
 * </ul>
 *
 * All take the next query of a fixed rotating list of all 7 principals x 4 components.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class DecisionBench {

    static final String[] COMPONENTS = {"relay", "switch", "monitor", "policy"};
    static final String[] OPERATORS = {"relay-operator", "network-operator", "analyst"};
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    Enforcer enforcer;
    DecisionEngine engine;
    String[] principals;
    String[] components;
    PendingChange[] changesByQuery;
    PendingChange[] evaluated;
    int next;

    /** The tor-exit policy, built from the model records. */
    static Policy torExit() {
        Map<String, Component> components = new LinkedHashMap<>();
        for (String c : COMPONENTS) {
            components.put(c, new Component(c, c, Optional.empty(), List.of(), Optional.empty()));
        }
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put("relay-operator", role("relay-operator", Set.of("relay", "policy"), Set.of("switch", "monitor", "policy"), Set.of()));
        roles.put("network-operator", role("network-operator", Set.of("switch", "policy"), Set.of("relay", "monitor", "policy"), Set.of()));
        roles.put("analyst", role("analyst", Set.of("monitor", "policy"), Set.of("relay", "switch", "policy"), Set.of()));
        roles.put("relay-agent", role("relay-agent", Set.of(), Set.of(), Set.of("relay")));
        roles.put("switch-agent", role("switch-agent", Set.of(), Set.of(), Set.of("switch")));
        roles.put("monitor-agent", role("monitor-agent", Set.of(), Set.of(), Set.of("monitor")));
        roles.put("auditor", new Role("auditor", Set.of(), Set.of(), Set.of(), true));
        Map<String, Principal> principals = new LinkedHashMap<>();
        String[][] who = {
            {"rene", "relay-operator"}, {"nora", "network-operator"}, {"anna", "analyst"},
            {"relay-agent", "relay-agent"}, {"switch-agent", "switch-agent"}, {"monitor-agent", "monitor-agent"},
            {"aude", "auditor"}};
        for (String[] w : who) {
            principals.put(w[0], new Principal(w[0], List.of(w[1]), List.of()));
        }
        Factor anyOperator = new Factor(1, new LinkedHashSet<>(List.of(OPERATORS)));
        Map<String, ApprovalRule> approvals = new LinkedHashMap<>();
        for (String c : COMPONENTS) {
            approvals.put(c, new ApprovalRule(List.of(c.equals("policy") ? new Factor(2, anyOperator.roles()) : anyOperator)));
        }
        return new Policy("tor-exit", components, roles, principals, approvals, List.of(), List.of(),
                new Timing(Duration.ofDays(7), Duration.ofHours(24)), JsonNodeFactory.instance.objectNode());
    }

    private static Role role(String name, Set<String> request, Set<String> approve, Set<String> report) {
        return new Role(name, new LinkedHashSet<>(request), new LinkedHashSet<>(approve), new LinkedHashSet<>(report), false);
    }

    static final String CASBIN_MODEL = String.join("\n",
            "[request_definition]", "r = sub, obj, act",
            "[policy_definition]", "p = sub, obj, act",
            "[role_definition]", "g = _, _",
            "[policy_effect]", "e = some(where (p.eft == allow))",
            "[matchers]", "m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act");

    /** The same policy as jCasbin RBAC: one p line per role right, one g line per principal role. */
    static Enforcer casbin(Policy policy) {
        Enforcer e = new Enforcer(Model.newModelFromString(CASBIN_MODEL));
        e.enableLog(false);
        for (Role r : policy.roles().values()) {
            for (String c : r.request()) {
                e.addPolicy(r.name(), c, "request");
            }
            for (String c : r.approve()) {
                e.addPolicy(r.name(), c, "approve");
            }
            for (String c : r.report()) {
                e.addPolicy(r.name(), c, "report");
            }
        }
        for (Principal p : policy.principals().values()) {
            for (String r : p.roles()) {
                e.addGroupingPolicy(p.name(), r);
            }
        }
        return e;
    }

    @Setup
    public void setup() {
        Policy policy = torExit();
        engine = new DecisionEngine(policy);
        enforcer = casbin(policy);
        List<String> ps = new ArrayList<>();
        List<String> cs = new ArrayList<>();
        for (String p : policy.principals().keySet()) {
            for (String c : COMPONENTS) {
                ps.add(p);
                cs.add(c);
            }
        }
        principals = ps.toArray(new String[0]);
        components = cs.toArray(new String[0]);
        Map<String, String> requester = Map.of("relay", "rene", "switch", "nora", "monitor", "anna", "policy", "rene");
        changesByQuery = new PendingChange[components.length];
        for (int i = 0; i < components.length; i++) {
            changesByQuery[i] = PendingChange.of(components[i], requester.get(components[i]), false, T0);
            // the two engines must agree on every query, or the comparison means nothing
            boolean casbin = enforcer.enforce(principals[i], components[i], "approve");
            boolean foureyes = engine.holds(principals[i], Right.Action.APPROVE, components[i]);
            boolean viaPolicy = policy.holds(principals[i], new Right(Right.Action.APPROVE, components[i]));
            if (casbin != foureyes || foureyes != viaPolicy) {
                throw new IllegalStateException("casbin and foureyes disagree on " + principals[i] + " approve " + components[i]);
            }
        }
        evaluated = new PendingChange[] {
            PendingChange.of("relay", "rene", false, T0).with(Decision.approve("nora", T0.plusSeconds(60))),
            PendingChange.of("policy", "rene", false, T0).with(Decision.approve("nora", T0.plusSeconds(60))),
            PendingChange.of("policy", "rene", false, T0).with(Decision.approve("nora", T0.plusSeconds(60)))
                    .with(Decision.approve("anna", T0.plusSeconds(120))),
            PendingChange.of("monitor", "anna", false, T0).with(Decision.reject("rene", T0.plusSeconds(60))),
        };
    }

    private int nextQuery() {
        int i = next;
        next = i + 1 == principals.length ? 0 : i + 1;
        return i;
    }

    private int nextChange() {
        int i = next;
        next = i + 1 == evaluated.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public boolean casbinEnforce() {
        int i = nextQuery();
        return enforcer.enforce(principals[i], components[i], "approve");
    }

    @Benchmark
    public boolean foureyesHolds() {
        int i = nextQuery();
        return engine.holds(principals[i], Right.Action.APPROVE, components[i]);
    }

    @Benchmark
    public Verdict foureyesMayDecide() {
        int i = nextQuery();
        return engine.mayDecide(changesByQuery[i], principals[i], DecisionKind.APPROVE);
    }

    @Benchmark
    public Evaluation foureyesEvaluate() {
        return engine.evaluate(evaluated[nextChange()]);
    }

    @Benchmark
    public String foureyesEvaluateExplained() {
        return engine.evaluate(evaluated[nextChange()]).explanation();
    }
}
