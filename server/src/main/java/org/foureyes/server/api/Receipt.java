package org.foureyes.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to an acknowledged append: the entry's seq, its exact bytes (as UTF-8 text), the
 * signed checkpoint that covers it (a C2SP signed note; its size is the tree size), and the
 * entry's RFC 9162 inclusion proof in that tree (base64 hashes, bottom-up). See docs/storage.md.
 */
public record Receipt(
        @JsonProperty("seq") long seq,
        @JsonProperty("entry") String entry,
        @JsonProperty("checkpoint") String checkpoint,
        @JsonProperty("proof") List<String> proof) {

    public Receipt {
        proof = List.copyOf(proof);
    }

    /**
     * This receipt in the C2SP tlog-proof form (docs/tiles.md), the entry's bytes in its
     * {@code extra} line; {@code foureyes-verify receipt} checks it like the JSON form.
     */
    public String toTlogProof() {
        return org.foureyes.auditlog.verify.ReceiptVerifier.toTlogProof(
                new org.foureyes.auditlog.verify.ReceiptVerifier.Receipt(seq, entry, checkpoint, proof));
    }
}
