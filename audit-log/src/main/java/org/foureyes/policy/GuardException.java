package org.foureyes.policy;

/**
 * A content guard that cannot be compiled (a CEL expression that does not parse or type-check, or
 * a JSON Schema that is not valid), or an emergency change that sets more than it may.
 *
 * <p>The message always names the guard first, for example
 * {@code guard 'only-exit-traffic': ERROR: <input>:1:12: undeclared reference to 'confg'}; the JSON
 * Schema is the guard named {@value ContentGuards#SCHEMA}.
 */
public class GuardException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String guardName;

    public GuardException(String guardName, String detail) {
        super("guard '" + guardName + "': " + detail);
        this.guardName = guardName;
    }

    public GuardException(String guardName, String detail, Throwable cause) {
        super("guard '" + guardName + "': " + detail, cause);
        this.guardName = guardName;
    }

    /** The name of the guard at fault ({@value ContentGuards#SCHEMA} for the JSON Schema). */
    public String guardName() {
        return guardName;
    }
}
