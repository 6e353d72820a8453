package org.foureyes.server.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.foureyes.auditlog.Rfc6962;

/**
 * The log key's own memory of the largest checkpoint it signed, in a small file beside the key
 * ({@code <key file>.hwm}). It is written durably before a checkpoint is signed, so it is never
 * behind anything the key ever published. A database that is behind it, or holds another tree,
 * would make the key sign a fork: {@link #check} refuses that (see docs/keys-and-notes.md).
 *
 * <p>The file is two 512-byte slots, each a text record with a counter and a SHA-256 over it; a
 * write overwrites the older slot and syncs the data (one {@code fdatasync} per batch, no rename or
 * directory sync), so a torn write leaves the other slot, the previous mark, intact. The newest valid
 * slot is the mark. A record names the checkpoint signed last and, until the database is known to
 * hold it, the one it extended ({@code pending-from}): a crash between signing and committing leaves
 * the database exactly there, which is no fork because the new checkpoint never left the process.
 */
public final class SignerHighWaterMark implements AutoCloseable {
    public static final String SUFFIX = ".hwm";
    static final String MAGIC = "foureyes-signer-hwm/v1";
    static final int SLOT = 512;

    /**
     * The mark: the checkpoint signed last ({@code size}, {@code root}) and, while its commit is not
     * confirmed, the one it extended ({@code fromSize}, {@code fromRoot}; {@code fromRoot} null when
     * confirmed).
     */
    public record Mark(long counter, long size, byte[] root, long fromSize, byte[] fromRoot) {
        boolean pending() {
            return fromRoot != null;
        }
    }

    /** What {@link #check} found. */
    public enum Verdict {
        /** No mark yet: a log from before marks existed, or a new key. */
        NO_MARK,
        /** The database head is the mark. */
        AT_MARK,
        /** The database is ahead of the mark and its tree at the mark's size has the mark's root. */
        AHEAD,
        /** The database is where the last signed checkpoint started: that one was never committed. */
        UNCOMMITTED
    }

    /** The root of the stored tree at a size no larger than the stored head. */
    @FunctionalInterface
    public interface RootAt {
        byte[] root(long size) throws Exception;
    }

    private final Path file;
    private final String origin;
    private FileChannel channel; // open once the file exists
    private Mark mark; // null: none

    private SignerHighWaterMark(Path file, String origin) {
        this.file = file.toAbsolutePath();
        this.origin = origin;
    }

    /** The mark file of {@code keyFile}: {@code <keyFile>.hwm} in the same directory. */
    public static Path beside(Path keyFile) {
        return keyFile.resolveSibling(keyFile.getFileName() + SUFFIX);
    }

    /**
     * Opens (reads) the mark file, which may not exist yet.
     *
     * @throws SignerStateException if it exists but no slot is valid, or it is for another origin
     */
    public static SignerHighWaterMark open(Path file, String origin) {
        SignerHighWaterMark h = new SignerHighWaterMark(file, origin);
        h.reload();
        return h;
    }

    public Path file() {
        return file;
    }

    /** The current mark, if any. */
    public synchronized Optional<Mark> current() {
        return Optional.ofNullable(mark);
    }

    /** Re-reads the file (another instance with the same key file may have moved it). */
    public synchronized void reload() {
        if (!Files.exists(file)) {
            mark = null;
            return;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SignerStateException("cannot read the signer high-water mark " + file + ": " + e.getMessage()
                    + ". Fix its permissions (the server's user must read and write it).", e);
        }
        Mark best = null;
        for (int slot = 0; slot * SLOT < bytes.length; slot++) {
            Mark m = parse(Arrays.copyOfRange(bytes, slot * SLOT, Math.min(bytes.length, (slot + 1) * SLOT)));
            if (m != null && (best == null || m.counter() > best.counter())) {
                best = m;
            }
        }
        if (best == null) {
            throw new SignerStateException("the signer high-water mark " + file + " is corrupted (no valid record)."
                    + " Restore it from the backup taken with the key file. Do not delete it: it is what keeps"
                    + " this key from signing a fork.");
        }
        mark = best;
    }

