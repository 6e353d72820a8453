package org.foureyes.policy;

import java.util.List;

/**
 * An emergency request refused because its configuration is not the current one with some of the
 * declared fields set to their declared values. The message says exactly what differs.
 */
public class EmergencyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> differences;

    public EmergencyException(String message, List<String> differences) {
        super(message);
        this.differences = List.copyOf(differences);
    }

    /** Each difference that an emergency may not make, for example {@code field capture.exit_tos differs ...}. */
    public List<String> differences() {
        return differences;
    }
}
