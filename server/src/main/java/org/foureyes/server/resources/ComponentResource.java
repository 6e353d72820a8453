package org.foureyes.server.resources;

import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.ledger.ComponentState;
import org.foureyes.server.api.ComponentView;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.auth.ReadRule;
import org.foureyes.statement.StatementType;

/** The components as the log says they are, and their agents' reports. */
@Path("/v1/components")
@Produces(MediaType.APPLICATION_JSON)
public class ComponentResource {
    private final StatementEndpoint endpoint;

    public ComponentResource(StatementEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Every component of the policy in force ({@code policy} included). */
    @GET
    @Timed
    public List<ComponentView> list() {
        return endpoint.ledger().read(l -> {
            List<ComponentView> out = new ArrayList<>();
            for (ComponentState c : l.components()) {
                out.add(Views.component(l, c));
            }
            return out;
        });
    }

    /** One component: current configuration, its hash, version, open changes, agent's last contact. */
    @GET
    @Timed
    @Path("{name}")
    @ReadRule(ReadRule.Access.AGENT_COMPONENT_PATH)
    public ComponentView get(@PathParam("name") String name) {
        return endpoint.ledger().read(l -> l.component(name).map(c -> Views.component(l, c))).orElseThrow(
                () -> new ProblemException(ProblemType.NOT_FOUND, "There is no component '" + name
                        + "' in this log; GET /v1/components lists them."));
    }

    /** An agent's report; the URL's name must be the statement's component. */
    @POST
    @Timed
    @Path("{name}/reports")
    @ReadRule(ReadRule.Access.PUBLIC)
    @Consumes(StatementEndpoint.JOSE)
    public Response report(@PathParam("name") String name, InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length) {
        String compact = endpoint.body(body, length);
        StatementEndpoint.checkComponent(compact, name);
        return endpoint.submit(compact, StatementType.REPORT, null);
    }
}