    /**
     * Whether a database whose signed head is ({@code headSize}, {@code headRoot}) may be extended
     * and served with this key.
     *
     * @param rootAt the stored tree's root at a size below {@code headSize}
     * @throws SignerStateException naming both checkpoints and what to do, if it may not
     */
    public synchronized Verdict check(long headSize, byte[] headRoot, RootAt rootAt) {
        Mark m = mark;
        if (m == null) {
            return Verdict.NO_MARK;
        }
        if (headSize == m.size()) {
            if (headSize == 0 || MessageDigest.isEqual(headRoot, m.root())) {
                return Verdict.AT_MARK;
            }
            throw fork("the database's checkpoint of size " + headSize + " has root " + b64(headRoot)
                    + ", but this key signed size " + m.size() + " with root " + b64(m.root()));
        }
        if (headSize > m.size()) {
            byte[] calculated;
            try {
                calculated = rootAt.root(m.size());
            } catch (Exception e) {
                throw new SignerStateException("cannot read the stored tree at size " + m.size()
                        + " to compare it with the signer high-water mark " + file + ": " + e.getMessage(), e);
            }
            if (m.size() == 0 || MessageDigest.isEqual(calculated, m.root())) {
                return Verdict.AHEAD;
            }
            throw fork("the database's tree (size " + headSize + ") has root " + b64(calculated) + " at size "
                    + m.size() + " (calculated from stored hashes), but this key signed size " + m.size()
                    + " with root " + b64(m.root()) + " (provided by " + file + ")");
        }
        if (m.pending() && headSize == m.fromSize()
                && (headSize == 0 || MessageDigest.isEqual(headRoot, m.fromRoot()))) {
            return Verdict.UNCOMMITTED;
        }
        throw fork((headSize == 0 ? "the database is empty" : "the database's latest checkpoint has size "
                + headSize + " and root " + b64(headRoot)) + ", but this key already signed size " + m.size()
                + " with root " + b64(m.root()) + " (" + file + "): the database is behind its own log, as after"
                + " it was dropped and recreated or an older backup was restored");
    }

    /**
     * Records, durably, that the key is about to sign {@code (toSize, toRoot)}, extending
     * {@code (fromSize, fromRoot)}. Call before signing; the caller has checked that the database
     * holds {@code from} and is consistent with the mark ({@link #check}).
     *
     * @throws SignerStateException if {@code from} is behind the mark (and not the start of an
     *     uncommitted mark), or the file cannot be written
     */
    public synchronized void advance(long fromSize, byte[] fromRoot, long toSize, byte[] toRoot) {
        Mark m = mark;
        if (m != null) {
            boolean fromPendingStart = m.pending() && fromSize == m.fromSize()
                    && (fromSize == 0 || MessageDigest.isEqual(fromRoot, m.fromRoot()));
            boolean fromMark = fromSize == m.size() && (fromSize == 0 || MessageDigest.isEqual(fromRoot, m.root()));
            // From the start of an uncommitted mark any extension is fine: that mark was never published.
            if (!fromPendingStart && (fromSize < m.size() || fromSize == m.size() && !fromMark)) {
                throw fork("asked to extend size " + fromSize + " with root " + b64(fromRoot)
                        + ", but this key already signed size " + m.size() + " with root " + b64(m.root()));
            }
            if (toSize <= fromSize) {
                throw new IllegalArgumentException("a checkpoint extends to a larger size");
            }
        }
        write(new Mark(m == null ? 1 : m.counter() + 1, toSize, toRoot.clone(), fromSize,
                fromRoot == null ? Rfc6962.emptyRoot() : fromRoot.clone()));
    }

