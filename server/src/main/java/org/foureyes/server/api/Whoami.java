package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /v1/whoami}: who the access token is from, under the policy in force. */
public record Whoami(
        @JsonProperty("principal") String principal,
        @JsonProperty("roles") List<String> roles,
        @JsonProperty("read") boolean read,
        @JsonProperty("expires") String expires) {
}
