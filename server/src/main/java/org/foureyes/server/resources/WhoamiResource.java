package org.foureyes.server.resources;

import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.foureyes.policy.Principal;
import org.foureyes.server.api.Problem;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.api.Whoami;
import org.foureyes.server.auth.AccessTokens;
import org.foureyes.server.auth.ReadRule;

/**
 * {@code GET /v1/whoami}: checks the bearer access token (always required, public log or not) and
 * says whom it is from under the policy in force. For clients to test their key and clock, and
 * the benchmark's baseline of an authenticated request.
 */
@Path("/v1/whoami")
@ReadRule(ReadRule.Access.PUBLIC)
@Produces(MediaType.APPLICATION_JSON)
public class WhoamiResource {
    private final AccessTokens tokens;

    public WhoamiResource(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @GET
    @Timed
    public Whoami get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String token = AccessTokens.bearer(authorization).orElseThrow(() -> unauthorized(
                "Send Authorization: Bearer <token>, a foureyes.access/v1 statement signed with your key."));
        AccessTokens.Caller caller;
        try {
            caller = tokens.verify(token);
        } catch (AccessTokens.Invalid e) {
            throw unauthorized(e.getMessage());
        }
        Principal p = caller.policy().policy().principal(caller.principal()).orElseThrow();
        return new Whoami(p.name(), List.copyOf(p.roles()), caller.policy().policy().canRead(p.name()),
                caller.token().expiresAt().toString());
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(new Problem(ProblemType.BASE + "unauthorized", "Unauthorized", 401, detail));
    }
}
