package org.foureyes.policy;

import java.util.List;

/**
 * A policy file that cannot be loaded: malformed YAML, a field that breaks the policy language, a
 * guard that does not compile, or a policy whose analysis finds a violation.
 *
 * <p>{@link #getMessage()} reads {@code <file>:<line>: <field>: <detail>}, for example
 * {@code tor-exit.yml:42: principals.rene.keys[0]: key name 'bob' is not the principal's name 'rene'}.
 * The field is a path into the document ({@code components.switch.emergency.set["mirror.enabled"]},
 * {@code separation[1]}); it is empty for errors about the file as a whole, and then left out of the
 * message.
 */
public class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String field;
    private final String detail;
    private final transient List<String> violations;

    public PolicyException(String file, int line, String field, String detail) {
        this(file, line, field, detail, List.of(), null);
    }

    public PolicyException(String file, int line, String field, String detail, Throwable cause) {
        this(file, line, field, detail, List.of(), cause);
    }

    PolicyException(String file, int line, String field, String detail, List<String> violations, Throwable cause) {
        super(format(file, line, field, detail), cause);
        this.file = file;
        this.line = line;
        this.field = field == null ? "" : field;
        this.detail = detail;
        this.violations = List.copyOf(violations);
    }

    private static String format(String file, int line, String field, String detail) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(detail).toString();
    }

    /** The file (or source name) the policy came from. */
    public String file() {
        return file;
    }

    /** The 1-based line of the offending field, or 0 if unknown. */
    public int line() {
        return line;
    }

    /** The offending field's path ({@code principals.rene.keys[0]}), or empty for the whole file. */
    public String field() {
        return field;
    }

    /** The message without file, line and field. */
    public String detail() {
        return detail;
    }

    /** When the analysis refused the policy: each violation as a sentence; otherwise empty. */
    public List<String> violations() {
        return violations;
    }
}
