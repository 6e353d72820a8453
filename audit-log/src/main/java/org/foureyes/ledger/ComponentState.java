package org.foureyes.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * A component as the log says it is now.
 *
 * @param name the component's name ({@code policy} for the policy itself)
 * @param config the current configuration: the last one its agent reported applied (for
 *     {@code policy}: the policy in force, as JSON); null if it has none yet
 * @param configSha256 its hash (hex SHA-256 of the RFC 8785 form), null if none; what a request's
 *     {@code base} must be
 * @param version how many configurations have taken effect: 0 before the first, +1 for each
 *     change reported applied (emergencies included); for {@code policy}, 1 for the genesis
 *     policy and +1 for each activation
 * @param lastAppliedChange the id of the change that took effect last, null if none (or, for
 *     {@code policy}, the genesis)
 * @param lastAppliedAt the time of the entry with which that change took effect
 * @param lastAgentContact the time of the latest accepted report from its agent, null if none
 * @param driftReportedAt the time of the latest drift report since the last applied change, null
 *     if none
 */
public record ComponentState(
        String name,
        JsonNode config,
        String configSha256,
        long version,
        Long lastAppliedChange,
        Instant lastAppliedAt,
        Instant lastAgentContact,
        Instant driftReportedAt) {

    public ComponentState {
        config = config == null ? null : config.deepCopy();
    }

    static ComponentState empty(String name) {
        return new ComponentState(name, null, null, 0, null, null, null, null);
    }

    @Override
    public JsonNode config() {
        return config == null ? null : config.deepCopy();
    }

    public Optional<String> configHash() {
        return Optional.ofNullable(configSha256);
    }

    ComponentState applied(JsonNode newConfig, String newHash, long change, Instant at, boolean agentContact) {
        return new ComponentState(name, newConfig, newHash, version + 1, change, at,
                agentContact ? at : lastAgentContact, null);
    }

    ComponentState contact(Instant at, boolean drift) {
        return new ComponentState(name, config, configSha256, version, lastAppliedChange, lastAppliedAt, at,
                drift ? at : driftReportedAt);
    }
}
