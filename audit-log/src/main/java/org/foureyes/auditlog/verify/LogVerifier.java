package org.foureyes.auditlog.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.EntryFormatException;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.MerkleProofs;
import org.foureyes.auditlog.NodeId;
import org.foureyes.auditlog.ProofException;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.Rfc6962;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.export.ExportFormat;
import org.foureyes.auditlog.export.ExportStart;
import org.foureyes.auditlog.verify.VerificationFailure.Kind;

/**
 * Verifies a log export (see docs/export-format.md) against a pinned log key, streaming, in
 * memory bounded by the longest entry: the entries are never held, only the Merkle tree's right
 * border ({@link CompactRange}, O(log n) hashes).
 *
 * <p>Checks, stopping at the first failure: the checkpoint is signed by the pinned key and its
 * origin is the key's name; every line is a canonical entry ({@link EntryScanner}); seq counts
 * from 0 without gap, duplicate or reordering; each prev is the previous entry's leaf hash (32
 * zero bytes for entry 0); time never decreases; entry 0 is the genesis naming this origin and
 * key, and no other entry is; the export holds exactly the checkpoint's size of entries and their
 * RFC 6962 root is the checkpoint's. With a saved checkpoint ({@link Builder#since}): it is
 * signed by the same key, no larger than the export's, the root of the first {@code saved.size}
 * entries (taken while streaming) equals its root, and an RFC 9162 consistency proof between the
 * two checkpoints, built from subtree hashes captured while streaming, verifies.
 *
 * <p>Immutable and thread-safe; each {@code verify} call uses its own state.
 */
public final class LogVerifier {

    /** Longest entry line accepted, in bytes (without the newline). */
    public static final int MAX_ENTRY_BYTES = 16 << 20;
    /** Largest checkpoint file accepted (the note parser's own limit). */
    public static final int MAX_CHECKPOINT_BYTES = 1 << 20;

