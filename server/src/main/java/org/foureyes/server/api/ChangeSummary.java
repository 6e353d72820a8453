package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One change in a list ({@code GET /v1/changes}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeSummary(
        @JsonProperty("id") long id,
        @JsonProperty("component") String component,
        @JsonProperty("requester") String requester,
        @JsonProperty("state") String state,
        @JsonProperty("emergency") boolean emergency,
        @JsonProperty("reason") String reason,
        @JsonProperty("requested_at") String requestedAt,
        @JsonProperty("explanation") String explanation,
        @JsonProperty("missing") List<String> missing) {
}
