package org.foureyes.server.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.Rfc6962;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.export.ExportFormat;
import org.foureyes.auditlog.export.ExportStart;
import org.foureyes.auditlog.export.LogExporter;
import org.foureyes.server.db.JdbiLogStore;
import org.foureyes.server.db.StoredCheckpoint;
import org.foureyes.server.db.StoredEntry;

/**
 * Exports the stored log (docs/export-format.md): entries {@code [start, end)} with the checkpoint
 * signed for exactly {@code end} and, for {@code start > 0}, the border of the tree before
 * {@code start}. Streams the entries from the database in pages of {@value #PAGE}, so memory does
 * not grow with the log. Either into a directory ({@link LogExporter}, for {@code export-db}) or as
 * an uncompressed POSIX tar stream of the same files ({@code GET /v1/log/export}).
 */
public final class LogExport {

    /** Entries read from the database per query. */
    public static final int PAGE = 1000;

    /** What one export covers. */
    public record Plan(long start, StoredCheckpoint checkpoint, ExportStart startState) {
        public long end() {
            return checkpoint.size();
        }
    }

    /** Thrown for a range this log cannot export; the message says what to ask instead. */
    public static final class BadRangeException extends Exception {
        private static final long serialVersionUID = 1L;

        public BadRangeException(String message) {
            super(message);
        }
    }

    private final JdbiLogStore store;

    public LogExport(JdbiLogStore store) {
        this.store = store;
    }

    /**
     * Plans an export of {@code [start, end)}; {@code start} null means 0, {@code end} null the
     * latest checkpoint's size. {@code end} must be the size of a signed checkpoint (one is signed
     * per committed batch).
     */
    public Plan plan(Long start, Long end) throws BadRangeException {
        StoredCheckpoint latest = store.latestCheckpoint()
                .orElseThrow(() -> new BadRangeException("the log has no signed checkpoint yet"));
        StoredCheckpoint cp = latest;
        if (end != null && end != latest.size()) {
            if (end > latest.size()) {
                throw new BadRangeException("end " + end + " is beyond the log, whose latest checkpoint has size "
                        + latest.size() + "; ask for end <= " + latest.size() + " or leave end out");
            }
            cp = store.checkpointAt(end).orElseThrow(() -> new BadRangeException("no checkpoint was signed for"
                    + " size " + end + " (one is signed per committed batch, not per entry); leave end out to"
                    + " export up to the latest checkpoint (size " + latest.size() + "), or use the size of"
                    + " a checkpoint you hold"));
        }
        long s = start == null ? 0 : start;
        if (s < 0 || s > cp.size()) {
            throw new BadRangeException("start " + s + " is not in [0, " + cp.size() + "]: an export covers"
                    + " start <= seq < end, end being the checkpoint's size " + cp.size());
        }
        return new Plan(s, cp, s == 0 ? null : startState(s));
    }

    /** The border of the tree of the first {@code s} entries and the leaf hash of entry s - 1. */
    private ExportStart startState(long s) {
        try {
            List<byte[]> border = CompactRange.load(s, store).border();
            byte[] prev = store.entries(s - 1, s).get(0).leafHash();
            return new ExportStart(s, prev, border);
        } catch (LogStoreException e) {
            throw new IllegalStateException("cannot read the tree's border at size " + s + ": " + e.getMessage(), e);
        }
    }

    /** Calls {@code sink} for every entry of the plan, in seq order, a page at a time. */
    public void forEachEntry(Plan plan, LogExporter.EntrySink sink) throws IOException {
        long next = plan.start();
        while (next < plan.end()) {
            List<StoredEntry> page = store.entries(next, Math.min(plan.end(), next + PAGE));
            if (page.isEmpty()) {
                throw new IOException("entry " + next + " is missing from the database");
            }
            for (StoredEntry e : page) {
                if (e.seq() != next) {
                    throw new IOException("expected entry " + next + " but the database returned " + e.seq());
                }
                sink.accept(e.entry());
                next++;
            }
        }
    }

    /** Writes the export into {@code dir} (created if needed, refused if it holds an export); returns the entries written. */
    public long writeDirectory(Plan plan, VerifierKey logKey, Path dir) throws IOException {
        try (LogExporter x = LogExporter.create(dir, plan.startState())) {
            forEachEntry(plan, x::append);
            x.finish(plan.checkpoint().noteWithCosignatures(), logKey);
            return x.count();
        }
    }

