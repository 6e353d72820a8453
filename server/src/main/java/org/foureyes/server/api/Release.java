package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code GET /v1/components/{name}/release}: what an agent needs for its next round (see
 * docs/release.md). {@code entries} are the exact stored entries as JSON strings; {@code next} is
 * null when they reach the checkpoint's size, else the seq to continue from with
 * {@code /v1/log/entries}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Release(
        @JsonProperty("component") String component,
        @JsonProperty("since") long since,
        @JsonProperty("checkpoint") String checkpoint,
        @JsonProperty("consistency_proof") List<String> consistencyProof,
        @JsonProperty("entries") List<String> entries,
        @JsonProperty("next") Long next) {

    public Release {
        consistencyProof = List.copyOf(consistencyProof);
        entries = List.copyOf(entries);
    }
}
