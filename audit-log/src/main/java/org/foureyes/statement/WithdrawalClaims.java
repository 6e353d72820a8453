package org.foureyes.statement;

/**
 * The requester withdraws their change ({@code foureyes.withdrawal/v1}).
 *
 * @param change the change id
 * @param request hex SHA-256 of the request statement's compact bytes
 */
public record WithdrawalClaims(long change, String request) implements StatementClaims {

    public WithdrawalClaims {
        Checks.requireChangeId(change);
        Checks.requireHex64("request", request);
    }

    @Override
    public StatementType type() {
        return StatementType.WITHDRAWAL;
    }
}
