package org.foureyes.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds, exactly, the smallest set of principals that together could change every component of a
 * set (the model of {@code docs/policy.md}, "What can change means"), within a deterministic budget
 * of steps.
 *
 * <p>A coalition C can change component X iff some r in C holds {@code request:X} and the other
 * members C \ {r} contain distinct approvers holding {@code approve:X} that can be matched to the
 * slots of X's approval rule (each factor has {@code count} slots; an approver fills a slot if it
 * holds one of the factor's roles).
 *
 * <p><b>Symmetry.</b> For a list of target components, a principal matters only through its
 * <em>profile</em>: for each target, whether it may request it and for which factors of its rule it
 * is an eligible approver. Principals with the same profile are interchangeable, so they form one
 * class with a multiplicity, and a coalition is a vector of counts per class. A realistic
 * organisation of hundreds of principals has a few dozen profiles per protected set.
 *
 * <p><b>Feasibility</b> of one component for a vector of counts: a requester is taken from some
 * class that may request (only its eligibility pattern matters, so each distinct pattern is tried
 * once, and a requester eligible for nothing is always best); the remaining counts must fill the
 * factor slots, which by Hall's theorem holds iff for every subset S of factors the approvers
 * eligible for some factor of S are at least the slots of S (computed with a subset-sum transform,
 * O(F 2^F) for F factors; the loader allows at most {@link PolicyLimits#MAX_FACTORS}).
 *
 * <p><b>Search.</b> Iterative deepening on the size k from a lower bound. A depth-first search
 * extends a vector of counts: it takes the open component (not yet changeable) with the fewest
 * classes left to grow; every solution extending the counts must add a member to a class relevant
 * to it, so it branches on those classes, and after the branch for class i, i is frozen at its
 * count for the later branches (every multiset is visited once). A branch is cut when some open
 * component's lower bound (missing members overall and per Hall subset) exceeds the size left, or
 * the component could not be changed even with every class that is not frozen taken whole.
 *
 * <p><b>Budget.</b> Every node of the search is one step, and every feasibility or bound evaluation
 * of a component costs 1 + (relevant classes) / 16 + F 2^F / 64 steps, so a step is a bounded amount
 * of work (about 0.2 to 0.4 µs here, docs/benchmarks.md). When the steps of one analysis exceed
 * {@link #DEFAULT_BUDGET}, {@link BudgetExceededException} is thrown. The count depends only on the
 * policy, never on the machine or the clock, so every replayer reaches the same verdict.
 *
 * <p>Not thread-safe: one instance per analysis.
 */
final class CoalitionSearch {
    /** Steps one analysis may take; see docs/policy.md, "Analysis budget". */
    static final long DEFAULT_BUDGET = 5_000_000L;

    /** Thrown when the analysis would need more than its budget of steps. */
    static final class BudgetExceededException extends RuntimeException {
        private final long budget;

        BudgetExceededException(long budget) {
            super("analysis budget exceeded (" + budget + " steps)", null, false, false);
            this.budget = budget;
        }

        long budget() {
            return budget;
        }
    }

    private final long budget;
    private long steps;
    private final List<String> principals;
    private final Map<String, Integer> componentIndex = new LinkedHashMap<>();
    /** Per component: who may request it. */
    private final BitSet[] requesters;
    /** Per component, per factor of its rule: who is an eligible approver for the factor. */
    private final BitSet[][] eligible;
    private final int[][] factorCounts;

    CoalitionSearch(Policy policy) {
        this(policy, DEFAULT_BUDGET);
    }

    CoalitionSearch(Policy policy, long budget) {
        this.budget = budget;
        this.principals = List.copyOf(policy.principals().keySet());
        int nc = policy.components().size();
        requesters = new BitSet[nc];
        eligible = new BitSet[nc][];
        factorCounts = new int[nc][];
        int ci = 0;
        for (String c : policy.components().keySet()) {
            componentIndex.put(c, ci);
            List<Factor> factors = policy.approvalRule(c).factors();
            if (factors.size() > PolicyLimits.MAX_FACTORS) {
                throw new IllegalArgumentException("the approval rule of " + c + " has " + factors.size()
                        + " factors, at most " + PolicyLimits.MAX_FACTORS + " are allowed");
            }
            requesters[ci] = new BitSet();
            eligible[ci] = new BitSet[factors.size()];
            factorCounts[ci] = new int[factors.size()];
            for (int f = 0; f < factors.size(); f++) {
                eligible[ci][f] = new BitSet();
                factorCounts[ci][f] = factors.get(f).count();
            }
            ci++;
        }
        // From the roles' grants, not per principal and component: linear in the size of the policy.
        BitSet[] approvers = new BitSet[nc];
        for (int x = 0; x < nc; x++) {
            approvers[x] = new BitSet();
        }
        for (int p = 0; p < principals.size(); p++) {
            for (String roleName : policy.principals().get(principals.get(p)).roles()) {
                Role role = policy.roles().get(roleName);
                for (String c : role.request()) {
                    requesters[componentIndex.get(c)].set(p);
                }
                for (String c : role.approve()) {
                    approvers[componentIndex.get(c)].set(p);
                }
            }
        }
        for (String c : policy.components().keySet()) {
            int x = componentIndex.get(c);
            List<Factor> factors = policy.approvalRule(c).factors();
            for (int p = approvers[x].nextSetBit(0); p >= 0; p = approvers[x].nextSetBit(p + 1)) {
                List<String> roles = policy.principals().get(principals.get(p)).roles();
                for (int f = 0; f < factors.size(); f++) {
                    for (String r : roles) {
                        if (factors.get(f).roles().contains(r)) {
                            eligible[x][f].set(p);
                            break;
                        }
                    }
                }
            }
        }
    }

    /** Steps taken so far by this instance (all its calls together). */
    long steps() {
        return steps;
    }

    long budget() {
        return budget;
    }

    /** Whether all principals together can change the component (liveness). */
    boolean changeableByAll(String component) {
        Problem p = new Problem(List.of(component));
        return p.feasible(p.comps[0], p.mult);
    }

    /** Whether exactly these principals together can change the component (for tests). */
    boolean canChange(String component, List<String> coalition) {
        Problem p = new Problem(List.of(component));
        int[] counts = new int[p.mult.length];
        for (String name : coalition) {
            int cls = p.classOf[principals.indexOf(name)];
            if (cls >= 0) {
                counts[cls]++;
            }
        }
        return p.feasible(p.comps[0], counts);
    }

    /**
     * The smallest coalition that can change every listed component, in the policy file's order of
     * principals; empty if even everyone together cannot. Among the smallest, the one the search
     * meets first, each class contributing its first members in file order.
     *
     * @throws BudgetExceededException when the steps of this instance exceed the budget
     */
    Optional<List<String>> minimum(List<String> components) {
        Problem p = new Problem(components);
        for (Comp c : p.comps) {
            if (!p.feasible(c, p.mult)) {
                return Optional.empty();
            }
        }
        int[] counts = new int[p.mult.length];
        int lower = 1;
        int total = 0;
        for (Comp c : p.comps) {
            lower = Math.max(lower, p.lowerBound(c, counts));
        }
        for (int m : p.mult) {
            total += m;
        }
        int[] open = new int[p.comps.length];
        for (int i = 0; i < open.length; i++) {
            open[i] = i;
        }
        for (int k = lower; k <= total; k++) {
            int[] upper = p.mult.clone();
            if (p.search(open, counts, upper, k)) {
                return Optional.of(p.members(counts));
            }
        }
        throw new IllegalStateException("everyone can change " + components + " but no coalition was found");
    }

    private void tick() {
        tick(1);
    }

    private void tick(int cost) {
        steps += cost;
        if (steps > budget) {
            throw new BudgetExceededException(budget);
        }
    }

    /** One target component over the classes of a problem. */
    private static final class Comp {
        final int full;
        final int needed;
        /** Slots of each subset of factors. */
        final int[] demand;
        /** Relevant classes, their factor eligibility patterns, whether they may request. */
        final int[] rel;
        final int[] pattern;
        final boolean[] requests;
        /** Scratch space. */
        final int[] agg;
        final int[] zeta;
        final boolean[] reqPattern;
        /** Steps one evaluation costs: one, plus one per 16 relevant classes and per 64 subset-sum cells. */
        final int cost;

        Comp(int[] counts, int[] rel, int[] pattern, boolean[] requests) {
            int f = counts.length;
            this.full = (1 << f) - 1;
            this.demand = new int[full + 1];
            int sum = 0;
            for (int s = 1; s <= full; s++) {
                int d = 0;
                for (int j = 0; j < f; j++) {
                    if ((s & (1 << j)) != 0) {
                        d += counts[j];
                    }
                }
                demand[s] = d;
            }
            for (int c : counts) {
                sum += c;
            }
            this.needed = 1 + sum;
            this.rel = rel;
            this.pattern = pattern;
            this.requests = requests;
            this.agg = new int[full + 1];
            this.zeta = new int[full + 1];
            this.reqPattern = new boolean[full + 1];
            this.cost = 1 + rel.length / 16 + (f * (full + 1)) / 64;
        }
    }

    /** The classes of principals for one list of targets, and the search over their counts. */
    private final class Problem {
        final Comp[] comps;
        final int[] mult;
        final int[] classOf;
        final List<int[]> members = new ArrayList<>();

        Problem(List<String> components) {
            int[] idx = new int[components.size()];
            for (int t = 0; t < idx.length; t++) {
                Integer i = componentIndex.get(components.get(t));
                if (i == null) {
                    throw new IllegalArgumentException("no component " + components.get(t));
                }
                idx[t] = i;
            }
            // Profile of each principal over the targets: bit per target for request, then per factor.
            Map<BitSet, List<Integer>> classes = new LinkedHashMap<>();
            classOf = new int[principals.size()];
            for (int p = 0; p < principals.size(); p++) {
                BitSet profile = new BitSet();
                int bit = 0;
                for (int x : idx) {
                    if (requesters[x].get(p)) {
                        profile.set(bit);
                    }
                    bit++;
                    for (BitSet e : eligible[x]) {
                        if (e.get(p)) {
                            profile.set(bit);
                        }
                        bit++;
                    }
                }
                if (profile.isEmpty()) {
                    classOf[p] = -1;
                } else {
                    classes.computeIfAbsent(profile, k -> new ArrayList<>()).add(p);
                }
            }
            mult = new int[classes.size()];
            int cls = 0;
            List<BitSet> profiles = new ArrayList<>(classes.keySet());
            for (List<Integer> ps : classes.values()) {
                mult[cls] = ps.size();
                members.add(ps.stream().mapToInt(Integer::intValue).toArray());
                for (int p : ps) {
                    classOf[p] = cls;
                }
                cls++;
            }
            comps = new Comp[idx.length];
            int offset = 0;
            for (int t = 0; t < idx.length; t++) {
                int x = idx[t];
                int f = factorCounts[x].length;
                List<Integer> rel = new ArrayList<>();
                List<Integer> pat = new ArrayList<>();
                List<Boolean> req = new ArrayList<>();
                for (int c = 0; c < profiles.size(); c++) {
                    BitSet pr = profiles.get(c);
                    boolean r = pr.get(offset);
                    int pattern = 0;
                    for (int j = 0; j < f; j++) {
                        if (pr.get(offset + 1 + j)) {
                            pattern |= 1 << j;
                        }
                    }
                    if (r || pattern != 0) {
                        rel.add(c);
                        pat.add(pattern);
                        req.add(r);
                    }
                }
                boolean[] reqs = new boolean[req.size()];
                for (int i = 0; i < reqs.length; i++) {
                    reqs[i] = req.get(i);
                }
                comps[t] = new Comp(factorCounts[x], rel.stream().mapToInt(Integer::intValue).toArray(),
                        pat.stream().mapToInt(Integer::intValue).toArray(), reqs);
                offset += 1 + f;
            }
        }

        List<String> members(int[] counts) {
            List<Integer> chosen = new ArrayList<>();
            for (int c = 0; c < counts.length; c++) {
                for (int i = 0; i < counts[c]; i++) {
                    chosen.add(members.get(c)[i]);
                }
            }
            chosen.sort(null);
            return chosen.stream().map(principals::get).toList();
        }

        /** Whether the counts can change the component. */
        boolean feasible(Comp c, int[] counts) {
            tick(c.cost);
            int total = 0;
            Arrays.fill(c.agg, 0);
            Arrays.fill(c.reqPattern, false);
            boolean anyRequester = false;
            for (int j = 0; j < c.rel.length; j++) {
                int k = counts[c.rel[j]];
                if (k == 0) {
                    continue;
                }
                total += k;
                c.agg[c.pattern[j]] += k;
                if (c.requests[j]) {
                    c.reqPattern[c.pattern[j]] = true;
                    anyRequester = true;
                }
            }
            if (total < c.needed || !anyRequester) {
                return false;
            }
            if (c.reqPattern[0]) {
                return hall(c); // a requester who approves nothing takes no approver away
            }
            for (int q = 1; q <= c.full; q++) {
                if (c.reqPattern[q]) {
                    c.agg[q]--;
                    boolean ok = hall(c);
                    c.agg[q]++;
                    if (ok) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Hall's condition on c.agg: every subset of factors has as many eligible approvers as slots. */
        private boolean hall(Comp c) {
            return hallDeficit(c) <= 0;
        }

        /** Largest (slots of S) - (approvers eligible for some factor of S) over subsets S, from c.agg. */
        private int hallDeficit(Comp c) {
            int[] z = c.zeta;
            System.arraycopy(c.agg, 0, z, 0, z.length);
            for (int b = 1; b <= c.full; b <<= 1) {
                for (int t = 0; t <= c.full; t++) {
                    if ((t & b) != 0) {
                        z[t] += z[t ^ b];
                    }
                }
            }
            int sum = z[c.full];
            int worst = Integer.MIN_VALUE;
            for (int s = 1; s <= c.full; s++) {
                int supply = sum - z[c.full & ~s];
                worst = Math.max(worst, c.demand[s] - supply);
            }
            return c.full == 0 ? 0 : worst;
        }

        /** A lower bound on the members to add to the counts before they can change the component. */
        int lowerBound(Comp c, int[] counts) {
            tick(c.cost);
            int total = 0;
            boolean anyRequester = false;
            Arrays.fill(c.agg, 0);
            for (int j = 0; j < c.rel.length; j++) {
                int k = counts[c.rel[j]];
                total += k;
                c.agg[c.pattern[j]] += k;
                anyRequester |= k > 0 && c.requests[j];
            }
            int lb = Math.max(c.needed - total, hallDeficit(c));
            return Math.max(lb, anyRequester ? 0 : 1);
        }

        /**
         * Extends counts (frozen classes have upper = counts) by at most k members until every open
         * component is changeable; leaves the solution in counts.
         */
        boolean search(int[] open, int[] counts, int[] upper, int k) {
            tick();
            int[] still = new int[open.length];
            int n = 0;
            int branchOn = -1;
            int fewest = Integer.MAX_VALUE;
            for (int t : open) {
                Comp c = comps[t];
                if (feasible(c, counts)) {
                    continue; // stays changeable in every extension (monotone)
                }
                if (lowerBound(c, counts) > k || !feasible(c, upper)) {
                    return false;
                }
                still[n++] = t;
                int growable = 0;
                for (int cls : c.rel) {
                    if (counts[cls] < upper[cls]) {
                        growable++;
                    }
                }
                if (growable < fewest) {
                    fewest = growable;
                    branchOn = t;
                }
            }
            if (n == 0) {
                return true;
            }
            if (k == 0) {
                return false;
            }
            int[] rest = Arrays.copyOf(still, n);
            Comp c = comps[branchOn];
            List<Integer> frozen = new ArrayList<>();
            boolean found = false;
            for (int cls : c.rel) {
                if (counts[cls] >= upper[cls]) {
                    continue;
                }
                counts[cls]++;
                if (search(rest, counts, upper, k - 1)) {
                    found = true;
                    break;
                }
                counts[cls]--;
                frozen.add(cls);
                upper[cls] = counts[cls];
                if (!feasible(c, upper)) {
                    break;
                }
            }
            for (int cls : frozen) {
                upper[cls] = mult[cls];
            }
            return found;
        }
    }
}
