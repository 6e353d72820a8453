package org.foureyes.statement;

/**
 * The claims particular to one statement type (beyond {@code typ}, {@code iss}, {@code aud},
 * {@code iat}, {@code exp} and {@code jti}, which every statement has). Instances validate their
 * values, so a signer cannot produce a statement the verifier would refuse for its content.
 */
public sealed interface StatementClaims
        permits ChangeRequestClaims, DecisionClaims, WithdrawalClaims, ReportClaims, AccessClaims {

    StatementType type();
}
