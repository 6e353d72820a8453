package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to an accepted statement (201): the change as it is now, the state the statement's
 * own entry recorded, the decision engine's explanation, the receipt of the statement's entry,
 * and, when the statement caused more than its own entry, the receipts of every entry appended with
 * it (in log order, its own included: e.g. a report and the supersessions it caused).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatementAccepted(
        @JsonProperty("change") ChangeView change,
        @JsonProperty("state") String state,
        @JsonProperty("explanation") String explanation,
        @JsonProperty("receipt") Receipt receipt,
        @JsonProperty("entries") List<Receipt> entries) {
}
