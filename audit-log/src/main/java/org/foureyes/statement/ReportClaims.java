package org.foureyes.statement;

import java.util.Objects;
import java.util.Optional;

/**
 * A component's agent reports what it did ({@code foureyes.report/v1}).
 *
 * @param component the component the agent manages
 * @param change the change id the report is about
 * @param applied hex SHA-256 of the configuration now in place
 * @param status applied, failed or drift
 * @param detail optional text (for example the hook's error)
 */
public record ReportClaims(String component, long change, String applied, Status status, Optional<String> detail)
        implements StatementClaims {

    /** The {@code status} claim. */
    public enum Status {
        APPLIED("applied"),
        FAILED("failed"),
        /** The configuration in place is not the one the log says was applied. */
        DRIFT("drift");

        private final String json;

        Status(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }

        static Optional<Status> fromJson(String value) {
            for (Status s : values()) {
                if (s.json.equals(value)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    public ReportClaims {
        Checks.requireText("component", component);
        Checks.requireChangeId(change);
        Checks.requireHex64("applied", applied);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public StatementType type() {
        return StatementType.REPORT;
    }
}
