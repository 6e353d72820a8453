package org.foureyes.statement;

/** A bearer token for reads ({@code foureyes.access/v1}): no claims beyond the common ones. */
public record AccessClaims() implements StatementClaims {

    public static final AccessClaims INSTANCE = new AccessClaims();

    @Override
    public StatementType type() {
        return StatementType.ACCESS;
    }
}
