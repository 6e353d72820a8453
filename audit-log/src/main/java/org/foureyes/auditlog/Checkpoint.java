package org.foureyes.auditlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP tlog-checkpoint body (https://c2sp.org/tlog-checkpoint): origin line, tree size, base64
 * RFC 6962 root hash, then optional extension lines, each ending in a newline.
 *
 * <p>A {@code Checkpoint} is only syntax: it says nothing about who vouches for it. Get one from
 * {@link SignedCheckpoint#open} to know that the log signed it. Each value has exactly one body
 * ({@link #parse} accepts only the canonical form, which {@link #body()} produces), so comparing
 * bodies compares checkpoints. Immutable.
 */
public final class Checkpoint {
    static final int HASH_SIZE = 32;

    private final String origin;
    private final long size;
    private final byte[] rootHash;
    private final List<String> extensions;

    private Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
        this.origin = origin;
        this.size = size;
        this.rootHash = rootHash;
        this.extensions = List.copyOf(extensions);
    }

    /**
     * Builds a checkpoint without extension lines.
     *
     * @throws IllegalArgumentException if the origin is empty or holds a newline or control
     *     character, the size is negative, or the hash is not 32 bytes
     */
    public static Checkpoint of(String origin, long size, byte[] rootHash) {
        return of(origin, size, rootHash, List.of());
    }

    /** Builds a checkpoint with extension lines (each non-empty, without newline). */
    public static Checkpoint of(String origin, long size, byte[] rootHash, List<String> extensions) {
        Objects.requireNonNull(rootHash, "rootHash");
        try {
            checkLine(origin, "origin");
            for (String ext : extensions) {
                checkLine(ext, "extension line");
            }
        } catch (NoteFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (size < 0) {
            throw new IllegalArgumentException("tree size must not be negative, got " + size);
        }
        if (rootHash.length != HASH_SIZE) {
            throw new IllegalArgumentException("root hash must be 32 bytes, got " + rootHash.length);
        }
        return new Checkpoint(origin, size, rootHash.clone(), extensions);
    }

    /**
     * Parses a checkpoint body (the text of the note, ending in a newline).
     *
     * @throws NoteFormatException if there are fewer than three lines, an empty line, a tree size
     *     that is not a decimal without sign or leading zeros or exceeds 2^63-1, a root hash that is
     *     not canonical base64 of 32 bytes, a control character, or no final newline
     */
    public static Checkpoint parse(String body) throws NoteFormatException {
        Objects.requireNonNull(body, "body");
        if (!body.endsWith("\n")) {
            throw new NoteFormatException("malformed checkpoint: body must end in a newline");
        }
        NoteParser.checkCharacters(body, "checkpoint");
        List<String> lines = Arrays.asList(body.substring(0, body.length() - 1).split("\n", -1));
        if (lines.size() < 3) {
            throw new NoteFormatException("malformed checkpoint: expected at least 3 lines (origin, size, root hash), got "
                    + lines.size());
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                throw new NoteFormatException("malformed checkpoint: line " + (i + 1) + " is empty");
            }
        }
        long size = parseSize(lines.get(1));
        byte[] hash = Encoding.decodeBase64(lines.get(2));
        if (hash == null) {
            throw new NoteFormatException("malformed checkpoint: root hash is not canonical padded base64: "
                    + Encoding.quote(lines.get(2)));
        }
        if (hash.length != HASH_SIZE) {
            throw new NoteFormatException("malformed checkpoint: root hash must be 32 bytes, got " + hash.length);
        }
        return new Checkpoint(lines.get(0), size, hash, new ArrayList<>(lines.subList(3, lines.size())));
    }

    private static long parseSize(String s) throws NoteFormatException {
        // Digits only, no leading zero: one spelling per size, as the spec requires.
        boolean digits = !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new NoteFormatException("malformed checkpoint: tree size must be a decimal number without sign or"
                    + " leading zeros, got " + Encoding.quote(s));
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new NoteFormatException("malformed checkpoint: tree size " + Encoding.quote(s) + " exceeds 2^63-1");
        }
    }

    private static void checkLine(String line, String what) throws NoteFormatException {
        Objects.requireNonNull(line, what);
        if (line.isEmpty() || line.indexOf('\n') >= 0) {
            throw new NoteFormatException(what + " must be non-empty and hold no newline: " + Encoding.quote(line));
        }
        NoteParser.checkCharacters(line, what);
    }

    /** The origin line: the log's identity, equal to the log key's name. */
    public String origin() {
        return origin;
    }

    /** The number of leaves in the tree. */
    public long size() {
        return size;
    }

    /** A copy of the 32-byte RFC 6962 root hash. */
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** Extension lines, without newlines; usually empty. */
    public List<String> extensions() {
        return extensions;
    }

    /** The checkpoint body: the lines, each followed by a newline. */
    public String body() {
        StringBuilder b = new StringBuilder(origin).append('\n').append(size).append('\n')
                .append(Encoding.base64(rootHash)).append('\n');
        for (String ext : extensions) {
            b.append(ext).append('\n');
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint && body().equals(((Checkpoint) o).body());
    }

    @Override
    public int hashCode() {
        return body().hashCode();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", size " + size + ", root " + Encoding.base64(rootHash) + "]";
    }
}
