package org.foureyes.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Finds, exactly, the smallest set of principals that together could change every component of a
 * set (the model of {@code docs/policy.md}, "What can change means").
 *
 * <p>A coalition C can change component X iff some r in C holds {@code request:X} and the other
 * members C \ {r} contain distinct approvers holding {@code approve:X} that can be matched to the
 * slots of X's approval rule (each factor has {@code count} slots; an approver fills a slot if it
 * holds one of the factor's roles). Changing X depends only on the members relevant to X (holding
 * {@code request:X} or {@code approve:X}) and is monotone in C.
 *
 * <p>Search: iterative deepening on the coalition size k, from a lower bound up. A depth-first
 * search extends a coalition C: it takes the first component X that C cannot change yet; any
 * solution containing C must add a principal relevant to X that C lacks, so it branches on those
 * principals, excluding each one from the branches after it (so each subset is visited once). A
 * branch is cut when some unchanged component needs more relevant members than the budget allows, or
 * cannot be changed even with every principal still allowed. Feasibility of each component is
 * memoised on the bit mask of relevant members. Principals are bits of a {@code long}; only those
 * holding a request or approve right take part (at most 63).
 */
final class CoalitionSearch {
    static final int MAX_CANDIDATES = 63;

    private final List<String> candidates = new ArrayList<>();
    private final Map<String, Comp> comps = new HashMap<>();

    /** Per component: masks of requesters, relevant members, and one mask of eligible approvers per slot. */
    private static final class Comp {
        final String name;
        long request;
        long relevant;
        long[] slots;
        final Map<Long, Boolean> memo = new HashMap<>();

        Comp(String name) {
            this.name = name;
        }

        int needed() {
            return 1 + slots.length;
        }
    }

    CoalitionSearch(Policy policy) {
        for (Principal p : policy.principals().values()) {
            boolean any = false;
            for (String c : policy.components().keySet()) {
                if (policy.holds(p.name(), new Right(Right.Action.REQUEST, c))
                        || policy.holds(p.name(), new Right(Right.Action.APPROVE, c))) {
                    any = true;
                    break;
                }
            }
            if (any) {
                candidates.add(p.name());
            }
        }
        if (candidates.size() > MAX_CANDIDATES) {
            throw new IllegalArgumentException("the coalition analysis handles at most " + MAX_CANDIDATES
                    + " principals with request or approve rights, the policy has " + candidates.size());
        }
        for (String c : policy.components().keySet()) {
            Comp comp = new Comp(c);
            ApprovalRule rule = policy.approvalRule(c);
            List<Long> slots = new ArrayList<>();
            long approvers = 0;
            for (int i = 0; i < candidates.size(); i++) {
                String p = candidates.get(i);
                if (policy.holds(p, new Right(Right.Action.REQUEST, c))) {
                    comp.request |= 1L << i;
                }
                if (policy.holds(p, new Right(Right.Action.APPROVE, c))) {
                    approvers |= 1L << i;
                }
            }
            for (Factor f : rule.factors()) {
                long eligible = 0;
                for (int i = 0; i < candidates.size(); i++) {
                    String p = candidates.get(i);
                    if ((approvers & (1L << i)) != 0
                            && policy.principals().get(p).roles().stream().anyMatch(f.roles()::contains)) {
                        eligible |= 1L << i;
                    }
                }
                for (int k = 0; k < f.count(); k++) {
                    slots.add(eligible);
                }
            }
            comp.slots = slots.stream().mapToLong(Long::longValue).toArray();
            comp.relevant = comp.request | approvers;
            comps.put(c, comp);
        }
    }

    List<String> names(long mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if ((mask & (1L << i)) != 0) {
                out.add(candidates.get(i));
            }
        }
        return out;
    }

    long everyone() {
        return candidates.isEmpty() ? 0 : (candidates.size() == 64 ? -1L : (1L << candidates.size()) - 1);
    }

    /** Whether the coalition (a mask of candidates) can change the component. */
    boolean canChange(String component, long coalition) {
        return canChange(comps.get(component), coalition);
    }

    private boolean canChange(Comp c, long coalition) {
        long m = coalition & c.relevant;
        if (Long.bitCount(m) < c.needed()) {
            return false;
        }
        Boolean known = c.memo.get(m);
        if (known != null) {
            return known;
        }
        boolean result = false;
        for (long rs = m & c.request; rs != 0 && !result; rs &= rs - 1) {
            long r = Long.lowestOneBit(rs);
            result = matches(c.slots, m & ~r);
        }
        c.memo.put(m, result);
        return result;
    }

    /** Whether every slot can be given a distinct approver from the mask (Kuhn's augmenting paths). */
    private static boolean matches(long[] slots, long approvers) {
        if (Long.bitCount(approvers) < slots.length) {
            return false;
        }
        int[] owner = new int[64];
        java.util.Arrays.fill(owner, -1);
        for (int s = 0; s < slots.length; s++) {
            if (!augment(slots, approvers, s, owner, new long[] {0})) {
                return false;
            }
        }
        return true;
    }

    private static boolean augment(long[] slots, long approvers, int s, int[] owner, long[] visited) {
        for (long ps = slots[s] & approvers & ~visited[0]; ps != 0; ps &= ps - 1) {
            int p = Long.numberOfTrailingZeros(ps);
            if ((visited[0] & (1L << p)) != 0) {
                continue;
            }
            visited[0] |= 1L << p;
            if (owner[p] < 0 || augment(slots, approvers, owner[p], owner, visited)) {
                owner[p] = s;
                return true;
            }
        }
        return false;
    }

    /**
     * The smallest coalition that can change every listed component, as a mask; empty if even
     * everyone together cannot. Among the smallest, the first in the policy file's order of
     * principals (depth-first, lowest index first).
     */
    OptionalLong minimum(List<String> components) {
        List<Comp> target = components.stream().map(comps::get).toList();
        long all = everyone();
        for (Comp c : target) {
            if (!canChange(c, all)) {
                return OptionalLong.empty();
            }
        }
        int lower = 1;
        for (Comp c : target) {
            lower = Math.max(lower, c.needed());
        }
        long allowed = 0;
        for (Comp c : target) {
            allowed |= c.relevant;
        }
        for (int k = lower; k <= candidates.size(); k++) {
            long[] found = new long[1];
            if (search(target, 0L, allowed, k, found)) {
                return OptionalLong.of(found[0]);
            }
        }
        return OptionalLong.empty();
    }

    private boolean search(List<Comp> target, long coalition, long allowed, int budget, long[] found) {
        Comp open = null;
        for (Comp c : target) {
            if (!canChange(c, coalition)) {
                int missing = c.needed() - Long.bitCount(coalition & c.relevant);
                if (missing > budget || !canChange(c, coalition | allowed)) {
                    return false;
                }
                if (open == null) {
                    open = c;
                }
            }
        }
        if (open == null) {
            found[0] = coalition;
            return true;
        }
        if (budget == 0) {
            return false;
        }
        long left = allowed;
        for (long ps = allowed & open.relevant; ps != 0; ps &= ps - 1) {
            long p = Long.lowestOneBit(ps);
            left &= ~p;
            if (search(target, coalition | p, left, budget - 1, found)) {
                return true;
            }
            if (!canChange(open, coalition | left)) {
                return false;
            }
        }
        return false;
    }
}
