package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /v1/log/proof/consistency}: RFC 9162 consistency proof from tree size {@code from} to {@code to}, base64. */
public record ConsistencyProof(
        @JsonProperty("from") long from,
        @JsonProperty("to") long to,
        @JsonProperty("proof") List<String> proof) {

    public ConsistencyProof {
        proof = List.copyOf(proof);
    }
}
