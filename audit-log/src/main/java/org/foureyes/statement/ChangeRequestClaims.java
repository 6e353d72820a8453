package org.foureyes.statement;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to replace a component's configuration ({@code foureyes.change-request/v1}).
 *
 * @param component the component's name in the policy
 * @param base hex SHA-256 of the component's current configuration, empty if it has none yet
 *     (JSON {@code null} in the payload); protects against lost updates
 * @param config the whole new configuration, a JSON object (copied in and out: JsonNode is mutable)
 * @param reason why, for the approvers and the record; not blank
 * @param emergency whether this is an emergency change (see the design's Emergencies)
 */
public record ChangeRequestClaims(
        String component, Optional<String> base, JsonNode config, String reason, boolean emergency)
        implements StatementClaims {

    public ChangeRequestClaims {
        Checks.requireText("component", component);
        Objects.requireNonNull(base, "base");
        base.ifPresent(b -> Checks.requireHex64("base", b));
        Objects.requireNonNull(config, "config");
        if (!config.isObject()) {
            throw new IllegalArgumentException("config must be a JSON object, got " + config.getNodeType());
        }
        config = config.deepCopy();
        Checks.requireText("reason", reason);
    }

    /** An ordinary (non-emergency) change request. */
    public static ChangeRequestClaims of(String component, Optional<String> base, JsonNode config, String reason) {
        return new ChangeRequestClaims(component, base, config, reason, false);
    }

    @Override
    public JsonNode config() {
        return config.deepCopy();
    }

    @Override
    public StatementType type() {
        return StatementType.CHANGE_REQUEST;
    }
}
