package org.foureyes.server.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
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
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Access when the log is not public ({@code log.public: false}). Decides on the resource method
 * Jersey matched and its decoded path parameters, never on the raw path (which keeps matrix
 * parameters Jersey ignores when matching, issue 13). Default deny: a method is open only as far
 * as its {@link ReadRule} says; without one it needs {@code Authorization: Bearer <foureyes.access/v1
 * token>} from a principal with the {@code read} right. Agents (principals with a {@code report}
 * right) may read what concerns their components. Paths with {@code ;} never get here
 * ({@link PathGuardFilter}).
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

    /** The rule of the matched method: its own annotation, else its class's, else readers only. */
    public static ReadRule.Access ruleOf(Method method) {
        if (method == null) {
            return ReadRule.Access.READERS;
        }
        ReadRule r = method.getAnnotation(ReadRule.class);
        if (r == null) {
            r = method.getDeclaringClass().getAnnotation(ReadRule.class);
        }
        return r == null ? ReadRule.Access.READERS : r.value();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ReadRule.Access rule = ReadRule.Access.READERS;
        if (request.getUriInfo() instanceof ExtendedUriInfo uri) {
            ResourceMethod matched = uri.getMatchedResourceMethod();
            if (matched != null && matched.getInvocable() != null) {
                rule = ruleOf(matched.getInvocable().getDefinitionMethod());
            }
        }
        if (rule == ReadRule.Access.PUBLIC) {
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
        if (!own.isEmpty() && agentMayRead(rule, request, own)) {
            return;
        }
        request.abortWith(problem(403, "forbidden", "Forbidden", caller.principal() + " holds no role with the read"
                + " right" + (own.isEmpty() ? "" : ", and agents may read only what concerns their components "
                + own.stream().sorted().toList()) + "; ask for a policy change that grants it."));
    }

    private boolean agentMayRead(ReadRule.Access rule, ContainerRequestContext request, Set<String> own) {
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters();
        return switch (rule) {
            case AGENT_LOG -> true;
            case AGENT_COMPONENT_PATH -> single(path.get("name")).filter(own::contains).isPresent();
            case AGENT_COMPONENT_QUERY -> single(request.getUriInfo().getQueryParameters().get("component"))
                    .filter(own::contains).isPresent();
            case AGENT_CHANGE_PATH -> single(path.get("id")).filter(id -> id.matches("[0-9]{1,18}"))
                    .flatMap(id -> ledger.read(l -> l.change(Long.parseLong(id)))).map(ChangeRecord::component)
                    .filter(own::contains).isPresent();
            case PUBLIC, READERS -> false;
        };
    }

    private static Optional<String> single(List<String> values) {
        return values != null && values.size() == 1 ? Optional.ofNullable(values.get(0)) : Optional.empty();
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
