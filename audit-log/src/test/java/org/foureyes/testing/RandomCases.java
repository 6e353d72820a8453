package org.foureyes.testing;

import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seeded random cases for parameterized tests, in place of a property-testing library.
 *
 * <p>Each case is drawn from its own {@code Random(seed + i)}, so a failing case is reproduced from
 * the seed and index in its display name alone. The seed is fixed so that CI is repeatable; set the
 * system property {@code foureyes.seed} to explore others (for example
 * {@code mvn test -Dfoureyes.seed=$RANDOM}).
 */
public final class RandomCases {
    private RandomCases() {}

    /** The seed in force: {@code foureyes.seed} if set, otherwise {@code fixed}. */
    public static long seed(long fixed) {
        String s = System.getProperty("foureyes.seed");
        return s == null || s.isBlank() ? fixed : Long.parseLong(s.trim());
    }

    /**
     * {@code count} cases; each is the arguments {@code draw} makes from a fresh {@code Random},
     * preceded by a label {@code "seed S case I"}.
     */
    public static Stream<Arguments> of(long fixedSeed, int count, Function<Random, Object[]> draw) {
        long seed = seed(fixedSeed);
        return IntStream.range(0, count).mapToObj(i -> {
            Object[] drawn = draw.apply(new Random(seed + i));
            Object[] args = new Object[drawn.length + 1];
            args[0] = "seed " + seed + " case " + i;
            System.arraycopy(drawn, 0, args, 1, drawn.length);
            return Arguments.of(args);
        });
    }

    /** A whole number in [min, max], both included. */
    public static int between(Random r, int min, int max) {
        return min + r.nextInt(max - min + 1);
    }
}
