package org.foureyes.auditlog.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.EntryFormatException;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.ProofException;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.Rfc6962;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.VerifierKey;

/**
 * Checks a single receipt offline (docs/verifier.md, "Receipts"): the answer the server gives to
 * an acknowledged append,
 * {@code {"seq":N,"entry":"<exact entry text>","checkpoint":"<signed note>","proof":["<base64>",...]}}.
 *
 * <p>Checks, in order: the checkpoint note is signed by the pinned log key and its origin is the
 * key's name; the entry is one canonical log entry and its {@code seq} is the receipt's; the seq
 * is inside the checkpoint's tree; the RFC 9162 inclusion proof of the entry's leaf hash
 * (SHA-256(0x00 || entry bytes)) at index seq verifies against the checkpoint's root. A receipt
 * proves that the log key committed to the entry; it says nothing about whether the policy allowed
 * it (that takes full verification of the log).
 *
 * <p>Stateless and thread-safe.
 */
public final class ReceiptVerifier {

    /** Largest receipt accepted, in bytes. */
    public static final int MAX_RECEIPT_BYTES = 4 << 20;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();
    private static final Set<String> MEMBERS = Set.of("seq", "entry", "checkpoint", "proof");

    private ReceiptVerifier() {
    }

    /**
     * A receipt as read from its JSON, not yet checked.
     *
     * @param proof the proof's hashes as given (base64 strings)
     */
    public record Receipt(long seq, String entry, String checkpoint, List<String> proof) {
        public Receipt {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(checkpoint, "checkpoint");
            proof = List.copyOf(proof);
        }
    }

    /** The outcome of checking a receipt. */
    public sealed interface Result permits Valid, Invalid {
        boolean valid();
    }

    /** The receipt holds: {@code entry} is leaf {@code entry.seq()} of the tree the checkpoint commits to. */
    public record Valid(LogEntry entry, Checkpoint checkpoint) implements Result {
        @Override
        public boolean valid() {
            return true;
        }
    }

    /**
     * The receipt does not hold.
     *
     * @param check which check failed: {@code checkpoint-signature}, {@code entry}, {@code seq},
     *     {@code proof}
     * @param message one line naming the expected and found values
     */
    public record Invalid(String check, String message) implements Result {
        @Override
        public boolean valid() {
            return false;
        }
    }

