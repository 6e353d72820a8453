package org.foureyes.auditlog.tiles;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.foureyes.auditlog.Rfc6962;

/**
 * A receipt in the C2SP tlog-proof form ({@code .tlog-proof}): the header line
 * {@code c2sp.org/tlog-proof@v1}, an optional {@code extra <base64>} line, {@code index <N>}, the
 * inclusion proof one base64 hash per line (leaf's sibling first), an empty line, and the signed
 * checkpoint verbatim with its cosignature lines. foureyes puts the entry's exact bytes in
 * {@code extra}, so the proof is verifiable offline on its own; the verifier trusts them only
 * because they hash to the proven leaf.
 */
public record TlogProof(long index, List<byte[]> proof, String checkpoint, Optional<byte[]> extra) {
    public static final String HEADER = "c2sp.org/tlog-proof@v1";
    /** A proof has at most 63 hashes; an entry at most 65,535 bytes; a checkpoint well under 1 MiB. */
    private static final int MAX_LENGTH = 2 << 20;

    public TlogProof {
        if (index < 0) {
            throw new IllegalArgumentException("negative index " + index);
        }
        proof = List.copyOf(proof);
        for (byte[] h : proof) {
            if (h.length != Rfc6962.HASH_SIZE) {
                throw new IllegalArgumentException("a proof hash has " + h.length + " bytes, not 32");
            }
        }
        if (checkpoint.isEmpty() || !checkpoint.endsWith("\n")) {
            throw new IllegalArgumentException("the checkpoint note must end with a newline");
        }
        extra = extra.map(byte[]::clone);
    }

    /** The text of the proof. */
    public String format() {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        extra.ifPresent(e -> b.append("extra ").append(Base64.getEncoder().encodeToString(e)).append('\n'));
        b.append("index ").append(index).append('\n');
        for (byte[] h : proof) {
            b.append(Base64.getEncoder().encodeToString(h)).append('\n');
        }
        return b.append('\n').append(checkpoint).toString();
    }

    /** Whether {@code text} claims to be a tlog-proof (its first line is the header). */
    public static boolean looksLike(String text) {
        return text.startsWith(HEADER + "\n");
    }

    /**
     * Parses the text of a proof, strictly: canonical base64, decimal index without leading zeros,
     * one empty line before the checkpoint.
     *
     * @throws IllegalArgumentException naming the line that is wrong
     */
    public static TlogProof parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a tlog-proof is at most " + MAX_LENGTH + " characters");
        }
        if (!looksLike(text)) {
            throw new IllegalArgumentException("the first line is not " + HEADER);
        }
        int split = text.indexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("no empty line before the checkpoint");
        }
        String[] lines = text.substring(0, split).split("\n", -1);
        String checkpoint = text.substring(split + 2);
        int i = 1;
        Optional<byte[]> extra = Optional.empty();
        if (i < lines.length && lines[i].startsWith("extra ")) {
            extra = Optional.of(base64(lines[i].substring(6), "the extra line"));
            i++;
        }
        if (i >= lines.length || !lines[i].startsWith("index ")) {
            throw new IllegalArgumentException("line " + (i + 1) + " is not \"index <N>\"");
        }
        String n = lines[i].substring(6);
        if (!n.matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("the index is not a decimal without leading zeros: \"" + n + "\"");
        }
        long index;
        try {
            index = Long.parseLong(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the index is too large");
        }
        List<byte[]> proof = new ArrayList<>();
        for (i++; i < lines.length; i++) {
            byte[] h = base64(lines[i], "proof line " + (proof.size() + 1));
            if (h.length != Rfc6962.HASH_SIZE) {
                throw new IllegalArgumentException("proof line " + (proof.size() + 1) + " is not a 32-byte hash");
            }
            proof.add(h);
        }
        return new TlogProof(index, proof, checkpoint, extra);
    }

    /** The entry carried in {@code extra}, as text. */
    public Optional<String> entryText() {
        return extra.map(e -> new String(e, StandardCharsets.UTF_8));
    }

    private static byte[] base64(String s, String what) {
        byte[] b;
        try {
            b = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64");
        }
        if (!Base64.getEncoder().encodeToString(b).equals(s)) {
            throw new IllegalArgumentException(what + " is not canonical base64");
        }
        return b;
    }
}
