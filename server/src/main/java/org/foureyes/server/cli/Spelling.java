package org.foureyes.server.cli;

import java.util.Comparator;
import java.util.List;

/** "Did you mean ...?" for names a person typed: the known names within edit distance 2. */
final class Spelling {
    static final int MAX_DISTANCE = 2;

    private Spelling() {
    }

    /** Known names within {@link #MAX_DISTANCE} of {@code typed}, nearest first. */
    static List<String> near(String typed, List<String> known) {
        return known.stream()
                .filter(k -> distance(typed, k) <= MAX_DISTANCE)
                .sorted(Comparator.comparingInt((String k) -> distance(typed, k)).thenComparing(k -> k))
                .toList();
    }

    /** Levenshtein distance (insertions, deletions, substitutions), two rows. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
