package org.foureyes.policy;

import java.util.List;

/** Small helpers for explanations people read. */
final class Words {
    private Words() {}

    /** "a", "a and b", "a, b and c" (with {@code and} or {@code or}). */
    static String list(List<String> items, String conjunction) {
        int n = items.size();
        if (n == 0) {
            return "";
        }
        if (n == 1) {
            return items.get(0);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(i == n - 1 ? " " + conjunction + " " : ", ");
            }
            sb.append(items.get(i));
        }
        return sb.toString();
    }

    /** "1 more approval", "2 more approvals". */
    static String approvals(int n) {
        return n + (n == 1 ? " more approval" : " more approvals");
    }
}
