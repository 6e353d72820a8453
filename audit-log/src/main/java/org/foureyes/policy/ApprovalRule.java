package org.foureyes.policy;

import java.util.List;

/**
 * An approval rule: factors that must all hold. Approvers are matched to factor slots (a bipartite
 * matching), so one approver never fills two slots.
 */
public record ApprovalRule(List<Factor> factors) {
    public ApprovalRule {
        factors = List.copyOf(factors);
    }

    /** The total number of distinct approvers the rule needs. */
    public int approversNeeded() {
        return factors.stream().mapToInt(Factor::count).sum();
    }
}
