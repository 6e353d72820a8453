package org.foureyes.policy;

/**
 * A guard that a proposed configuration breaks.
 *
 * @param guard the guard's name ({@value ContentGuards#SCHEMA} for the JSON Schema)
 * @param message what the requester is told: the guard's message, the schema validator's findings,
 *     or the evaluation error of an expression that could not be evaluated
 */
public record GuardViolation(String guard, String message) {
    @Override
    public String toString() {
        return "guard '" + guard + "': " + message;
    }
}
