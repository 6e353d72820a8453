package org.foureyes.server.health;

import com.codahale.metrics.health.HealthCheck;
import org.foureyes.server.core.ServerLedger;

/** Unhealthy when the ledger stopped taking statements because a stored entry does not replay. */
public final class LedgerHealthCheck extends HealthCheck {
    private final ServerLedger ledger;

    public LedgerHealthCheck(ServerLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    protected Result check() {
        String broken = ledger.brokenReason();
        if (broken != null) {
            return Result.unhealthy("the ledger takes no statements: " + broken);
        }
        try {
            return Result.healthy("ledger at " + ledger.size() + " entries, policy " + ledger.policy().sha256());
        } catch (IllegalStateException e) {
            return Result.unhealthy(e.getMessage());
        }
    }
}
