package org.foureyes.server.resources;

import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.policy.ChangeState;
import org.foureyes.server.api.ChangeSummary;
import org.foureyes.server.api.ChangeView;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.auth.ReadRule;
import org.foureyes.statement.StatementType;

/** Change requests, decisions and withdrawals, and the changes as the log says they are. */
@Path("/v1/changes")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeResource {
    private final StatementEndpoint endpoint;

    public ChangeResource(StatementEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** A change request (body: the signed statement); 201 with the change and its receipt. */
    @POST
    @Timed
    @Consumes(StatementEndpoint.JOSE)
    @ReadRule(ReadRule.Access.PUBLIC)
    public Response request(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length) {
        return endpoint.submit(endpoint.body(body, length), StatementType.CHANGE_REQUEST, null);
    }

    /** Changes in id order, optionally only of one component and/or in one state. */
    @GET
    @Timed
    @ReadRule(ReadRule.Access.AGENT_COMPONENT_QUERY)
    public List<ChangeSummary> list(@QueryParam("component") String component, @QueryParam("state") String state) {
        ChangeState s = null;
        if (state != null && !state.isBlank()) {
            try {
                s = ChangeState.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.BAD_PARAMETER, "state must be one of requested, approved,"
                        + " rejected, withdrawn, expired, superseded, applied, failed; got '" + state + "'");
            }
        }
        ChangeState fs = s;
        String fc = component == null || component.isBlank() ? null : component.trim();
        return endpoint.ledger().read(l -> {
            List<ChangeSummary> out = new ArrayList<>();
            for (ChangeRecord r : l.changes(fc, fs)) {
                out.add(Views.summary(l, r));
            }
            return out;
        });
    }

    /** One change: its statements verbatim, decisions, state and what is still missing. */
    @GET
    @Timed
    @Path("{id}")
    @ReadRule(ReadRule.Access.AGENT_CHANGE_PATH)
    public ChangeView get(@PathParam("id") String id) {
        long change = id(id);
        return endpoint.ledger().read(l -> l.change(change).map(r -> Views.view(l, r))).orElseThrow(
                () -> new ProblemException(ProblemType.NOT_FOUND, "There is no change " + change
                        + " in this log; GET /v1/changes lists them."));
    }

    /** A decision on the change (approve or reject); the URL's id must be the statement's change. */
    @POST
    @Timed
    @Path("{id}/decisions")
    @ReadRule(ReadRule.Access.PUBLIC)
    @Consumes(StatementEndpoint.JOSE)
    public Response decide(@PathParam("id") String id, InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length) {
        long change = id(id);
        String compact = endpoint.body(body, length);
        StatementEndpoint.checkChange(compact, change);
        return endpoint.submit(compact, StatementType.DECISION, change);
    }

    /** The requester withdraws the change. */
    @POST
    @Timed
    @Path("{id}/withdrawal")
    @ReadRule(ReadRule.Access.PUBLIC)
    @Consumes(StatementEndpoint.JOSE)
    public Response withdraw(@PathParam("id") String id, InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length) {
        long change = id(id);
        String compact = endpoint.body(body, length);
        StatementEndpoint.checkChange(compact, change);
        return endpoint.submit(compact, StatementType.WITHDRAWAL, change);
    }

    static long id(String text) {
        if (text == null || !text.matches("[0-9]{1,18}")) {
            throw new ProblemException(ProblemType.BAD_PARAMETER, "a change id is a non-negative decimal number"
                    + " (the seq of its change.requested entry); got '" + text + "'");
        }
        return Long.parseLong(text);
    }
}
