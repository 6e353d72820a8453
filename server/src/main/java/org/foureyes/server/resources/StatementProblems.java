package org.foureyes.server.resources;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.foureyes.ledger.Refusal;
import org.foureyes.server.api.Problem;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.api.StatementProblem;

/**
 * The HTTP status and title of each refusal problem (the ledger's slugs, see docs/ledger.md and
 * the table in docs/api.md). The slug is the last segment of the problem type and never changes.
 */
public final class StatementProblems {

    private record Kind(int status, String title) {
    }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            // not a usable statement: 400 (fix the statement and sign again)
            Map.entry("malformed", new Kind(400, "Malformed statement")),
            Map.entry("duplicate-member", new Kind(400, "Duplicate JSON member")),
            Map.entry("missing-claim", new Kind(400, "Missing claim")),
            Map.entry("invalid-claim", new Kind(400, "Invalid claim")),
            Map.entry("wrong-type", new Kind(400, "Wrong statement type for this endpoint")),
            Map.entry("access-token", new Kind(400, "Access token sent as a statement")),
            Map.entry("wrong-audience", new Kind(400, "Statement for another deployment")),
            Map.entry("expired", new Kind(400, "Statement expired")),
            Map.entry("not-yet-valid", new Kind(400, "Statement not yet valid")),
            Map.entry("window-too-long", new Kind(400, "Validity window too long")),
            Map.entry("change-mismatch", new Kind(400, "URL and statement name different changes")),
            Map.entry("component-mismatch", new Kind(400, "URL and statement name different components")),
            // not authentic: 401
            Map.entry("bad-algorithm", new Kind(401, "Algorithm not accepted")),
            Map.entry("unknown-issuer", new Kind(401, "Unknown issuer")),
            Map.entry("unknown-key", new Kind(401, "Unknown key")),
            Map.entry("bad-signature", new Kind(401, "Bad signature")),
            // any of the above on a private log, where the answer says no more than that
            Map.entry("not-authentic", new Kind(401, "Not authentic")),
            // authentic, but the policy does not allow this principal to do it: 403
            Map.entry("no-right", new Kind(403, "No right")),
            Map.entry("self-approval", new Kind(403, "Self-approval")),
            Map.entry("not-requester", new Kind(403, "Not the requester")),
            Map.entry("wrong-component", new Kind(403, "Report for another component")),
            // names nothing that exists: 404
            Map.entry("unknown-change", new Kind(404, "Unknown change")),
            // conflicts with the state of the log: 409
            Map.entry("replayed", new Kind(409, "Replayed statement")),
            Map.entry("stale-base", new Kind(409, "Stale base")),
            Map.entry("closed-change", new Kind(409, "Change closed")),
            Map.entry("already-decided", new Kind(409, "Already decided")),
            Map.entry("request-mismatch", new Kind(409, "Request hash mismatch")),
            Map.entry("pending-expired", new Kind(409, "Change expired")),
            Map.entry("apply-expired", new Kind(409, "Approval expired")),
            Map.entry("not-approved", new Kind(409, "Change not approved")),
            Map.entry("out-of-order", new Kind(409, "Report out of order")),
            Map.entry("open-limit", new Kind(409, "Too many open changes")),
            // the content breaks a rule of the policy: 422
            Map.entry("unknown-component", new Kind(422, "Unknown component")),
            Map.entry("no-emergency", new Kind(422, "No emergency declared")),
            Map.entry("guard-failed", new Kind(422, "Guard failed")),
            Map.entry("emergency-refused", new Kind(422, "Emergency refused")),
            Map.entry("policy-refused", new Kind(422, "Policy refused")),
            Map.entry("no-agent", new Kind(422, "Component without agent")),
            Map.entry("config-mismatch", new Kind(422, "Configuration mismatch")),
            // too big
            Map.entry("too-large", new Kind(413, "Statement too large")),
            Map.entry("entry-too-large", new Kind(413, "Log entry too large")));

    private StatementProblems() {
    }

    public static int status(String slug) {
        Kind k = KINDS.get(slug);
        return k == null ? 400 : k.status();
    }

    public static String title(String slug) {
        Kind k = KINDS.get(slug);
        return k == null ? "Statement refused" : k.title();
    }

    /** Every slug with its status, for docs and tests. */
    public static Map<String, Integer> statuses() {
        java.util.TreeMap<String, Integer> out = new java.util.TreeMap<>();
        KINDS.forEach((s, k) -> out.put(s, k.status()));
        return out;
    }

    public static StatementProblem of(String slug, String detail, Long change, String component, List<String> missing,
            Boolean logged, Long entry) {
        return new StatementProblem(ProblemType.BASE + slug, title(slug), status(slug), detail, change, component,
                missing == null || missing.isEmpty() ? null : List.copyOf(missing), logged, entry);
    }

    public static StatementProblem of(Refusal r, Long change, String component, List<String> missing, Boolean logged,
            Long entry) {
        return of(r.problem(), r.reason(), change, component, missing, logged, entry);
    }

    /**
     * The one answer a private log gives to a statement that is not authentically signed by a
     * principal of the policy in force: fixed, naming nothing of the log, the policy or the statement.
     */
    public static StatementProblem notAuthentic() {
        return of("not-authentic", "The statement is not authentically signed by a principal of this log's policy"
                + " for this log (or is malformed, expired or for another log). Check the key, the audience and the"
                + " time window, and sign it again.", null, null, null, false, null);
    }

    public static Response response(StatementProblem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    /** Ends a request with a statement problem. */
    public static final class Exception extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient StatementProblem problem;

        public Exception(StatementProblem problem) {
            super(problem.detail());
            this.problem = problem;
        }

        public StatementProblem problem() {
            return problem;
        }
    }

    /** Maps {@link Exception} to its problem+json answer. */
    public static final class Mapper implements jakarta.ws.rs.ext.ExceptionMapper<Exception> {
        @Override
        public Response toResponse(Exception e) {
            return response(e.problem());
        }
    }
}
