package org.foureyes.policy;

/**
 * One change to what a policy accepts: a guard, a schema keyword, an emergency rule or a time limit.
 *
 * @param scope the component (or {@code timing})
 * @param what what changed, one sentence naming the guard, schema path, value or field
 * @param verdict whether it widens, may widen, narrows or is neutral
 */
public record ContentChange(String scope, String what, Widening verdict) {

    /** The line printed by {@code policy diff}, the approve command and the page: {@code [widens] monitor: ...}. */
    public String line() {
        return "[" + verdict.word() + "] " + scope + ": " + what;
    }
}
