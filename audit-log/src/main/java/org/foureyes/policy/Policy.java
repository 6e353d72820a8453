package org.foureyes.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, validated policy: who may request, approve and report changes to which component, the
 * approval rules, separation-of-duties constraints and time limits.
 *
 * <p>Instances come only from {@link PolicyLoader}, which refuses anything malformed, so code that
 * holds a {@code Policy} may rely on every cross-reference resolving. Maps keep the order of the
 * file. The built-in component {@value #POLICY_COMPONENT} is always present in {@link #components()}.
 *
 * @param name the policy's name (the file's {@code policy:} field)
 * @param components every component, {@value #POLICY_COMPONENT} included, by name
 * @param roles every role by name
 * @param principals every principal by name
 * @param approvals the approval rule in force for each component, {@value #POLICY_COMPONENT}
 *     included (per-component overrides already resolved against {@code default})
 * @param separation static separation-of-duties sets
 * @param protectedSets sets of components that only a coalition of at least a minimum size may change
 * @param timing time limits
 * @param document the policy as a JSON tree (what its hash is computed over)
 */
public record Policy(
        String name,
        Map<String, Component> components,
        Map<String, Role> roles,
        Map<String, Principal> principals,
        Map<String, ApprovalRule> approvals,
        List<SodSet> separation,
        List<ProtectedSet> protectedSets,
        Timing timing,
        JsonNode document) {

    /** The name of the built-in component that stands for the policy itself. */
    public static final String POLICY_COMPONENT = "policy";

    public Policy {
        components = Ordered.copyOf(components);
        roles = Ordered.copyOf(roles);
        principals = Ordered.copyOf(principals);
        approvals = Ordered.copyOf(approvals);
        separation = List.copyOf(separation);
        protectedSets = List.copyOf(protectedSets);
        document = document.deepCopy();
    }

    /** The approval rule for a component (the {@code default} rule unless overridden). */
    public ApprovalRule approvalRule(String component) {
        ApprovalRule rule = approvals.get(component);
        if (rule == null) {
            throw new IllegalArgumentException("no component " + component + " in policy " + name);
        }
        return rule;
    }

    public Optional<Principal> principal(String name) {
        return Optional.ofNullable(principals.get(name));
    }

    /** Whether the principal holds, through any of its roles, the right on the component. */
    public boolean holds(String principal, Right right) {
        Principal p = principals.get(principal);
        if (p == null) {
            return false;
        }
        for (String roleName : p.roles()) {
            if (roles.get(roleName).grants(right)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the principal may read the log when it is not public. */
    public boolean canRead(String principal) {
        Principal p = principals.get(principal);
        return p != null && p.roles().stream().anyMatch(r -> roles.get(r).read());
    }
}
