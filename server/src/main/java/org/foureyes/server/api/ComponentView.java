package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A component ({@code GET /v1/components[/{name}]}): its current configuration (the last one its
 * agent reported applied; for {@code policy} the policy in force), that configuration's hash (what
 * a request's {@code base} must be), its version, open changes and its agent's last contact.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComponentView(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("config") JsonNode config,
        @JsonProperty("config_sha256") String configSha256,
        @JsonProperty("version") long version,
        @JsonProperty("last_applied_change") Long lastAppliedChange,
        @JsonProperty("last_applied_at") String lastAppliedAt,
        @JsonProperty("last_agent_contact") String lastAgentContact,
        @JsonProperty("drift_reported_at") String driftReportedAt,
        @JsonProperty("emergency") JsonNode emergency,
        @JsonProperty("pending") List<ChangeSummary> pending) {
}