    /**
     * Reads a receipt's JSON: an object with exactly the members {@code seq} (integer ≥ 0),
     * {@code entry} (string), {@code checkpoint} (string) and {@code proof} (array of strings), no
     * duplicate member.
     *
     * @throws ReceiptFormatException if it is not such an object (nothing could be checked)
     */
    public static Receipt parse(String json) throws ReceiptFormatException {
        Objects.requireNonNull(json, "json");
        if (json.length() > MAX_RECEIPT_BYTES) {
            throw new ReceiptFormatException("receipt is larger than " + MAX_RECEIPT_BYTES + " bytes");
        }
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ReceiptFormatException("receipt is not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new ReceiptFormatException("receipt is not a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!MEMBERS.contains(f)) {
                throw new ReceiptFormatException("receipt has an unknown member \"" + f
                        + "\" (expected seq, entry, checkpoint, proof)");
            }
        }
        JsonNode seq = n.get("seq");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0) {
            throw new ReceiptFormatException("receipt: seq must be an integer >= 0");
        }
        JsonNode entry = n.get("entry");
        if (entry == null || !entry.isTextual()) {
            throw new ReceiptFormatException("receipt: entry must be a string (the entry's exact text)");
        }
        JsonNode cp = n.get("checkpoint");
        if (cp == null || !cp.isTextual()) {
            throw new ReceiptFormatException("receipt: checkpoint must be a string (the signed checkpoint note)");
        }
        JsonNode proof = n.get("proof");
        if (proof == null || !proof.isArray()) {
            throw new ReceiptFormatException("receipt: proof must be an array of base64 hashes");
        }
        List<String> hashes = new ArrayList<>();
        for (JsonNode h : proof) {
            if (!h.isTextual()) {
                throw new ReceiptFormatException("receipt: proof must be an array of base64 strings");
            }
            hashes.add(h.textValue());
        }
        return new Receipt(seq.longValue(), entry.textValue(), cp.textValue(), hashes);
    }

    /**
     * Parses and checks a receipt in either form, JSON or C2SP tlog-proof (recognised by its first
     * line), against the pinned log key. A tlog-proof must carry the entry in its {@code extra}
     * line, as foureyes writes it.
     */
    public static Result verifyAny(String text, VerifierKey logKey) throws ReceiptFormatException {
        if (!org.foureyes.auditlog.tiles.TlogProof.looksLike(text)) {
            return verify(text, logKey);
        }
        return verify(fromTlogProof(text), logKey);
    }

    /** The receipt a tlog-proof holds (the entry from its {@code extra} line). */
    public static Receipt fromTlogProof(String text) throws ReceiptFormatException {
        org.foureyes.auditlog.tiles.TlogProof p;
        try {
            p = org.foureyes.auditlog.tiles.TlogProof.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ReceiptFormatException("not a C2SP tlog-proof: " + e.getMessage());
        }
        String entry = p.entryText().orElseThrow(() -> new ReceiptFormatException("the tlog-proof carries no entry"
                + " (foureyes writes the entry's bytes in its extra line); without it nothing can be checked"));
        List<String> proof = new ArrayList<>();
        p.proof().forEach(h -> proof.add(Base64.getEncoder().encodeToString(h)));
        return new Receipt(p.index(), entry, p.checkpoint(), proof);
    }

    /** The receipt in the C2SP tlog-proof form, the entry's bytes in its {@code extra} line. */
    public static String toTlogProof(Receipt r) {
        List<byte[]> proof = new ArrayList<>();
        r.proof().forEach(h -> proof.add(Base64.getDecoder().decode(h)));
        return new org.foureyes.auditlog.tiles.TlogProof(r.seq(), proof, r.checkpoint(),
                java.util.Optional.of(r.entry().getBytes(StandardCharsets.UTF_8))).format();
    }

    /** Parses and checks a receipt's JSON against the pinned log key. */
    public static Result verify(String json, VerifierKey logKey) throws ReceiptFormatException {
        return verify(parse(json), logKey);
    }

    /** Checks a receipt against the pinned log key. */
    public static Result verify(Receipt r, VerifierKey logKey) {
        Objects.requireNonNull(logKey, "logKey");
        String keyName = LogVerifier.keyName(logKey);
        Checkpoint cp;
        try {
            cp = SignedCheckpoint.open(r.checkpoint(), logKey);
        } catch (GeneralSecurityException e) {
            return new Invalid("checkpoint-signature", "the receipt's checkpoint does not verify with the pinned key "
                    + keyName + ": " + e.getMessage());
        }
        LogEntry entry;
        try {
            entry = LogEntry.parse(r.entry().getBytes(StandardCharsets.UTF_8));
        } catch (EntryFormatException e) {
            return new Invalid("entry", "the receipt's entry is not a canonical log entry: " + e.getMessage());
        }
        if (entry.seq() != r.seq()) {
            return new Invalid("seq", "the receipt is for seq " + r.seq() + " but its entry has seq " + entry.seq());
        }
        if (r.seq() >= cp.size()) {
            return new Invalid("seq", "the receipt's seq " + r.seq() + " is not in the checkpoint's tree of size "
                    + cp.size());
        }
        List<byte[]> proof = new ArrayList<>(r.proof().size());
        Base64.Decoder dec = Base64.getDecoder();
        for (int i = 0; i < r.proof().size(); i++) {
            String h = r.proof().get(i);
            byte[] b;
            try {
                b = dec.decode(h);
            } catch (IllegalArgumentException e) {
                b = null;
            }
            if (b == null || b.length != Rfc6962.HASH_SIZE || !Base64.getEncoder().encodeToString(b).equals(h)) {
                return new Invalid("proof", "proof element " + i + " is not the canonical base64 of a 32-byte hash");
            }
            proof.add(b);
        }
        try {
            ProofVerifier.verifyInclusion(r.seq(), cp.size(), entry.leafHash(), proof, cp.rootHash());
        } catch (ProofException e) {
            return new Invalid("proof", "the inclusion proof of entry " + r.seq() + " (leaf hash "
                    + LogVerifier.b64(entry.leafHash()) + ") in the checkpoint's tree of size " + cp.size()
                    + " does not verify: " + e.getMessage());
        }
        return new Valid(entry, cp);
    }
}
