package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /v1/log/proof/inclusion}: the audit path of leaf {@code index} in the tree of {@code size}, bottom-up, base64. */
public record InclusionProof(
        @JsonProperty("index") long index,
        @JsonProperty("size") long size,
        @JsonProperty("proof") List<String> proof) {

    public InclusionProof {
        proof = List.copyOf(proof);
    }
}
