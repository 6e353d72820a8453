package org.foureyes.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generators of policies for the analysis tests ({@code KEY(name)} placeholders, see
 * {@link TestPolicies#withKeys}). The same generator is in benchmarks ({@code BenchOrganisation}).
 */
final class Organisations {
    private Organisations() {}

    /**
     * A realistic organisation: each component is owned by one team role that requests it; the two
     * neighbouring teams approve it; every fifth component also needs the security role (the last
     * role); a few roles may request and approve the policy (2 approvers); each principal has its
     * team role and, one in four, a second role. Five protected sets of 3 to 8 components.
     */
    static String realistic(Random rnd, int principals, int roles, int components) {
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
            y.append("  p").append(i).append(": {roles: ").append(rs).append(", keys: [KEY(p").append(i).append(")]}\n");
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
        y.append("  policy: {factors: [{count: 2, roles: ").append(teams.subList(0, Math.min(10, teams.size()))).append("}]}\n");
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

    /**
     * An adversarial policy like the one of issue 13: every principal has its own random mix of
     * roles (no two interchangeable), roles request and approve random components, rules have
     * several factors, and one protected set holds every component.
     */
    static String adversarial(Random rnd, int principals, int roles, int components) {
        StringBuilder y = new StringBuilder("policy: adversarial\ncomponents:\n");
        List<String> all = new ArrayList<>();
        for (int c = 0; c < components; c++) {
            y.append("  c").append(c).append(": {}\n");
            all.add("c" + c);
        }
        all.add("policy");
        y.append("roles:\n");
        for (int r = 0; r < roles; r++) {
            List<String> req = new ArrayList<>();
            List<String> appr = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (i % roles == r || rnd.nextInt(8) == 0) {
                    req.add(all.get(i));
                }
                if ((i + 1) % roles == r || (i + 2) % roles == r || rnd.nextInt(3) == 0) {
                    appr.add(all.get(i));
                }
            }
            y.append("  r").append(r).append(": {request: ").append(req).append(", approve: ").append(appr).append("}\n");
        }
        y.append("principals:\n");
        for (int i = 0; i < principals; i++) {
            Set<String> rs = new LinkedHashSet<>();
            rs.add("r" + (i % roles));
            while (rs.size() < 3) {
                rs.add("r" + rnd.nextInt(roles));
            }
            y.append("  p").append(i).append(": {roles: ").append(rs).append(", keys: [KEY(p").append(i).append(")]}\n");
        }
        y.append("approvals:\n");
        y.append("  default: {factors: [{count: 1, roles: [r0, r1, r2, r3, r4, r5]}, {count: 1, roles: [r6, r7, r8, r9]}]}\n");
        y.append("  policy: {factors: [{count: 2, roles: [r0, r1, r2, r3]}, {count: 1, roles: [r4, r5, r6]}]}\n");
        y.append("separation:\n  - {name: everything, components: ").append(all.subList(0, components))
                .append(", min_coalition: 1}\n");
        y.append("timing: {pending_ttl: P7D, apply_ttl: PT24H}\n");
        return y.toString();
    }
}
