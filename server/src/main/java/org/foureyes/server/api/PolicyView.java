package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The policy in force ({@code GET /v1/policy}): its JSON document, hash, where it took effect, its
 * analysis (rights table, coalitions, as {@code foureyes policy check --json}) and the history of
 * every policy in force so far.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyView(
        @JsonProperty("name") String name,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("activated_seq") long activatedSeq,
        @JsonProperty("activated_at") String activatedAt,
        @JsonProperty("change") Long change,
        @JsonProperty("policy") JsonNode policy,
        @JsonProperty("analysis") JsonNode analysis,
        @JsonProperty("history") List<Version> history) {

    /** A policy that was in force. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Version(
            @JsonProperty("sha256") String sha256,
            @JsonProperty("activated_seq") long activatedSeq,
            @JsonProperty("activated_at") String activatedAt,
            @JsonProperty("change") Long change) {
    }
}