    private static final int BLOCK_SIZE = 1 << 20;
    private static final byte[] SEQ_PREFIX = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);

    private final VerifierKey key;
    private final String savedCheckpoint;
    private final ProgressListener progress;
    private final long progressIntervalNanos;
    private final EntryListener listener;
    private final boolean parallel;

    private LogVerifier(Builder b) {
        this.key = b.key;
        this.savedCheckpoint = b.since;
        this.progress = b.progress;
        this.progressIntervalNanos = b.interval.toNanos();
        this.listener = b.listener;
        this.parallel = b.parallel;
    }

    /**
     * Receives every entry that passed the structural checks (format, seq, prev link, time,
     * genesis rules), in log order, from the verifying thread, while the export is streamed: a
     * further check runs in the same single pass (see {@link FullVerifier}).
     */
    @FunctionalInterface
    public interface EntryListener {
        /**
         * Checks one entry; {@code buf[off, off + len)} holds its exact bytes, valid only during
         * the call.
         *
         * @return null to go on, or the failure that ends verification
         */
        VerificationFailure entry(long seq, byte[] buf, int off, int len);
    }

    /** A verifier that trusts only {@code pinnedLogKey}. */
    public static Builder builder(VerifierKey pinnedLogKey) {
        return new Builder(pinnedLogKey);
    }

    /** Options of a {@link LogVerifier}. */
    public static final class Builder {
        private final VerifierKey key;
        private String since;
        private ProgressListener progress;
        private Duration interval = Duration.ofSeconds(2);
        private EntryListener listener;
        private boolean parallel = Runtime.getRuntime().availableProcessors() > 2;

        private Builder(VerifierKey key) {
            this.key = Objects.requireNonNull(key, "pinnedLogKey");
        }

        /** Also check that the export extends this earlier signed checkpoint note (e.g. saved by the auditor last time). */
        public Builder since(String savedCheckpointNote) {
            this.since = savedCheckpointNote;
            return this;
        }

        /** Report progress to {@code listener} every {@code interval} (default 2 s) and at the end. */
        public Builder progress(ProgressListener listener, Duration every) {
            this.progress = listener;
            this.interval = Objects.requireNonNull(every, "every");
            return this;
        }

        /** Passes every structurally valid entry to {@code entries} too (one pass over the export). */
        public Builder entries(EntryListener entries) {
            this.listener = entries;
            return this;
        }

        /**
         * Whether to compute the Merkle tree's interior nodes on a helper thread, overlapping
         * with reading and checking the entries (default: with more than two processors; on
         * two shared cores the second thread measured no gain). The result is the same either
         * way.
         */
        public Builder parallel(boolean parallel) {
            this.parallel = parallel;
            return this;
        }

        public LogVerifier build() {
            return new LogVerifier(this);
        }
    }

    /**
     * Verifies the export in {@code dir} ({@value ExportFormat#CHECKPOINT_FILE} and
     * {@value ExportFormat#ENTRIES_FILE}; a {@value ExportFormat#KEY_FILE} there is ignored).
     *
     * @throws ExportInputException if a file is missing or unreadable, the entries file is not
     *     entry lines at all, or the saved checkpoint is unusable: nothing could be verified
     */
    public VerificationResult verify(Path dir) throws ExportInputException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.exists(dir)) {
            throw new ExportInputException("export directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new ExportInputException(dir + " is not a directory (expected an export directory with "
                    + ExportFormat.CHECKPOINT_FILE + " and " + ExportFormat.ENTRIES_FILE + ")");
        }
        Path cpFile = dir.resolve(ExportFormat.CHECKPOINT_FILE);
        Path entriesFile = dir.resolve(ExportFormat.ENTRIES_FILE);
        byte[] noteBytes = readCheckpointBytes(cpFile, "export checkpoint");
        if (!Files.isRegularFile(entriesFile)) {
            throw new ExportInputException(Files.exists(entriesFile)
                    ? entriesFile + " is not a regular file"
                    : "export has no " + ExportFormat.ENTRIES_FILE + ": " + entriesFile + " does not exist");
        }
        String note;
        try {
            note = decodeUtf8(noteBytes);
        } catch (CharacterCodingException e) {
            // The file is there but damaged: evidence against the export, not an input error.
            return new VerificationResult.Failed(VerificationFailure.global(Kind.CHECKPOINT_SIGNATURE,
                    "a UTF-8 checkpoint note", "invalid UTF-8", "checkpoint " + cpFile
                            + " is not valid UTF-8, so it is not a checkpoint signed by " + keyName(key)), 0);
        }
        ExportStart start = readStart(dir);
        try (InputStream in = Files.newInputStream(entriesFile)) {
            return verify(in, note, start);
        } catch (ExportInputException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new ExportInputException("cannot read " + entriesFile + ": permission denied", e);
        } catch (IOException e) {
            throw new ExportInputException("cannot read " + entriesFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code dir} is a range export (it has {@value ExportFormat#START_FILE}: its entries
     * start above seq 0).
     */
    public static boolean isRangeExport(Path dir) {
        return Files.exists(dir.resolve(ExportFormat.START_FILE));
    }

    /** The start state of a range export in {@code dir}, or null for a whole-log export. */
    static ExportStart readStart(Path dir) throws ExportInputException {
        Path f = dir.resolve(ExportFormat.START_FILE);
        if (!Files.exists(f)) {
            return null;
        }
        byte[] bytes;
        try {
            if (Files.size(f) > MAX_CHECKPOINT_BYTES) {
                throw new ExportInputException(f + " is larger than " + MAX_CHECKPOINT_BYTES
                        + " bytes: not the start state of a range export");
            }
            bytes = Files.readAllBytes(f);
        } catch (ExportInputException e) {
            throw e;
        } catch (IOException e) {
            throw new ExportInputException("cannot read " + f + ": " + e.getMessage(), e);
        }
        try {
            return ExportStart.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new ExportInputException(f + " is not the start state of a range export: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a checkpoint note file (at most {@value #MAX_CHECKPOINT_BYTES} bytes, valid UTF-8),
     * for {@link #verify(Path)} and for callers loading a saved checkpoint.
     */
    public static String readCheckpointFile(Path file, String what) throws ExportInputException {
        byte[] bytes = readCheckpointBytes(file, what);
        try {
            return decodeUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw new ExportInputException(what + " " + file + " is not UTF-8 text: not a checkpoint", e);
        }
    }

    private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static byte[] readCheckpointBytes(Path file, String what) throws ExportInputException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ExportInputException(what + " " + file + " is a directory, not a checkpoint file");
            }
            if (Files.size(file) > MAX_CHECKPOINT_BYTES) {
                throw new ExportInputException(what + " " + file + " is larger than "
                        + MAX_CHECKPOINT_BYTES + " bytes: not a checkpoint");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ExportInputException(what + " " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new ExportInputException("cannot read " + what + " " + file + ": permission denied", e);
        } catch (ExportInputException e) {
            throw e;
        } catch (IOException e) {
            throw new ExportInputException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new ExportInputException(what + " " + file + " is empty");
        }
        return bytes;
    }

    /**
     * Verifies entries read from {@code entries} (the content of entries.ndjson; not closed)
     * against {@code checkpointNote} (the signed checkpoint, with any cosignature lines).
     *
     * @throws ExportInputException if the stream is not entry lines at all, or the saved checkpoint is unusable
     * @throws IOException if reading fails
     */
    public VerificationResult verify(InputStream entries, String checkpointNote) throws IOException {
        return verify(entries, checkpointNote, null);
    }

    /**
     * Verifies a range export: entries from seq {@code start.start()} on, continuing the tree from
     * {@code start}'s border ({@code start} null: from seq 0). The checkpoint's root authenticates
     * the border; the genesis checks do not apply, and {@link Builder#since} is refused (its
     * consistency proof needs subtrees from before the range).
     */
    public VerificationResult verify(InputStream entries, String checkpointNote, ExportStart start) throws IOException {
        Objects.requireNonNull(entries, "entries");
        if (start != null && savedCheckpoint != null) {
            throw new ExportInputException("--since needs a whole-log export; this is a range export from entry "
                    + start.start() + " (" + ExportFormat.START_FILE + ")");
        }
        Objects.requireNonNull(checkpointNote, "checkpointNote");
        Checkpoint cp;
        try {
            cp = SignedCheckpoint.open(checkpointNote, key);
        } catch (GeneralSecurityException e) {
            return new VerificationResult.Failed(VerificationFailure.global(Kind.CHECKPOINT_SIGNATURE,
                    keyName(key), null, "checkpoint does not verify with the pinned key " + keyName(key)
                            + ": " + e.getMessage()), 0);
        }
        Checkpoint saved = null;
        if (savedCheckpoint != null) {
            try {
                saved = SignedCheckpoint.open(savedCheckpoint, key);
            } catch (GeneralSecurityException e) {
                throw new ExportInputException("saved checkpoint does not verify with the pinned key "
                        + keyName(key) + ": " + e.getMessage(), e);
            }
            if (saved.size() > cp.size()) {
                return new VerificationResult.Failed(VerificationFailure.global(
                        Kind.INCONSISTENT_WITH_SAVED_CHECKPOINT, "size >= " + saved.size(), String.valueOf(cp.size()),
                        "the saved checkpoint has size " + saved.size() + " but the export's checkpoint only "
                                + cp.size() + ": both are signed by " + keyName(key)
                                + ", so either this export is older than the saved checkpoint or the log was"
                                + " truncated or forked"), 0);
            }
        }
        if (start != null && start.start() > cp.size()) {
            return new VerificationResult.Failed(VerificationFailure.global(Kind.TRUNCATED,
                    "start <= " + cp.size(), String.valueOf(start.start()), "the range export starts at entry "
                            + start.start() + " but its checkpoint covers only " + cp.size() + " entries"), 0);
        }
        Run run = new Run(cp, saved, entries, start);
        try {
            return run.run();
        } finally {
            run.tree.close();
        }
    }

    /** Whether this verifier hashes the tree's interior nodes on a helper thread. */
    public boolean parallel() {
        return parallel;
    }

    static String keyName(VerifierKey k) {
        return k.name() + "+" + k.keyIdHex();
    }

    static String b64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }

    /** The state of one verification. */
    private final class Run {
        private final Checkpoint cp;
        private final Checkpoint saved;
        private final long n;
        private final byte[] cpRoot;
        private final LineReader reader;
        private final EntryScanner scanner = new EntryScanner();
        private final MessageDigest sha256;
        // Written only by the tree consumer (maybe another thread); read after tree.sync().
        private final CompactRange range;
        private final long first; // seq of the first line: 0, or a range export's start
        private final TreeAppender tree;

        // The leaf hash of the last accepted entry (appended to the range one entry late, so that
        // the range before it is still at hand to attribute a broken last link), and its base64.
        private byte[] pendingLeaf = new byte[32];
        private byte[] spareLeaf = new byte[32];
        private final byte[] expectedPrev = new byte[EntryScanner.HASH_B64_LENGTH];
        private final byte[] lastTime = new byte[EntryScanner.TIME_LENGTH]; // for messages
        private long lastTimeKey;
        private long k; // the seq expected on the current line = entries accepted so far

        // --since: the prefix root, and the subtree hashes the consistency proof needs.
        private byte[] prefixRoot;
        private long[] captureEnds;
        private int capturePos;
        private Map<NodeId, byte[]> wanted;
        private BiConsumer<NodeId, byte[]> capture;

        private final long start = System.nanoTime();
        private long nextReport;

        Run(Checkpoint cp, Checkpoint saved, InputStream in, ExportStart startState) {
            this.first = startState == null ? 0 : startState.start();
            this.range = startState == null ? CompactRange.empty() : startState.range();
            this.k = first;
            this.cp = cp;
            this.saved = saved;
            this.n = cp.size();
            this.cpRoot = cp.rootHash();
            this.reader = new LineReader(in, BLOCK_SIZE, MAX_ENTRY_BYTES);
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
            EntryScanner.encodeHash(startState == null ? LogEntry.GENESIS_PREV : startState.prev(), expectedPrev);
            this.nextReport = start + progressIntervalNanos;
            if (saved != null) {
                planConsistency();
            }
            this.tree = new TreeAppender(this::appendLeaf, parallel);
        }

        /** Learns which complete subtrees the consistency proof needs, to keep them as they complete. */
        private void planConsistency() {
            long m = saved.size();
            if (m == 0) {
                prefixRoot = Rfc6962.emptyRoot();
            }
            if (m == 0 || m == n) {
                return;
            }
            List<NodeId> ids = new ArrayList<>();
            try {
                MerkleProofs.consistency(m, n, req -> {
                    ids.addAll(req);
                    List<byte[]> dummy = new ArrayList<>(req.size());
                    for (int i = 0; i < req.size(); i++) {
                        dummy.add(new byte[Rfc6962.HASH_SIZE]);
                    }
                    return dummy;
                });
            } catch (LogStoreException e) {
                throw new IllegalStateException(e);
            }
            wanted = new HashMap<>();
            captureEnds = new long[ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                wanted.put(ids.get(i), null);
                captureEnds[i] = ids.get(i).end();
            }
            Arrays.sort(captureEnds);
            capture = (id, hash) -> {
                if (wanted.containsKey(id)) {
                    wanted.put(id, hash);
                }
            };
        }

        VerificationResult run() throws IOException {
            while (reader.next()) {
                byte[] b = reader.buffer();
                int off = reader.offset();
                int len = reader.length();
                if (k == n) {
                    VerificationFailure f = finish();
                    if (f != null) {
                        return failed(f);
                    }
                    return failed(VerificationFailure.of(Kind.EXTRA_ENTRIES, n, String.valueOf(n),
                            "more", "the checkpoint covers " + n + " entries (seq 0 to " + (n - 1)
                                    + ") but the export has more: entry " + n + " is beyond the checkpoint"
                                    + " (at byte " + reader.lineStart() + " of " + ExportFormat.ENTRIES_FILE + ")"));
                }
                if (reader.tooLong()) {
                    return failed(VerificationFailure.of(Kind.MALFORMED_ENTRY, k, "at most " + MAX_ENTRY_BYTES
                            + " bytes", "more", "entry " + k + ": line is longer than the limit of "
                            + MAX_ENTRY_BYTES + " bytes"));
                }
                if (!scanner.scan(b, off, len)) {
                    boolean terminated = reader.terminated();
                    String shown = preview(b, off, len);
                    String error = scanner.error();
                    int errorAt = scanner.errorAt();
                    if (k == first && !startsWithSeq(b, off, len)
                            && (!reader.next() || !startsWithSeq(reader.buffer(), reader.offset(), reader.length()))) {
                        // Not one damaged entry: the file is not entry lines at all.
                        throw new ExportInputException(ExportFormat.ENTRIES_FILE
                                + " is not a log export: its lines do not start with {\"seq\": (line 1: "
                                + shown + ")");
                    }
                    if (!terminated) {
                        return failed(VerificationFailure.of(Kind.TRUNCATED, k, String.valueOf(n) + " entries",
                                k + " complete entries", "export ends inside entry " + k
                                        + " (its line is cut off, no final newline) but the checkpoint covers "
                                        + n + " entries (first missing seq " + k + ")"));
                    }
                    return failed(VerificationFailure.of(Kind.MALFORMED_ENTRY, k, "a canonical entry",
                            shown, "entry " + k + " (line " + (k + 1) + ", byte " + errorAt + " of the line): "
                                    + error));
                }
                long seq = scanner.seq();
                if (seq != k) {
                    return failed(seqMismatch(seq));
                }
                int prevOff = scanner.prevOff();
                if (!Arrays.equals(b, prevOff, prevOff + EntryScanner.HASH_B64_LENGTH,
                        expectedPrev, 0, EntryScanner.HASH_B64_LENGTH)) {
                    if (!EntryScanner.isCanonicalHash(b, prevOff)) {
                        return failed(VerificationFailure.of(Kind.MALFORMED_ENTRY, k, "canonical base64 of 32 bytes",
                                new String(b, prevOff, EntryScanner.HASH_B64_LENGTH, StandardCharsets.ISO_8859_1),
                                "entry " + k + ": prev is not the canonical base64 of a 32-byte hash"));
                    }
                    return failed(prevMismatch(b, off, len, prevOff));
                }
                int timeOff = scanner.timeOff();
                long timeKey = scanner.timeKey();
                if (k > first && timeKey < lastTimeKey) {
                    String t = new String(b, timeOff, EntryScanner.TIME_LENGTH, StandardCharsets.US_ASCII);
                    String prevT = new String(lastTime, StandardCharsets.US_ASCII);
                    return failed(VerificationFailure.of(Kind.TIME_DECREASES, k, "at least " + prevT, t,
                            "entry " + k + ": time " + t + " is before entry " + (k - 1) + "'s time " + prevT));
                }
                if (k == 0) {
                    VerificationFailure g = checkGenesis(b, off, len);
                    if (g != null) {
                        return failed(g);
                    }
                } else if (scanner.type() == EntryType.LOG_GENESIS) {
                    return failed(VerificationFailure.of(Kind.GENESIS, k, "not log.genesis", "log.genesis",
                            "entry " + k + " is a log.genesis entry; only entry 0 may be"));
                }
                if (!reader.terminated()) {
                    return failed(VerificationFailure.of(Kind.MALFORMED_ENTRY, k, "a line ending in \\n",
                            "no final newline", "entry " + k + ": the last line of " + ExportFormat.ENTRIES_FILE
                                    + " is not terminated by \\n"));
                }
                if (listener != null) {
                    VerificationFailure lf = listener.entry(k, b, off, len);
                    if (lf != null) {
                        return failed(lf);
                    }
                }
                // Accepted: commit the previous entry's leaf, hash this one (a range's border holds
                // the leaf before its first entry already).
                if (k > first) {
                    tree.add(pendingLeaf);
                }
                byte[] t = spareLeaf;
                spareLeaf = pendingLeaf;
                pendingLeaf = t;
                leafHash(b, off, len, pendingLeaf);
                EntryScanner.encodeHash(pendingLeaf, expectedPrev);
                if (timeKey != lastTimeKey) {
                    System.arraycopy(b, timeOff, lastTime, 0, EntryScanner.TIME_LENGTH);
                    lastTimeKey = timeKey;
                }
                k++;
                if (progress != null && (k & 0x3fff) == 0) {
                    long now = System.nanoTime();
                    if (now - nextReport >= 0) {
                        progress.progress(k, reader.position(), now - start, false);
                        nextReport = now + progressIntervalNanos;
                    }
                }
            }
            if (k < n) {
                return failed(VerificationFailure.of(Kind.TRUNCATED, k, n + " entries", k + " entries",
                        (k == first ? "export has no entries" : "export ends after entry " + (k - 1))
                                + " but the checkpoint covers " + n + " entries (first missing seq " + k + ")"));
            }
            VerificationFailure f = finish();
            if (f != null) {
                return failed(f);
            }
            reportDone();
            Optional<VerificationResult.Consistency> since = Optional.empty();
            if (saved != null) {
                since = Optional.of(new VerificationResult.Consistency(saved, consistencyProof()));
            }
            return new VerificationResult.Verified(n - first, cp, key, since, first);
        }

        /** Appends the last pending leaf, compares the root and the saved checkpoint; null if all hold. */
        private VerificationFailure finish() {
            if (k > first) {
                tree.add(pendingLeaf);
            }
            tree.sync();
            byte[] root = range.root();
            if (!MessageDigest.isEqual(root, cpRoot)) {
                return VerificationFailure.of(Kind.ROOT_MISMATCH, n - 1, b64(cpRoot), b64(root),
                        "root mismatch: the checkpoint (" + cp.origin() + " size " + n + ") has root " + b64(cpRoot)
                                + " but the " + n + " entries give " + b64(root) + (first == 0 ? "" : " (entries "
                                + first + " to " + (n - 1) + " of this range export on the border of the first "
                                + first + " from " + ExportFormat.START_FILE + ": if every entry is intact, that"
                                + " border was altered)") + "; every prev link holds, so"
                                + " the chain is intact and entry " + (n - 1) + " (the last, which no prev link"
                                + " covers) was altered, or the entries were rewritten with a recomputed chain"
                                + " through entry " + (n - 1) + ", or the checkpoint was signed over other entries");
            }
            if (saved != null) {
                if (!MessageDigest.isEqual(prefixRoot, saved.rootHash())) {
                    return VerificationFailure.global(Kind.INCONSISTENT_WITH_SAVED_CHECKPOINT,
                            b64(saved.rootHash()), b64(prefixRoot), "the saved checkpoint (size " + saved.size()
                                    + ") has root " + b64(saved.rootHash()) + " but the first " + saved.size()
                                    + " entries of this export give " + b64(prefixRoot) + ": the log key "
                                    + keyName(key) + " signed two different histories (a fork), or history"
                                    + " was rewritten");
                }
                try {
                    ProofVerifier.verifyConsistency(saved.size(), n, saved.rootHash(), cpRoot, consistencyProof());
                } catch (ProofException e) {
                    return VerificationFailure.global(Kind.INCONSISTENT_WITH_SAVED_CHECKPOINT, null, null,
                            "consistency proof from size " + saved.size() + " to " + n + " does not verify: "
                                    + e.getMessage());
                }
            }
            return null;
        }

        private List<byte[]> consistencyProof() {
            long m = saved.size();
            if (m == 0 || m == n) {
                return List.of();
            }
            try {
                return MerkleProofs.consistency(m, n, ids -> {
                    List<byte[]> out = new ArrayList<>(ids.size());
                    for (NodeId id : ids) {
                        byte[] h = wanted.get(id);
                        if (h == null) {
                            throw new LogStoreException("subtree " + id + " was not captured");
                        }
                        out.add(h);
                    }
                    return out;
                });
            } catch (LogStoreException e) {
                throw new IllegalStateException("consistency proof: " + e.getMessage(), e);
            }
        }

        /** The tree consumer: appends one leaf, keeping what --since needs. */
        private void appendLeaf(byte[] leaf) {
            long index = range.size();
            if (captureEnds != null && capturePos < captureEnds.length && captureEnds[capturePos] == index + 1) {
                range.append(leaf, capture);
                while (capturePos < captureEnds.length && captureEnds[capturePos] == index + 1) {
                    capturePos++;
                }
            } else {
                range.append(leaf, null);
            }
            if (saved != null && range.size() == saved.size()) {
                prefixRoot = range.root();
            }
        }

        private void leafHash(byte[] b, int off, int len, byte[] out) {
            sha256.update((byte) 0);
            sha256.update(b, off, len);
            try {
                sha256.digest(out, 0, Rfc6962.HASH_SIZE);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
        }

        private VerificationFailure seqMismatch(long seq) {
            String what;
            if (seq < k) {
                what = "entry " + seq + " again or out of order (a duplicated or reordered entry)";
            } else if (seq == k + 1) {
                what = "entry " + seq + ": entry " + k + " is missing, moved or its seq was edited";
            } else {
                what = "entry " + seq + ": entries " + k + " to " + (seq - 1)
                        + " are missing, moved or the seq was edited";
            }
            return VerificationFailure.of(Kind.SEQ_MISMATCH, k, String.valueOf(k), String.valueOf(seq),
                    "entry " + k + ": line " + (k + 1) + " should hold seq " + k + " but has seq " + seq
                            + ", " + what);
        }

        /**
         * Entry k's prev is not leaf(k-1). Either k's bytes (its prev) or k-1's bytes changed. If
         * entry k+1's prev is leaf(k), entry k is consistent with what follows, so k-1 was
         * altered; for the last entry, the checkpoint root decides the same way.
         */
        private VerificationFailure prevMismatch(byte[] b, int off, int len, int prevOff) throws IOException {
            String claimed = new String(b, prevOff, EntryScanner.HASH_B64_LENGTH, StandardCharsets.ISO_8859_1);
            String actual = new String(expectedPrev, StandardCharsets.ISO_8859_1);
            if (k == 0) {
                return VerificationFailure.of(Kind.PREV_MISMATCH, 0, actual, claimed,
                        "entry 0: prev is " + claimed + " but entry 0's prev must be 32 zero bytes (" + actual + ")");
            }
            if (k == first) {
                return VerificationFailure.of(Kind.PREV_MISMATCH, k, actual, claimed,
                        "entry " + k + " (the first of this range export): prev is " + claimed + " but "
                                + ExportFormat.START_FILE + " gives " + actual + " as the leaf hash of entry "
                                + (k - 1) + "; the start state or entry " + k + " was altered");
            }
            byte[] claimedHash = EntryScanner.decodeHash(b, prevOff);
            byte[] leafK = new byte[Rfc6962.HASH_SIZE];
            leafHash(b, off, len, leafK);
            Boolean kConsistent = null; // is entry k consistent with its successor (or the checkpoint)?
            if (k == n - 1) {
                tree.sync();
                CompactRange alt = CompactRange.fromBorder(range.size(), range.border());
                alt.append(claimedHash, null);
                alt.append(leafK, null);
                kConsistent = MessageDigest.isEqual(alt.root(), cpRoot);
            } else if (reader.next()) {
                byte[] nb = reader.buffer();
                if (scanner.scanPrefix(nb, reader.offset(), reader.offset() + reader.length()) >= 0
                        && scanner.seq() == k + 1) {
                    byte[] want = new byte[EntryScanner.HASH_B64_LENGTH];
                    EntryScanner.encodeHash(leafK, want);
                    kConsistent = Arrays.equals(nb, scanner.prevOff(), scanner.prevOff() + want.length,
                            want, 0, want.length);
                }
            }
            if (Boolean.TRUE.equals(kConsistent)) {
                String by = k == n - 1 ? "the checkpoint's root, computed with entry " + k + "'s prev in place"
                        + " of entry " + (k - 1) + "'s leaf hash" : "entry " + (k + 1) + "'s prev";
                return VerificationFailure.of(Kind.PREV_MISMATCH, k - 1, claimed, actual,
                        "entry " + (k - 1) + ": its leaf hash is " + actual + " but entry " + k + "'s prev is "
                                + claimed + "; entry " + k + " agrees with " + by + ", so entry " + (k - 1)
                                + " was altered");
            }
            String why = kConsistent == null
                    ? " (nothing after entry " + k + " to tell whether entry " + k + " or " + (k - 1) + " was altered)"
                    : " (and entry " + k + " does not agree with " + (k == n - 1 ? "the checkpoint" : "entry "
                            + (k + 1) + "'s prev") + " either, so entry " + k + " was altered)";
            return VerificationFailure.of(Kind.PREV_MISMATCH, k, actual, claimed,
                    "entry " + k + ": prev is " + claimed + " but the leaf hash of entry " + (k - 1) + " is "
                            + actual + why);
        }

        private VerificationFailure checkGenesis(byte[] b, int off, int len) {
            if (scanner.type() != EntryType.LOG_GENESIS) {
                return VerificationFailure.of(Kind.GENESIS, 0, "log.genesis", scanner.type().wireName(),
                        "entry 0 has type " + scanner.type() + " but a log starts with log.genesis");
            }
            LogEntry e;
            try {
                e = LogEntry.parse(Arrays.copyOfRange(b, off, off + len));
            } catch (EntryFormatException ex) {
                return VerificationFailure.of(Kind.MALFORMED_ENTRY, 0, "a canonical entry", null,
                        "entry 0: " + ex.getMessage());
            }
            String origin = e.facts().path("origin").isTextual() ? e.facts().get("origin").textValue() : null;
            String logKey = e.facts().path("log_key").isTextual() ? e.facts().get("log_key").textValue() : null;
            if (!cp.origin().equals(origin)) {
                return VerificationFailure.of(Kind.GENESIS, 0, cp.origin(), origin,
                        "entry 0 (genesis): facts.origin is " + (origin == null ? "missing" : "\"" + origin + "\"")
                                + " but the checkpoint's origin is \"" + cp.origin() + "\"");
            }
            if (!key.toString().equals(logKey)) {
                return VerificationFailure.of(Kind.GENESIS, 0, key.toString(), logKey,
                        "entry 0 (genesis): facts.log_key is " + (logKey == null ? "missing" : logKey)
                                + " but the pinned log key is " + key);
            }
            return null;
        }

        private VerificationResult failed(VerificationFailure f) {
            return new VerificationResult.Failed(f, k - first);
        }

        private void reportDone() {
            if (progress != null) {
                progress.progress(k, reader.position(), System.nanoTime() - start, true);
            }
        }
    }

    private static boolean startsWithSeq(byte[] b, int off, int len) {
        return len >= SEQ_PREFIX.length && Arrays.equals(b, off, off + SEQ_PREFIX.length, SEQ_PREFIX, 0, SEQ_PREFIX.length);
    }

    /** The start of a line for a message: printable ASCII, the rest escaped, at most 60 bytes. */
    static String preview(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder("\"");
        int n = Math.min(len, 60);
        for (int i = 0; i < n; i++) {
            int c = b[off + i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.append(len > n ? "...\"" : "\"").toString();
    }
}
