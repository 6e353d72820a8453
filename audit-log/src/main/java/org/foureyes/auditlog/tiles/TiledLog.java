package org.foureyes.auditlog.tiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import org.foureyes.auditlog.BadSignatureException;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.NoteFormatException;
import org.foureyes.auditlog.Rfc6962;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.VerifierKey;

/**
 * A log read from a C2SP tlog-tiles source and checked on the way in: the checkpoint must be
 * signed by the pinned log key, every tile must be authenticated up to its root
 * ({@link TileHashReader}), and every entry of a bundle must hash to its leaf in the
 * authenticated level-0 tile. What this class returns is what the checkpoint commits to.
 */
public final class TiledLog {
    /** Largest checkpoint accepted (a note with a few cosignatures is well under 1 KiB). */
    static final int MAX_CHECKPOINT_BYTES = 1 << 20;

    private final TileSource source;
    private final String note;
    private final Checkpoint checkpoint;
    private final TileHashReader hashes;

    private TiledLog(TileSource source, String note, Checkpoint checkpoint, TileHashReader hashes) {
        this.source = source;
        this.note = note;
        this.checkpoint = checkpoint;
        this.hashes = hashes;
    }

    /**
     * Reads and verifies {@code <source>/checkpoint} against {@code logKey} and the partial tiles
     * of its size against its root.
     */
    public static TiledLog open(TileSource source, VerifierKey logKey) throws IOException, MirrorException {
        byte[] raw = source.read("checkpoint");
        if (raw.length > MAX_CHECKPOINT_BYTES) {
            throw new MirrorException("the checkpoint from " + source + " is " + raw.length + " bytes, more than any"
                    + " checkpoint (" + MAX_CHECKPOINT_BYTES + ")");
        }
        String note = new String(raw, StandardCharsets.UTF_8);
        Checkpoint cp;
        try {
            cp = SignedCheckpoint.open(note, logKey);
        } catch (NoteFormatException | BadSignatureException e) {
            throw new MirrorException("the checkpoint from " + source + " is not signed by the pinned log key "
                    + logKey.name() + " (" + e.getMessage() + "); checkpoint as served:\n" + note, e);
        }
        return new TiledLog(source, note, cp, TileHashReader.open(source, cp.size(), cp.rootHash()));
    }

    /** The checkpoint note as served, signature and cosignature lines included. */
    public String checkpointNote() {
        return note;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public long size() {
        return checkpoint.size();
    }

    /** The authenticated tree, for proofs ({@code MerkleProofs.inclusion(i, size(), hashes())}). */
    public TileHashReader hashes() {
        return hashes;
    }

    /** Entries of bundle {@code index} (as wide as the checkpoint's tree has it), each checked against its leaf hash. */
    public List<byte[]> bundle(long index) throws IOException, MirrorException {
        TileId t = TileMath.tileOf(TileId.ENTRIES, index, size());
        byte[] raw = source.read(t.path());
        List<byte[]> entries;
        try {
            entries = EntryBundle.decode(raw, t.width());
        } catch (IllegalArgumentException e) {
            throw new MirrorException("entry bundle " + t + " from " + source + " does not hold the " + t.width()
                    + " entries the checkpoint of size " + size() + " commits to: " + e.getMessage(), e);
        }
        byte[] leaves = hashes.tile(0, index);
        for (int i = 0; i < entries.size(); i++) {
            byte[] got = Rfc6962.leafHash(entries.get(i));
            byte[] want = TileBuilder.hashAt(leaves, i);
            if (!MessageDigest.isEqual(got, want)) {
                throw new MirrorException("entry " + (t.firstNode() + i) + " in bundle " + t + " from " + source
                        + " has leaf hash " + TileHashReader.b64(got) + ", but the authenticated tile "
                        + TileMath.tileOf(0, index, size()) + " records " + TileHashReader.b64(want));
            }
        }
        return entries;
    }

    /** Entries {@code start <= seq < end} (at most the size), exact bytes, checked. */
    public List<byte[]> entries(long start, long end) throws IOException, MirrorException {
        List<byte[]> out = new ArrayList<>();
        long stop = Math.min(end, size());
        for (long seq = start; seq < stop; ) {
            long b = seq / TileId.FULL_WIDTH;
            List<byte[]> bundle = bundle(b);
            for (int i = (int) (seq % TileId.FULL_WIDTH); i < bundle.size() && seq < stop; i++, seq++) {
                out.add(bundle.get(i));
            }
        }
        return out;
    }

    /**
     * Every entry from {@code start}, one per line as in an export's {@code entries.ndjson}, read
     * one bundle at a time as the stream is consumed. A bundle that does not verify ends the
     * stream with an {@link IOException} whose cause is the {@link MirrorException}.
     */
    public InputStream ndjson(long start) {
        long first = start / TileId.FULL_WIDTH;
        long bundles = (size() + TileId.FULL_WIDTH - 1) / TileId.FULL_WIDTH;
        Enumeration<InputStream> parts = new Enumeration<>() {
            long next = first;

            @Override
            public boolean hasMoreElements() {
                return next < bundles;
            }

            @Override
            public InputStream nextElement() {
                if (next >= bundles) {
                    throw new NoSuchElementException();
                }
                long b = next++;
                return new LazyBundle(b, b == first ? (int) (start % TileId.FULL_WIDTH) : 0);
            }
        };
        return new SequenceInputStream(parts);
    }

    /** One bundle as NDJSON lines, fetched and verified on first read. */
    private final class LazyBundle extends InputStream {
        private final long index;
        private final int skip;
        private InputStream in;

        LazyBundle(long index, int skip) {
            this.index = index;
            this.skip = skip;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                List<byte[]> entries;
                try {
                    entries = bundle(index);
                } catch (MirrorException e) {
                    throw new IOException(e.getMessage(), e);
                }
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                for (int i = skip; i < entries.size(); i++) {
                    out.write(entries.get(i));
                    out.write('\n');
                }
                in = new ByteArrayInputStream(out.toByteArray());
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }
    }
}
