package org.foureyes.policy;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds {@link Policy} instances directly from the records, without YAML. */
final class PolicyFixture {
    private final String name;
    private final Map<String, Component> components = new LinkedHashMap<>();
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<String, Principal> principals = new LinkedHashMap<>();
    private final Map<String, ApprovalRule> approvals = new LinkedHashMap<>();
    private ApprovalRule defaultRule = new ApprovalRule(List.of());
    private Timing timing = new Timing(Duration.ofDays(7), Duration.ofHours(24));

    PolicyFixture(String name) {
        this.name = name;
    }

    static Factor factor(int count, String... roles) {
        return new Factor(count, new LinkedHashSet<>(List.of(roles)));
    }

    static ApprovalRule rule(Factor... factors) {
        return new ApprovalRule(List.of(factors));
    }

    PolicyFixture component(String name) {
        return component(new Component(name, name, Optional.empty(), List.of(), Optional.empty()));
    }

    PolicyFixture component(Component c) {
        components.put(c.name(), c);
        return this;
    }

    PolicyFixture emergencyComponent(String name, String field, ApprovalRule rule, Duration reviewWithin) {
        Emergency e = new Emergency(Map.of(field, BooleanNode.FALSE), rule, reviewWithin);
        return component(new Component(name, name, Optional.empty(), List.of(), Optional.of(e)));
    }

    /** {@code rights} like "request:relay", "approve:monitor", "report:relay". */
    PolicyFixture role(String name, String... rights) {
        Set<String> request = new LinkedHashSet<>();
        Set<String> approve = new LinkedHashSet<>();
        Set<String> report = new LinkedHashSet<>();
        boolean read = false;
        for (String r : rights) {
            if (r.equals("read")) {
                read = true;
                continue;
            }
            Right right = Right.parse(r);
            switch (right.action()) {
                case REQUEST -> request.add(right.component());
                case APPROVE -> approve.add(right.component());
                case REPORT -> report.add(right.component());
            }
        }
        roles.put(name, new Role(name, request, approve, report, read));
        return this;
    }

    PolicyFixture principal(String name, String... roles) {
        principals.put(name, new Principal(name, List.of(roles), List.of()));
        return this;
    }

    PolicyFixture defaultRule(ApprovalRule rule) {
        this.defaultRule = rule;
        return this;
    }

    PolicyFixture rule(String component, ApprovalRule rule) {
        approvals.put(component, rule);
        return this;
    }

    PolicyFixture timing(Duration pendingTtl, Duration applyTtl) {
        this.timing = new Timing(pendingTtl, applyTtl);
        return this;
    }

    Policy build() {
        Map<String, Component> all = new LinkedHashMap<>(components);
        all.putIfAbsent(Policy.POLICY_COMPONENT,
                new Component(Policy.POLICY_COMPONENT, "the policy", Optional.empty(), List.of(), Optional.empty()));
        Map<String, ApprovalRule> rules = new LinkedHashMap<>();
        for (String c : all.keySet()) {
            rules.put(c, approvals.getOrDefault(c, defaultRule));
        }
        return new Policy(name, all, roles, principals, rules, new ArrayList<>(), new ArrayList<>(), timing,
                JsonNodeFactory.instance.objectNode().put("policy", name));
    }

    static final String[] OPERATOR_ROLES = {"relay-operator", "network-operator", "analyst"};

    /** The tor-exit setup of the design: three operators, three agents and an auditor. */
    static Policy torExit() {
        Duration day = Duration.ofHours(24);
        return new PolicyFixture("tor-exit")
                .component("relay")
                .emergencyComponent("switch", "mirror.enabled", rule(), day)
                .emergencyComponent("monitor", "capture.enabled", rule(), day)
                .role("relay-operator", "request:relay", "request:policy", "approve:switch", "approve:monitor", "approve:policy")
                .role("network-operator", "request:switch", "request:policy", "approve:relay", "approve:monitor", "approve:policy")
                .role("analyst", "request:monitor", "request:policy", "approve:relay", "approve:switch", "approve:policy")
                .role("relay-agent", "report:relay")
                .role("switch-agent", "report:switch")
                .role("monitor-agent", "report:monitor")
                .role("auditor", "read")
                .principal("rudolf", "relay-operator")
                .principal("nora", "network-operator")
                .principal("anna", "analyst")
                .principal("relay-agent", "relay-agent")
                .principal("switch-agent", "switch-agent")
                .principal("monitor-agent", "monitor-agent")
                .principal("aude", "auditor")
                .defaultRule(rule(factor(1, OPERATOR_ROLES)))
                .rule(Policy.POLICY_COMPONENT, rule(factor(2, OPERATOR_ROLES)))
                .build();
    }

}
