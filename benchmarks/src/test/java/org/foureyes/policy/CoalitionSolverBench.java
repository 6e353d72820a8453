package org.foureyes.policy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.foureyes.auditlog.SignerKey;
import org.sat4j.core.VecInt;
import org.sat4j.minisat.SolverFactory;
import org.sat4j.specs.ContradictionException;
import org.sat4j.specs.ISolver;
import org.sat4j.specs.TimeoutException;

/**
 * Bench command (issue 13): the smallest coalition of every protected set and of {@code policy}, on
 * generated organisations, by the branch-and-bound {@link CoalitionSearch} and by Sat4j (SAT with
 * native cardinality constraints, minimum found by increasing the bound until satisfiable). Both
 * must agree on every size. Prints the median thread CPU time of each per organisation. In package
 * {@code org.foureyes.policy} to reach the package-private search. Run from the repository root:
 * {@code java -cp <test classpath> org.foureyes.policy.CoalitionSolverBench [rounds]}.
 */
public final class CoalitionSolverBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** Per call of the SAT solver (one bound k): proving optimality is where it spends its time. */
    static final int SAT_TIMEOUT_S = 20;

    private CoalitionSolverBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int[][] sizes = {{30, 10, 10}, {100, 20, 40}, {500, 50, 100}, {1000, 50, 200}};
        if (args.length > 1) {
            String[] d = args[1].split("x");
            sizes = new int[][] {{Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2])}};
        }
        System.out.println("organisation (principals x roles x components) | sets | branch and bound ms (steps) | Sat4j ms");
        for (int[] s : sizes) {
            Policy p = PolicyLoader.parseUnchecked(realistic(new Random(13L), s[0], s[1], s[2]), "bench.yml");
            List<List<String>> targets = new ArrayList<>();
            targets.add(List.of(Policy.POLICY_COMPONENT));
            p.protectedSets().forEach(ps -> targets.add(ps.components()));
            long[] bb = new long[rounds];
            long[] sat = new long[rounds];
            long steps = 0;
            List<Integer> bbSizes = null;
            List<Integer> satSizes = null;
            for (int r = 0; r < rounds; r++) {
                long t0 = CPU.getCurrentThreadCpuTime();
                CoalitionSearch search = new CoalitionSearch(p);
                List<Integer> found = new ArrayList<>();
                for (List<String> t : targets) {
                    found.add(search.minimum(t).map(List::size).orElse(-1));
                }
                long t1 = CPU.getCurrentThreadCpuTime();
                List<Integer> viaSat = new ArrayList<>();
                for (List<String> t : targets) {
                    try {
                        viaSat.add(satMinimum(p, t).orElse(-1));
                    } catch (TimeoutException e) {
                        viaSat.add(null); // proving that no smaller coalition exists took too long
                    }
                }
                long t2 = CPU.getCurrentThreadCpuTime();
                bb[r] = t1 - t0;
                sat[r] = t2 - t1;
                steps = search.steps();
                bbSizes = found;
                satSizes = viaSat;
            }
            boolean timedOut = satSizes.contains(null);
            if (timedOut) {
                System.out.printf("%d x %d x %d | %s | %.1f (%d) | Sat4j %s (null: no answer within %d s per bound)%n",
                        s[0], s[1], s[2], bbSizes, median(bb) / 1e6, steps, satSizes, SAT_TIMEOUT_S);
                continue;
            }
            if (!bbSizes.equals(satSizes)) {
                throw new IllegalStateException("the solvers disagree: " + bbSizes + " vs " + satSizes);
            }
            System.out.printf("%d x %d x %d | %s | %.1f (%d) | %.1f%n", s[0], s[1], s[2], bbSizes, median(bb) / 1e6,
                    steps, median(sat) / 1e6);
        }
    }

    private static double median(long[] xs) {
        long[] c = xs.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    /**
     * The model of docs/policy.md as SAT: x_p (p is in the coalition); per target X, r_{X,p} (p
     * requests X) and a_{X,p,f} (p fills a slot of factor f), each implying x_p; some requester;
     * each member plays at most one part per X; each factor gets its count. Principals with the
     * same roles are ordered (x of a later one implies x of the earlier one), the usual symmetry
     * breaking, so the solver is not handicapped against the classes of the search.
     */
    static Optional<Integer> satMinimum(Policy p, List<String> targets) throws TimeoutException {
        List<String> names = new ArrayList<>(p.principals().keySet());
        int lower = 1;
        for (String x : targets) {
            int need = 1;
            for (Factor f : p.approvalRule(x).factors()) {
                need += f.count();
            }
            lower = Math.max(lower, need);
        }
        for (int k = lower; k <= names.size(); k++) {
            ISolver solver = SolverFactory.newDefault();
            solver.setTimeout(SAT_TIMEOUT_S);
            Boolean sat = solve(solver, p, names, targets, k);
            if (sat == null) {
                return Optional.empty(); // unsatisfiable whatever k: nobody can
            }
            if (sat) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** True/false for satisfiable with at most k members; null if even without a bound it is not. */
    private static Boolean solve(ISolver solver, Policy p, List<String> names, List<String> targets, int k)
            throws TimeoutException {
        int n = names.size();
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = solver.nextFreeVarId(true);
        }
        try {
            Map<String, Integer> lastWithRoles = new java.util.HashMap<>();
            for (int i = 0; i < n; i++) {
                String key = p.principals().get(names.get(i)).roles().stream().sorted().toList().toString();
                Integer before = lastWithRoles.put(key, i);
                if (before != null) {
                    solver.addClause(new VecInt(new int[] {-x[i], x[before]}));
                }
            }
            for (String comp : targets) {
                List<Factor> factors = p.approvalRule(comp).factors();
                VecInt requesters = new VecInt();
                List<VecInt> slots = new ArrayList<>();
                for (int f = 0; f < factors.size(); f++) {
                    slots.add(new VecInt());
                }
                for (int i = 0; i < n; i++) {
                    String who = names.get(i);
                    VecInt parts = new VecInt();
                    if (p.holds(who, new Right(Right.Action.REQUEST, comp))) {
                        int r = solver.nextFreeVarId(true);
                        solver.addClause(new VecInt(new int[] {-r, x[i]}));
                        requesters.push(r);
                        parts.push(r);
                    }
                    if (p.holds(who, new Right(Right.Action.APPROVE, comp))) {
                        List<String> roles = p.principals().get(who).roles();
                        for (int f = 0; f < factors.size(); f++) {
                            if (roles.stream().anyMatch(factors.get(f).roles()::contains)) {
                                int a = solver.nextFreeVarId(true);
                                solver.addClause(new VecInt(new int[] {-a, x[i]}));
                                slots.get(f).push(a);
                                parts.push(a);
                            }
                        }
                    }
                    if (parts.size() > 1) {
                        solver.addAtMost(parts, 1);
                    }
                }
                solver.addClause(requesters);
                for (int f = 0; f < factors.size(); f++) {
                    solver.addAtLeast(slots.get(f), factors.get(f).count());
                }
            }
            if (!solver.isSatisfiable()) {
                return null;
            }
            solver.addAtMost(new VecInt(x), k);
            return solver.isSatisfiable();
        } catch (ContradictionException e) {
            return null;
        }
    }

    /** As {@code Organisations.realistic} in the audit-log tests (same seed, same policy). */
    static String realistic(Random rnd, int principals, int roles, int components) throws Exception {
        StringBuilder y = new StringBuilder("policy: org\ncomponents:\n");
        for (int c = 0; c < components; c++) {
            y.append("  c").append(c).append(": {}\n");
        }
        int security = roles - 1;
        y.append("roles:\n");
        for (int r = 0; r < roles; r++) {
            List<String> req = new ArrayList<>();
            List<String> appr = new ArrayList<>();
            for (int c = 0; c < components; c++) {
                int owner = c % (roles - 1);
                if (owner == r) {
                    req.add("c" + c);
                }
                if (r != security && r != owner && (r == (owner + 1) % (roles - 1) || r == (owner + 2) % (roles - 1))) {
                    appr.add("c" + c);
                }
                if (r == security && c % 5 == 0) {
                    appr.add("c" + c);
                }
            }
            if (r < 5) {
                req.add("policy");
            }
            if (r < 10) {
                appr.add("policy");
            }
            y.append("  r").append(r).append(": {request: ").append(req).append(", approve: ").append(appr).append("}\n");
        }
        y.append("principals:\n");
        for (int i = 0; i < principals; i++) {
            Set<String> rs = new LinkedHashSet<>();
            rs.add("r" + (i % roles));
            if (rnd.nextInt(4) == 0) {
                rs.add("r" + rnd.nextInt(roles));
            }
            y.append("  p").append(i).append(": {roles: ").append(rs).append(", keys: [\"")
                    .append(SignerKey.fromSeed("p" + i, seed(i)).verifierKey()).append("\"]}\n");
        }
        List<String> teams = new ArrayList<>();
        for (int r = 0; r < roles - 1; r++) {
            teams.add("r" + r);
        }
        y.append("approvals:\n  default: {factors: [{count: 1, roles: ").append(teams).append("}]}\n");
        for (int c = 0; c < components; c += 5) {
            y.append("  c").append(c).append(": {factors: [{count: 1, roles: ").append(teams)
                    .append("}, {count: 1, roles: [r").append(security).append("]}]}\n");
        }
        y.append("  policy: {factors: [{count: 2, roles: ").append(teams.subList(0, Math.min(10, teams.size())))
                .append("}]}\n");
        y.append("separation:\n");
        for (int s = 0; s < 5; s++) {
            Set<String> set = new LinkedHashSet<>();
            int size = 3 + rnd.nextInt(6);
            while (set.size() < size) {
                set.add("c" + rnd.nextInt(components));
            }
            y.append("  - {name: s").append(s).append(", components: ").append(set).append(", min_coalition: 1}\n");
        }
        y.append("timing: {pending_ttl: P7D, apply_ttl: PT24H}\n");
        return y.toString();
    }

    /** TEST KEYS from fixed bytes: never use them. */
    private static byte[] seed(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) i;
        b[1] = (byte) (i >> 8);
        b[31] = 42;
        return b;
    }
}