    /** Total bytes of {@value ExportFormat#ENTRIES_FILE}: the entries and one newline each. */
    public long entriesFileSize(Plan plan) {
        if (plan.start() == plan.end()) {
            return 0;
        }
        long bytes = store.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COALESCE(SUM(LENGTH(entry)), 0) FROM log_entries WHERE seq >= :s AND seq < :e")
                .bind("s", plan.start()).bind("e", plan.end()).mapTo(Long.class).one());
        return bytes + (plan.end() - plan.start());
    }

    /**
     * Writes the export as a tar stream (POSIX ustar, no compression), files in this order:
     * {@value ExportFormat#START_FILE} (range exports only), {@value ExportFormat#KEY_FILE},
     * {@value ExportFormat#ENTRIES_FILE}, {@value ExportFormat#CHECKPOINT_FILE}. The checkpoint comes
     * last and only if the streamed entries give its root, so a cut or inconsistent stream unpacks
     * to an incomplete export that verifiers refuse.
     */
    public void writeTar(Plan plan, VerifierKey logKey, OutputStream out, long mtimeSeconds) throws IOException {
        Tar tar = new Tar(out, mtimeSeconds);
        if (plan.startState() != null) {
            tar.file(ExportFormat.START_FILE, plan.startState().toJson().getBytes(StandardCharsets.UTF_8));
        }
        tar.file(ExportFormat.KEY_FILE, (logKey + "\n").getBytes(StandardCharsets.UTF_8));
        long size = entriesFileSize(plan);
        tar.begin(ExportFormat.ENTRIES_FILE, size);
        CompactRange range = plan.startState() == null ? CompactRange.empty() : plan.startState().range();
        long[] written = {0};
        forEachEntry(plan, e -> {
            tar.write(e, 0, e.length);
            tar.write(NEWLINE, 0, 1);
            written[0] += e.length + 1L;
            range.append(Rfc6962.leafHash(e), null);
        });
        if (written[0] != size) {
            throw new IOException("the entries changed size while exporting (" + written[0] + " != " + size + ")");
        }
        tar.end();
        if (!MessageDigest.isEqual(range.root(), plan.checkpoint().rootHash())) {
            throw new IOException("the exported entries do not give the root of the checkpoint of size "
                    + plan.end() + "; the export is left without its checkpoint");
        }
        tar.file(ExportFormat.CHECKPOINT_FILE, plan.checkpoint().noteWithCosignatures().getBytes(StandardCharsets.UTF_8));
        tar.finish();
        out.flush();
    }

    private static final byte[] NEWLINE = {'\n'};

    /** A minimal POSIX ustar writer: regular files of mode 0644 in one directory level. */
    static final class Tar {
        private final OutputStream out;
        private final long mtime;
        private long remaining;
        private long fileSize;

        Tar(OutputStream out, long mtime) {
            this.out = out;
            this.mtime = mtime;
        }

        void file(String name, byte[] content) throws IOException {
            begin(name, content.length);
            write(content, 0, content.length);
            end();
        }

        void begin(String name, long size) throws IOException {
            byte[] h = new byte[512];
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(n, 0, h, 0, n.length);
            octal(h, 100, 8, 0644);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            if (size < 077777777777L) {
                octal(h, 124, 12, size);
            } else { // GNU base-256 for files of 8 GiB and more
                h[124] = (byte) 0x80;
                for (int i = 0; i < 8; i++) {
                    h[135 - i] = (byte) (size >>> (8 * i));
                }
            }
            octal(h, 136, 12, mtime);
            h[156] = '0';
            System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            octal(h, 148, 7, sum);
            h[155] = ' ';
            out.write(h);
            remaining = size;
            fileSize = size;
        }

        void write(byte[] b, int off, int len) throws IOException {
            if (len > remaining) {
                throw new IOException("more bytes than the tar header announced");
            }
            out.write(b, off, len);
            remaining -= len;
        }

        void end() throws IOException {
            if (remaining != 0) {
                throw new IOException(remaining + " bytes fewer than the tar header announced");
            }
            int pad = (int) ((512 - fileSize % 512) % 512);
            out.write(new byte[pad]);
        }

        void finish() throws IOException {
            out.write(new byte[1024]);
        }

        /** {@code width - 1} octal digits and a NUL. */
        private static void octal(byte[] h, int off, int width, long v) {
            String s = Long.toOctalString(v);
            int digits = width - 1;
            if (s.length() > digits) {
                throw new IllegalArgumentException("tar field overflow");
            }
            s = "0".repeat(digits - s.length()) + s;
            System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, digits);
            h[off + digits] = 0;
        }
    }
}
