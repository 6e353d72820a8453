package org.foureyes.policy;

/**
 * Whether the policy allows something, and why not: a refusal names the rule it breaks, in a
 * sentence a person can act on.
 */
public record Verdict(boolean allowed, String reason) {

    public static final Verdict ALLOWED = new Verdict(true, "allowed");

    public static Verdict refused(String reason) {
        return new Verdict(false, reason);
    }

    public boolean refused() {
        return !allowed;
    }
}
