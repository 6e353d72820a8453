package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One change ({@code GET /v1/changes/{id}}): the request statement verbatim and what it asks,
 * every decision with its statement verbatim, the state, what is still missing, and every entry
 * about the change. Statements are the exact compact JWS from the log, so a client can verify
 * them itself (the operator commands do).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeView(
        @JsonProperty("id") long id,
        @JsonProperty("component") String component,
        @JsonProperty("requester") String requester,
        @JsonProperty("state") String state,
        @JsonProperty("emergency") boolean emergency,
        @JsonProperty("reason") String reason,
        @JsonProperty("base") String base,
        @JsonProperty("config") JsonNode config,
        @JsonProperty("config_sha256") String configSha256,
        @JsonProperty("request") String request,
        @JsonProperty("request_sha256") String requestSha256,
        @JsonProperty("request_iat") String requestIat,
        @JsonProperty("requested_at") String requestedAt,
        @JsonProperty("policy_sha256") String policySha256,
        @JsonProperty("explanation") String explanation,
        @JsonProperty("missing") List<String> missing,
        @JsonProperty("approvals") List<Approval> approvals,
        @JsonProperty("decisions") List<DecisionView> decisions,
        @JsonProperty("approved_at") String approvedAt,
        @JsonProperty("took_effect_at") String tookEffectAt,
        @JsonProperty("closed_at") String closedAt,
        @JsonProperty("close_reason") String closeReason,
        @JsonProperty("review") String review,
        @JsonProperty("review_due") String reviewDue,
        @JsonProperty("events") List<Event> events) {

    /** An approval that counts, and the role through which it fills a slot of the rule. */
    public record Approval(
            @JsonProperty("principal") String principal,
            @JsonProperty("role") String role,
            @JsonProperty("matched") boolean matched) {
    }

    /** An accepted decision, with its statement verbatim. */
    public record DecisionView(
            @JsonProperty("seq") long seq,
            @JsonProperty("principal") String principal,
            @JsonProperty("decision") String decision,
            @JsonProperty("iat") String iat,
            @JsonProperty("statement_sha256") String statementSha256,
            @JsonProperty("statement") String statement) {
    }

    /** An entry about the change. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(
            @JsonProperty("seq") long seq,
            @JsonProperty("time") String time,
            @JsonProperty("type") String type,
            @JsonProperty("state") String state) {
    }
}
