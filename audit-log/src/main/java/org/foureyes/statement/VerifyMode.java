package org.foureyes.statement;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a statement is being verified: which clock the reference time comes from, and which
 * statement types are accepted there (an endpoint, or a log entry type).
 *
 * @param clock whose time {@code referenceTime} is; it changes only the wording of messages
 * @param accepted the statement types accepted; never empty
 */
public record VerifyMode(ReferenceClock clock, Set<StatementType> accepted) {

    /** The source of the reference time against which {@code iat} and {@code exp} are judged. */
    public enum ReferenceClock {
        /** The server judges a statement it is receiving against its own clock. */
        ONLINE("the server's time"),
        /**
         * An auditor or agent judges a logged statement against the time of the log entry that
         * carries it, never against its own clock (entries may be years old).
         */
        OFFLINE("the log entry's time");

        private final String description;

        ReferenceClock(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public VerifyMode {
        Objects.requireNonNull(clock, "clock");
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("a verify mode must accept at least one statement type");
        }
        accepted = Collections.unmodifiableSet(EnumSet.copyOf(accepted));
    }

    /** The server receiving a statement at an endpoint that accepts these types. */
    public static VerifyMode online(StatementType first, StatementType... more) {
        return new VerifyMode(ReferenceClock.ONLINE, EnumSet.of(first, more));
    }

    /** A checker re-verifying a logged statement, with the entry's time as reference. */
    public static VerifyMode offline(StatementType first, StatementType... more) {
        return new VerifyMode(ReferenceClock.OFFLINE, EnumSet.of(first, more));
    }

    /** The accepted types as their {@code typ} values, for messages. */
    String acceptedTyps() {
        return accepted.stream().map(StatementType::typ).collect(Collectors.joining(" or "));
    }
}