    /**
     * Records that the database holds {@code (size, root)}, committed: adopts it if there is no
     * mark yet (a log from before marks), and drops the pending start of the mark if the database
     * holds the mark itself or proved it uncommitted by holding its start. Otherwise leaves the mark
     * as it is ({@link #check} judges). At start and on a clean stop, not per batch.
     */
    public synchronized void confirm(long size, byte[] root) {
        Mark m = mark;
        byte[] r = root == null ? Rfc6962.emptyRoot() : root;
        boolean atMark = m != null && m.size() == size && (size == 0 || MessageDigest.isEqual(m.root(), r));
        boolean atStart = m != null && m.pending() && m.fromSize() == size
                && (size == 0 || MessageDigest.isEqual(m.fromRoot(), r));
        if (m == null || atMark && m.pending() || atStart && !atMark) {
            write(new Mark(m == null ? 1 : m.counter() + 1, size, r.clone(), 0, null));
        }
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was pending: every write was forced
            }
            channel = null;
        }
    }

    private void write(Mark m) {
        byte[] record = format(m);
        try {
            if (!Files.exists(file)) {
                create(m, record);
            } else {
                if (channel == null) {
                    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                }
                ByteBuffer buf = ByteBuffer.wrap(record);
                long pos = (m.counter() % 2) * SLOT;
                while (buf.hasRemaining()) {
                    pos += channel.write(buf, pos);
                }
                // Data only: the file's size never changes after creation, so no metadata to sync.
                channel.force(false);
            }
        } catch (IOException e) {
            throw new SignerStateException("cannot write the signer high-water mark " + file + ": " + e.getMessage()
                    + "; refusing to sign (check free space and permissions of its directory)", e);
        }
        mark = m;
    }

    /** First write: the record in its slot, under a temporary name, synced, renamed, directory synced. */
    private void create(Mark m, byte[] record) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            byte[] both = new byte[2 * SLOT]; // the other slot all zeros: not a valid record
            System.arraycopy(record, 0, both, (int) (m.counter() % 2) * SLOT, SLOT);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(both));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private byte[] format(Mark m) {
        String body = MAGIC + "\n"
                + "origin " + origin + "\n"
                + "counter " + m.counter() + "\n"
                + "signed " + m.size() + " " + b64(m.root()) + "\n"
                + "pending-from " + (m.pending() ? m.fromSize() + " " + b64(m.fromRoot()) : "-") + "\n";
        String text = body + "sha256 " + HexFormat.of().formatHex(sha256(body)) + "\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > SLOT) {
            throw new SignerStateException("the origin " + origin + " is too long for the signer high-water mark");
        }
        byte[] slot = new byte[SLOT];
        Arrays.fill(slot, (byte) '\n');
        System.arraycopy(bytes, 0, slot, 0, bytes.length);
        return slot;
    }

    /** The record in a slot, or null if it is not a valid record of this origin. */
    private Mark parse(byte[] slot) {
        String text = new String(slot, StandardCharsets.UTF_8);
        int sum = text.indexOf("sha256 ");
        if (sum < 0) {
            return null;
        }
        String body = text.substring(0, sum);
        String[] tail = text.substring(sum).split("\n", 2);
        if (!tail[0].equals("sha256 " + HexFormat.of().formatHex(sha256(body)))) {
            return null; // torn or damaged slot
        }
        String[] lines = body.split("\n");
        if (lines.length != 5 || !lines[0].equals(MAGIC)) {
            return null;
        }
        String fileOrigin = lines[1].substring("origin ".length());
        if (!fileOrigin.equals(origin)) {
            throw new SignerStateException("the signer high-water mark " + file + " is for the log " + fileOrigin
                    + ", but this server's log is " + origin + ": log.keyFile and log.origin do not belong together");
        }
        try {
            long counter = Long.parseLong(lines[2].substring("counter ".length()));
            String[] signed = lines[3].substring("signed ".length()).split(" ");
            String[] from = lines[4].substring("pending-from ".length()).split(" ");
            boolean pending = from.length == 2;
            return new Mark(counter, Long.parseLong(signed[0]), Base64.getDecoder().decode(signed[1]),
                    pending ? Long.parseLong(from[0]) : 0, pending ? Base64.getDecoder().decode(from[1]) : null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private SignerStateException fork(String what) {
        return new SignerStateException("refusing to sign: " + what + ". Signing now would publish two"
                + " inconsistent checkpoints under one key (a fork). Restore the newest backup of the database, one"
                + " that holds the checkpoint in " + file + " or later; or, if the data is lost, start a new log"
                + " with a new origin and a new key, and record this log's last checkpoint in its genesis (see"
                + " docs/keys-and-notes.md).");
    }

    private static String b64(byte[] b) {
        return b == null ? "-" : Base64.getEncoder().encodeToString(b);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
