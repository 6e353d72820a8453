package org.foureyes.auditlog.export;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Objects;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.Rfc6962;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.VerifierKey;

/**
 * Writes a log export (see {@link ExportFormat} and docs/export-format.md), streaming: entries go
 * to {@value ExportFormat#ENTRIES_FILE} as they come, and only the tree's right border is kept
 * (to check at the end that the checkpoint covers exactly what was written), so memory does not
 * grow with the log.
 *
 * <p>Use {@link #export(Path, Iterator, String, VerifierKey)} or
 * {@link #export(Path, EntrySource, String, VerifierKey)}, or create one, {@link #append} each
 * entry in seq order from 0, then {@link #finish}. The checkpoint file is written last (through a
 * temporary file and a rename), so an export with a {@value ExportFormat#CHECKPOINT_FILE} is
 * complete. Not thread-safe.
 */
public final class LogExporter implements Closeable {

    /** Receives the entries of an {@link EntrySource}. */
    @FunctionalInterface
    public interface EntrySink {
        void accept(byte[] entry) throws IOException;
    }

    /** A source that pushes every entry, in seq order from 0, into the sink (e.g. a database cursor). */
    @FunctionalInterface
    public interface EntrySource {
        void writeTo(EntrySink sink) throws IOException;
    }

    private final Path dir;
    private final FileChannel channel;
    private final OutputStream out;
    private final CompactRange range;
    private final ExportStart start;
    private final MessageDigest sha256 = newSha256();
    private final byte[] leaf = new byte[Rfc6962.HASH_SIZE];
    private long count;
    private boolean finished;
    private boolean closed;

    private LogExporter(Path dir, FileChannel channel, ExportStart start) {
        this.dir = dir;
        this.channel = channel;
        this.start = start;
        this.range = start == null ? CompactRange.empty() : start.range();
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
    }

    /**
     * Starts an export into {@code dir}, creating it if needed.
     *
     * @throws FileAlreadyExistsException if {@code dir} already holds an export file
     */
    public static LogExporter create(Path dir) throws IOException {
        return create(dir, null);
    }

    /**
     * Starts a range export into {@code dir}: the entries appended are seq {@code start.start()}
     * onwards, and {@value ExportFormat#START_FILE} records the tree's border before them
     * ({@code start} null: a whole-log export from seq 0, as {@link #create(Path)}).
     *
     * @throws FileAlreadyExistsException if {@code dir} already holds an export file
     */
    public static LogExporter create(Path dir, ExportStart start) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
        for (String f : new String[] {ExportFormat.CHECKPOINT_FILE, ExportFormat.KEY_FILE, ExportFormat.START_FILE}) {
            if (Files.exists(dir.resolve(f))) {
                throw new FileAlreadyExistsException(dir.resolve(f).toString(), null, "export directory is not empty");
            }
        }
        FileChannel ch = FileChannel.open(dir.resolve(ExportFormat.ENTRIES_FILE),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new LogExporter(dir, ch, start);
    }

    /** Exports the entries of {@code entries} (exact stored bytes, seq order from 0) with their checkpoint. */
    public static long export(Path dir, Iterator<byte[]> entries, String signedCheckpoint, VerifierKey logKey)
            throws IOException {
        return export(dir, sink -> {
            while (entries.hasNext()) {
                sink.accept(entries.next());
            }
        }, signedCheckpoint, logKey);
    }

    /** Exports what {@code source} pushes, with its checkpoint; returns the number of entries. */
    public static long export(Path dir, EntrySource source, String signedCheckpoint, VerifierKey logKey)
            throws IOException {
        try (LogExporter x = create(dir)) {
            source.writeTo(x::append);
            x.finish(signedCheckpoint, logKey);
            return x.count();
        }
    }

    /**
     * Writes one entry and its newline.
     *
     * @throws IllegalArgumentException if the entry is empty or holds a newline
     */
    public void append(byte[] entry) throws IOException {
        append(entry, 0, entry.length);
    }

    /** Writes {@code entry[off, off+len)} and a newline. */
    public void append(byte[] entry, int off, int len) throws IOException {
        if (finished || closed) {
            throw new IllegalStateException("export already finished");
        }
        Objects.checkFromIndexSize(off, len, entry.length);
        if (len == 0) {
            throw new IllegalArgumentException("entry " + (firstSeq() + count) + " is empty");
        }
        for (int i = off; i < off + len; i++) {
            if (entry[i] == '\n') {
                throw new IllegalArgumentException("entry " + (firstSeq() + count) + " holds a newline at byte " + (i - off));
            }
        }
        out.write(entry, off, len);
        out.write('\n');
        sha256.update((byte) 0);
        sha256.update(entry, off, len);
        try {
            sha256.digest(leaf, 0, leaf.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        range.append(leaf, null);
        count++;
    }

    /** The seq of the first entry: 0, or the start of a range export. */
    public long firstSeq() {
        return start == null ? 0 : start.start();
    }

    /** Entries written so far. */
    public long count() {
        return count;
    }

    /**
     * Completes the export: checks that {@code signedCheckpoint} is signed by {@code logKey} and
     * covers exactly the entries written (size and root), flushes and syncs the entries, then
     * writes {@value ExportFormat#CHECKPOINT_FILE} and {@value ExportFormat#KEY_FILE}.
     *
     * @throws IllegalArgumentException if the checkpoint does not verify or does not cover exactly these entries
     */
    public void finish(String signedCheckpoint, VerifierKey logKey) throws IOException {
        Objects.requireNonNull(signedCheckpoint, "signedCheckpoint");
        Objects.requireNonNull(logKey, "logKey");
        if (finished) {
            throw new IllegalStateException("export already finished");
        }
        Checkpoint cp;
        try {
            cp = SignedCheckpoint.open(signedCheckpoint, logKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("checkpoint does not verify with " + logKey.name() + "+"
                    + logKey.keyIdHex() + ": " + e.getMessage(), e);
        }
        long first = firstSeq();
        if (cp.size() != first + count) {
            throw new IllegalArgumentException("checkpoint covers " + cp.size() + " entries but " + count
                    + " were exported" + (first == 0 ? "" : " from seq " + first));
        }
        if (!MessageDigest.isEqual(cp.rootHash(), range.root())) {
            throw new IllegalArgumentException("checkpoint root does not match the " + count + " exported entries"
                    + (first == 0 ? "" : " and the border of the first " + first));
        }
        out.flush();
        channel.force(true);
        if (start != null) {
            writeAtomically(ExportFormat.START_FILE, start.toJson());
        }
        writeAtomically(ExportFormat.KEY_FILE, logKey + "\n");
        writeAtomically(ExportFormat.CHECKPOINT_FILE, signedCheckpoint);
        finished = true;
    }

    private void writeAtomically(String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Closes the entries file; an unfinished export has no checkpoint file, so verifiers refuse it. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.flush();
        } finally {
            channel.close();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
