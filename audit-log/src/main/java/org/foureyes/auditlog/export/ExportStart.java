package org.foureyes.auditlog.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.Rfc6962;

/**
 * The start state of a range export ({@value ExportFormat#START_FILE}, docs/export-format.md):
 * the tree of the first {@code start} entries summarised by its RFC 6962 right border (the roots
 * of the complete subtrees covering {@code [0, start)}, largest first, one per set bit of
 * {@code start}) and the leaf hash of entry {@code start - 1} (the {@code prev} of entry
 * {@code start}). Nothing in it is trusted: the verifier continues the tree from the border, so the
 * signed checkpoint's root authenticates the border, and entry {@code start}'s own {@code prev}
 * (covered by that root) must equal {@code prev}.
 *
 * <pre>{"start":1000,"prev":"&lt;base64&gt;","border":["&lt;base64&gt;", ...]}</pre>
 */
public record ExportStart(long start, byte[] prev, List<byte[]> border) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ExportStart {
        if (start <= 0) {
            throw new IllegalArgumentException("a range export starts after entry 0, got start " + start);
        }
        checkHash(prev, "prev");
        border = List.copyOf(border);
        if (border.size() != Long.bitCount(start)) {
            throw new IllegalArgumentException("a tree of " + start + " entries has " + Long.bitCount(start)
                    + " border hashes, got " + border.size());
        }
        for (byte[] h : border) {
            checkHash(h, "border");
        }
        prev = prev.clone();
    }

    /** The border as a compact range of {@code start} leaves, ready to append entry {@code start}. */
    public CompactRange range() {
        return CompactRange.fromBorder(start, border);
    }

    /**
     * Derives the start state from what the public API serves: the exact bytes of entry
     * {@code start - 1} and its RFC 9162 inclusion proof in the tree of {@code start} entries.
     * For the last leaf of a tree that proof is, bottom-up, the left siblings inside the smallest
     * complete subtree and then the other border subtrees from smallest to largest. Nothing is
     * checked here beyond the proof's length; the checkpoint root decides later.
     */
    public static ExportStart fromInclusionProof(long start, byte[] entryBeforeStart, List<byte[]> proof) {
        if (start <= 0) {
            throw new IllegalArgumentException("start must be > 0");
        }
        int inner = Long.numberOfTrailingZeros(start);
        int outer = Long.bitCount(start) - 1;
        if (proof.size() != inner + outer) {
            throw new IllegalArgumentException("an inclusion proof of entry " + (start - 1) + " in a tree of size "
                    + start + " has " + (inner + outer) + " hashes, got " + proof.size());
        }
        byte[] leaf = Rfc6962.leafHash(entryBeforeStart);
        byte[] h = leaf;
        for (int i = 0; i < inner; i++) {
            h = Rfc6962.nodeHash(proof.get(i), h);
        }
        List<byte[]> border = new ArrayList<>(outer + 1);
        for (int i = proof.size() - 1; i >= inner; i--) {
            border.add(proof.get(i));
        }
        border.add(h);
        return new ExportStart(start, leaf, border);
    }

    /** The {@value ExportFormat#START_FILE} content: one JSON object and a newline. */
    public String toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("start", start);
        o.put("prev", b64(prev));
        ArrayNode a = o.putArray("border");
        border.forEach(h -> a.add(b64(h)));
        return o + "\n";
    }

    /**
     * Parses {@value ExportFormat#START_FILE}.
     *
     * @throws IllegalArgumentException if it is not exactly that object with canonical base64 hashes
     */
    public static ExportStart parse(byte[] json) {
        JsonNode n;
        try {
            n = MAPPER.reader().with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject() || n.size() != 3 || !n.path("start").canConvertToExactIntegral()
                || !n.path("start").isIntegralNumber() || !n.path("prev").isTextual() || !n.path("border").isArray()) {
            throw new IllegalArgumentException("expected exactly {\"start\":<integer>,\"prev\":<base64>,"
                    + "\"border\":[<base64>...]}");
        }
        long start = n.get("start").asLong();
        List<byte[]> border = new ArrayList<>();
        for (Iterator<JsonNode> it = n.get("border").elements(); it.hasNext();) {
            JsonNode h = it.next();
            if (!h.isTextual()) {
                throw new IllegalArgumentException("border holds a non-string");
            }
            border.add(hash(h.textValue(), "border"));
        }
        return new ExportStart(start, hash(n.get("prev").textValue(), "prev"), border);
    }

    private static byte[] hash(String s, String what) {
        byte[] h;
        try {
            h = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64: " + s);
        }
        if (h.length != Rfc6962.HASH_SIZE || !b64(h).equals(s)) {
            throw new IllegalArgumentException(what + " is not the canonical base64 of 32 bytes: " + s);
        }
        return h;
    }

    private static void checkHash(byte[] h, String what) {
        if (h == null || h.length != Rfc6962.HASH_SIZE) {
            throw new IllegalArgumentException(what + " must be a 32-byte hash");
        }
    }

    private static String b64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }
}
