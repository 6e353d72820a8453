package org.foureyes.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An oracle independent of {@link CoalitionSearch}: whether a set of principals can push a change
 * through, decided by the {@link DecisionEngine} itself (request rights, the requester not
 * approving, eligibility and the engine's own matching), and the smallest such set by brute force
 * over every subset of principals (small policies only).
 */
final class EngineOracle {
    private static final Instant T = Instant.parse("2026-12-03T12:00:00Z");

    private EngineOracle() {}

    /** Whether the coalition can get an ordinary change of the component approved. */
    static boolean canChange(DecisionEngine engine, List<String> coalition, String component) {
        for (String r : coalition) {
            if (engine.mayRequest(r, component, false).refused()) {
                continue;
            }
            PendingChange pc = PendingChange.of(component, r, false, T);
            for (String a : coalition) {
                if (engine.state(pc) == ChangeState.APPROVED) {
                    break;
                }
                if (!engine.mayDecide(pc, a, DecisionKind.APPROVE).refused()) {
                    pc = pc.with(Decision.approve(a, T));
                }
            }
            if (engine.state(pc) == ChangeState.APPROVED) {
                return true;
            }
        }
        return false;
    }

    static boolean canChangeAll(Policy p, List<String> coalition, List<String> components) {
        DecisionEngine engine = new DecisionEngine(p);
        for (String x : components) {
            if (!canChange(engine, coalition, x)) {
                return false;
            }
        }
        return true;
    }

    /** The size of the smallest subset of all principals that changes every component, if any. */
    static Optional<Integer> minimum(Policy p, List<String> components) {
        List<String> names = new ArrayList<>(p.principals().keySet());
        if (names.size() > 16) {
            throw new IllegalArgumentException("brute force over " + names.size() + " principals");
        }
        DecisionEngine engine = new DecisionEngine(p);
        Optional<Integer> best = Optional.empty();
        for (int mask = 1; mask < (1 << names.size()); mask++) {
            int size = Integer.bitCount(mask);
            if (best.isPresent() && size >= best.get()) {
                continue;
            }
            List<String> c = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    c.add(names.get(i));
                }
            }
            boolean all = true;
            for (String x : components) {
                if (!canChange(engine, c, x)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                best = Optional.of(size);
            }
        }
        return best;
    }
}
