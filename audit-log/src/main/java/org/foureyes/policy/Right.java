package org.foureyes.policy;

import java.util.Locale;

/**
 * A right on a component, written {@code action:component} in the policy file (for example
 * {@code request:relay}).
 */
public record Right(Action action, String component) {

    /** What a right lets its holder do. */
    public enum Action {
        REQUEST, APPROVE, REPORT;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Parses {@code action:component}; the caller checks that the component exists. */
    public static Right parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(
                    "a right is written action:component (request, approve or report), got '" + text + "'");
        }
        String action = text.substring(0, colon);
        for (Action a : Action.values()) {
            if (a.word().equals(action)) {
                return new Right(a, text.substring(colon + 1));
            }
        }
        throw new IllegalArgumentException(
                "unknown action '" + action + "' in right '" + text + "': use request, approve or report");
    }

    @Override
    public String toString() {
        return action.word() + ":" + component;
    }
}
