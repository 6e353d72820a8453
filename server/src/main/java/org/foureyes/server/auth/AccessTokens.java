package org.foureyes.server.auth;

import java.time.Clock;
import java.util.Optional;
import org.foureyes.ledger.PolicyInForce;
import org.foureyes.server.core.ServerLedger;
import org.foureyes.statement.Statement;
import org.foureyes.statement.StatementException;
import org.foureyes.statement.StatementType;
import org.foureyes.statement.StatementVerifier;
import org.foureyes.statement.VerifyMode;

/**
 * Checks {@code foureyes.access/v1} bearer tokens: signed by a principal of the policy in force,
 * for this log's origin, within its time window at the server's clock. Reusable until they expire
 * (no replay check) and never logged.
 */
public final class AccessTokens {
    private static final VerifyMode ACCESS = VerifyMode.online(StatementType.ACCESS);

    /** A verified token. */
    public record Caller(String principal, Statement token, PolicyInForce policy) {
    }

    /** Why a token was not accepted. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final String slug;

        Invalid(String slug, String message) {
            super(message);
            this.slug = slug;
        }

        public String slug() {
            return slug;
        }
    }

    private final ServerLedger ledger;
    private final Clock clock;
    private final StatementVerifier verifier = new StatementVerifier();

    public AccessTokens(ServerLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The token from an {@code Authorization} header, if it is a bearer token. */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String a = authorization.strip();
        if (a.length() > 7 && a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(a.substring(7).strip());
        }
        return Optional.empty();
    }

    public Caller verify(String token) throws Invalid {
        PolicyInForce policy = ledger.policy();
        try {
            Statement s = verifier.verify(token, policy.policy(), ledger.origin(), clock.instant(), ACCESS);
            return new Caller(s.issuer(), s, policy);
        } catch (StatementException e) {
            throw new Invalid(e.reason().slug(), "The access token is not accepted: " + e.getMessage());
        }
    }
}
