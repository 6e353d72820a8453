package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A refused statement as RFC 9457 problem details: {@code type}
 * {@code https://foureyes.dev/problems/<slug>} (the ledger's problem slug), title, status, the
 * ledger's sentence as {@code detail}, and extension members: the change and component concerned,
 * what the change still needs, whether the refusal was logged and as which entry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatementProblem(
        @JsonProperty("type") String type,
        @JsonProperty("title") String title,
        @JsonProperty("status") int status,
        @JsonProperty("detail") String detail,
        @JsonProperty("change") Long change,
        @JsonProperty("component") String component,
        @JsonProperty("missing") List<String> missing,
        @JsonProperty("logged") Boolean logged,
        @JsonProperty("entry") Long entry) {
}
