package org.foureyes.statement;

import java.util.HashSet;
import java.util.Set;

/**
 * The {@code jti}s already in the log. {@link StatementVerifier} checks a statement on its own; the
 * caller, who knows the log, checks replay with {@link #checkAndRecord}: the server before it
 * appends, the offline verifier and the agents entry by entry as they read the log. Access tokens
 * are exempt: they are reusable bearer tokens, valid until {@code exp}, and never logged.
 */
public interface JtiLedger {

    /** Whether the jti appears in the log already. */
    boolean seen(String jti);

    /** Remembers a jti that is now in the log. */
    void record(String jti);

    /**
     * Refuses a replayed statement, otherwise records its jti. Access tokens pass untouched.
     *
     * @throws StatementException {@link StatementException.Reason#REPLAYED}, authentic (the
     *     statement verified before it reached the ledger)
     */
    default void checkAndRecord(Statement statement) throws StatementException {
        if (statement.type() == StatementType.ACCESS) {
            return;
        }
        if (seen(statement.jti())) {
            throw StatementException.authentic(StatementException.Reason.REPLAYED, statement.issuer(),
                    "jti " + Checks.quote(statement.jti()) + " of this " + statement.type().typ()
                            + " by " + statement.keyId() + " is already in the log; a statement is accepted once."
                            + " Sign a new statement (a new jti) if you mean to repeat it");
        }
        record(statement.jti());
    }

    /** An in-memory ledger (for the offline verifier and tests); thread-safe. */
    static JtiLedger inMemory() {
        Set<String> seen = new HashSet<>();
        return new JtiLedger() {
            @Override
            public synchronized boolean seen(String jti) {
                return seen.contains(jti);
            }

            @Override
            public synchronized void record(String jti) {
                seen.add(jti);
            }

            @Override
            public synchronized void checkAndRecord(Statement statement) throws StatementException {
                JtiLedger.super.checkAndRecord(statement);
            }
        };
    }
}
