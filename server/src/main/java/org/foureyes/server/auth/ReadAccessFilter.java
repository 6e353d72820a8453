package org.foureyes.server.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.policy.Policy;
import org.foureyes.policy.Right;
import org.foureyes.server.api.Problem;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.core.ServerLedger;

/**
 * Read access when the log is not public ({@code log.public: false}): every {@code GET} under
 * {@code /v1/} needs {@code Authorization: Bearer <foureyes.access/v1 token>} from a principal with
 * the {@code read} right. An agent (a principal with a {@code report} right) may read what concerns
 * its components: the log itself ({@code /v1/log/...}, which it must read whole to verify), the
 * policy, its components and their release, and their changes. {@code /v1/whoami} checks its token
 * itself; {@code /v1/log/key} stays public (it is what clients pin, and names the origin tokens
 * are for). Writes are signed statements and need no token.
 */
@Priority(Priorities.AUTHENTICATION)
public final class ReadAccessFilter implements ContainerRequestFilter {
    public static final String PROBLEM_BASE = ProblemType.BASE;

    private final AccessTokens tokens;
    private final ServerLedger ledger;

    public ReadAccessFilter(AccessTokens tokens, ServerLedger ledger) {
        this.tokens = tokens;
        this.ledger = ledger;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (!path.startsWith("v1/") || path.equals("v1/whoami") || path.equals("v1/log/key")) {
            return;
        }
        Optional<String> token = AccessTokens.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            request.abortWith(unauthorized("This log is not public: send Authorization: Bearer <token>, a"
                    + " foureyes.access/v1 statement signed by a principal with the read right."));
            return;
        }
        AccessTokens.Caller caller;
        try {
            caller = tokens.verify(token.get());
        } catch (AccessTokens.Invalid e) {
            request.abortWith(unauthorized(e.getMessage()));
            return;
        }
        Policy policy = caller.policy().policy();
        if (policy.canRead(caller.principal())) {
            return;
        }
        Set<String> own = policy.components().keySet().stream()
                .filter(c -> policy.holds(caller.principal(), new Right(Right.Action.REPORT, c)))
                .collect(Collectors.toSet());
        if (!own.isEmpty() && agentMayRead(path, request.getUriInfo().getQueryParameters().get("component"), own)) {
            return;
        }
        request.abortWith(problem(403, "forbidden", "Forbidden", caller.principal() + " holds no role with the read"
                + " right" + (own.isEmpty() ? "" : ", and agents may read only what concerns their components "
                + own.stream().sorted().toList()) + "; ask for a policy change that grants it."));
    }

    private boolean agentMayRead(String path, List<String> componentParam, Set<String> own) {
        String[] p = path.split("/");
        if (p.length >= 2 && (p[1].equals("log") || p[1].equals("policy"))) {
            return true;
        }
        if (p.length >= 3 && p[1].equals("components")) {
            return own.contains(p[2]);
        }
        if (p.length == 2 && p[1].equals("changes")) {
            return componentParam != null && componentParam.size() == 1 && own.contains(componentParam.get(0));
        }
        if (p.length >= 3 && p[1].equals("changes") && p[2].matches("[0-9]{1,18}")) {
            long id = Long.parseLong(p[2]);
            Optional<ChangeRecord> r = ledger.read(l -> l.change(id));
            return r.isPresent() && own.contains(r.get().component());
        }
        return false;
    }

    static Response unauthorized(String detail) {
        return Response.fromResponse(problem(401, "unauthorized", "Unauthorized", detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"foureyes\"").build();
    }

    static Response problem(int status, String slug, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(PROBLEM_BASE + slug, title, status, detail)).build();
    }
}
