package org.foureyes.server.resources;

import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.foureyes.server.api.PolicyView;
import org.foureyes.server.auth.ReadRule;
import org.foureyes.server.core.ServerLedger;

/** The policy in force, its analysis and its history. */
@Path("/v1/policy")
@ReadRule(ReadRule.Access.AGENT_LOG)
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {
    private final ServerLedger ledger;
    private volatile PolicyView cached; // the analysis is not free; policies change rarely

    public PolicyResource(ServerLedger ledger) {
        this.ledger = ledger;
    }

    @GET
    @Timed
    public PolicyView get() {
        PolicyView c = cached;
        long[] sizes = ledger.read(l -> new long[] {l.policy().activatedSeq(), l.policyHistory().size()});
        if (c != null && c.activatedSeq() == sizes[0] && c.history().size() == sizes[1]) {
            return c;
        }
        c = ledger.read(Views::policy);
        cached = c;
        return c;
    }
}
