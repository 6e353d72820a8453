package org.foureyes.auditlog.tiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.HashReader;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.NoteFormatException;

/**
 * Writes a log as a directory of C2SP tlog-tiles resources, laid out as their URL paths, so that
 * any static file server serves it. Incremental: only the tiles and bundles that are new since the
 * checkpoint already in the directory are written (full tiles completed since, and the partial
 * tiles of the new size), each atomically, and the checkpoint last, so that a reader never sees a
 * checkpoint whose tiles are not all there. Earlier partial tiles are left (they stay correct).
 */
public final class TileWriter {
    private TileWriter() {
    }

    /** Reads entries {@code start <= seq < end}, exact bytes, in order. */
    @FunctionalInterface
    public interface EntryReader {
        List<byte[]> entries(long start, long end) throws LogStoreException;
    }

    /** What one run wrote. */
    public record Result(long fromSize, long size, int hashTiles, int bundles) {
    }

    /**
     * Brings {@code dir} to the signed checkpoint {@code note} (of {@code size}, origin {@code origin}).
     *
     * @throws IOException if the directory holds a checkpoint of another origin or a larger size,
     *     or cannot be written
     */
    public static Result write(Path dir, String note, Checkpoint checkpoint, HashReader hashes, EntryReader entries)
            throws IOException, LogStoreException {
        long from = existingSize(dir, checkpoint);
        long size = checkpoint.size();
        int tiles = 0;
        for (TileId t : TileMath.newHashTiles(from, size)) {
            writeAtomically(dir.resolve(t.path()), TileBuilder.hashTile(t, hashes));
            tiles++;
        }
        int bundles = 0;
        for (TileId t : TileMath.newBundles(from, size)) {
            List<byte[]> es = entries.entries(t.firstNode(), t.firstNode() + t.width());
            if (es.size() != t.width()) {
                throw new LogStoreException("the store returned " + es.size() + " entries for " + t + ", "
                        + t.width() + " expected");
            }
            writeAtomically(dir.resolve(t.path()), EntryBundle.encode(es));
            bundles++;
        }
        writeAtomically(dir.resolve("checkpoint"), note.getBytes(StandardCharsets.UTF_8));
        return new Result(from, size, tiles, bundles);
    }

    /** The size of the checkpoint already in {@code dir} (0 if none), which must be of the same log and not larger. */
    static long existingSize(Path dir, Checkpoint next) throws IOException {
        String text;
        try {
            text = Files.readString(dir.resolve("checkpoint"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return 0;
        }
        int body = text.indexOf("\n\n");
        Checkpoint old;
        try {
            old = Checkpoint.parse(body < 0 ? text : text.substring(0, body + 1));
        } catch (NoteFormatException e) {
            throw new IOException(dir.resolve("checkpoint") + " is not a checkpoint: " + e.getMessage(), e);
        }
        if (!old.origin().equals(next.origin())) {
            throw new IOException(dir + " holds the log " + old.origin() + ", not " + next.origin()
                    + "; write each log to a directory of its own");
        }
        if (old.size() > next.size()) {
            throw new IOException(dir + " already holds a checkpoint of size " + old.size() + ", larger than "
                    + next.size() + "; refusing to go back");
        }
        return old.size();
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
