package org.foureyes.policy;

/**
 * How a change to a policy's content rules moves the set of configurations it accepts. The words
 * are what {@code policy diff}, the approve command and the page print (one vocabulary for all three).
 */
public enum Widening {
    /** The new policy accepts configurations the old one refused (or this cannot be ruled out). */
    WIDENS("widens"),
    /** A pattern or format changed: whether it accepts more cannot be decided here. */
    MAY_WIDEN("may widen"),
    /** The new policy accepts only configurations the old one accepted. */
    NARROWS("narrows"),
    /** Nothing a configuration is judged by (a description, a guard's message). */
    NEUTRAL("neutral");

    private final String word;

    Widening(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** Whether an approver must treat it as widening (widens or may widen). */
    public boolean alarming() {
        return this == WIDENS || this == MAY_WIDEN;
    }
}
