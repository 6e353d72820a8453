package org.foureyes.agent;

import java.util.Objects;

/**
 * A round the agent refused, or could not do, naming the check that failed (docs/agent.md lists
 * them in order). The message says what was expected and what was found.
 */
public final class AgentException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The checks, in the order a round runs them. */
    public enum Check {
        /** The configuration file or the agent's key cannot be used. */
        CONFIG("config"),
        /** The state directory cannot be read or is inconsistent. */
        STATE("state"),
        /** The host did not answer, or answered something that is not a release. */
        FETCH("fetch"),
        /** The checkpoint is not signed by the pinned log key. */
        CHECKPOINT_SIGNATURE("checkpoint-signature"),
        /** Fewer of the configured witnesses cosigned than the quorum, or a cosignature is bad. */
        COSIGNATURES("cosignatures"),
        /** The newest checkpoint is smaller than the one kept: the log was rolled back. */
        CHECKPOINT_SIZE("checkpoint-size"),
        /** The checkpoint does not extend the kept one (bad proof, or same size with another root). */
        CONSISTENCY("consistency"),
        /** The entries are not exactly those from the kept size to the checkpoint's, or do not hash to its root. */
        ENTRIES("entries"),
        /** The genesis entry does not carry the pinned policy hash or log key. */
        GENESIS("genesis"),
        /** The verifying replay refused an entry (a statement, a decision, a jti, a guard, an activation...). */
        LEDGER("ledger"),
        /** The approved change is not above the last one applied (a rollback). */
        CHANGE_ORDER("change-order"),
        /** The approved change's base is not the hash of the configuration in place. */
        BASE("base"),
        /** The approval is past the policy's apply_ttl. */
        APPLY_TTL("apply-ttl"),
        /** The configuration could not be written. */
        WRITE("write");

        private final String slug;

        Check(String slug) {
            this.slug = slug;
        }

        public String slug() {
            return slug;
        }

        /** Whether the check is about verifying the log (then nothing at all was written). */
        public boolean verification() {
            return ordinal() <= LEDGER.ordinal();
        }
    }

    private final Check check;

    public AgentException(Check check, String message) {
        super(message);
        this.check = Objects.requireNonNull(check, "check");
    }

    public AgentException(Check check, String message, Throwable cause) {
        super(message, cause);
        this.check = Objects.requireNonNull(check, "check");
    }

    public Check check() {
        return check;
    }

    @Override
    public String toString() {
        return "[" + check.slug() + "] " + getMessage();
    }
}
