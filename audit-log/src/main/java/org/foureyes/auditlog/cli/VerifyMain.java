package org.foureyes.auditlog.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.verify.ExportInputException;
import org.foureyes.auditlog.verify.LogVerifier;
import org.foureyes.auditlog.verify.ProgressListener;
import org.foureyes.auditlog.verify.VerificationFailure;
import org.foureyes.auditlog.verify.VerificationResult;

/**
 * {@code foureyes-verify}: the auditor's offline verifier, a thin command line over the library.
 * The first word selects the subcommand ({@code log} now; later {@code receipt}, {@code agent},
 * {@code witness}).
 *
 * <p>Exit codes: {@value #OK} verified, {@value #FAILED} verification failed, {@value #USAGE}
 * usage or input error. Never prints a stack trace unless {@code --debug} is given.
 */
public final class VerifyMain {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = String.join("\n",
            "usage: foureyes-verify log --key <verifier key | @file> [--since <checkpoint file>]",
            "                           [--chain-only] [--pin-policy <sha256 hex>] [--allow-overdue-reviews]",
            "                           [--progress] [--json] [--debug] <export dir>",
            "       foureyes-verify log --key <verifier key | @file> --tiles [options as above] <tiles dir | URL>",
            "       foureyes-verify receipt --key <verifier key | @file> [--json] [--write-tlog-proof FILE]",
            "                               <receipt.json | receipt.tlog-proof>",
            "       foureyes-verify witness --config <witness.yml>",
            "       foureyes-verify agent --config <agent.yml> [--once]",
            "       foureyes-verify --version",
            "",
            "Verifies a foureyes audit log export offline: the checkpoint's signature by the pinned",
            "log key, every entry's format, seq, prev link and time, and that the entries' RFC 6962",
            "root is the checkpoint's. With --since, also that the export extends a checkpoint you",
            "saved earlier (same key). Unless --chain-only is given, it also replays every entry",
            "against the policy in force at it (statement signatures, approvals, state transitions,",
            "policy activations, jti reuse, expiry), flags emergency changes not reviewed in time,",
            "and prints the history of every component (docs/verifier.md). A range export (one with",
            "start.json: entries from a seq above 0) is verified with --chain-only only.",
            "",
            "  --chain-only   only the structural checks above (fast; no policy replay, no report)",
            "  --pin-policy H the genesis policy's sha256 (hex) must be H",
            "  --allow-overdue-reviews",
            "                 report emergency changes not reviewed within review_within, but do not",
            "                 fail (exit 0) because of them",
            "",
            "receipt checks one receipt (JSON: seq, entry, checkpoint, proof; or C2SP tlog-proof with the",
            "entry in its extra line) offline: the checkpoint's signature, the entry's seq, and its",
            "inclusion proof against the checkpoint's root. --write-tlog-proof FILE then writes it as",
            "a C2SP tlog-proof (docs/tiles.md).",
            "witness runs a C2SP tlog-witness (docs/witness.md).",
            "agent runs the agent of a managed machine (docs/agent.md).",
            "",
            "  --key K        the log's verifier key (name+keyid+base64), or @FILE to read it from a",
            "                 file. Pin it yourself: the export's log.key is never trusted.",
            "  --since FILE   a signed checkpoint saved earlier; the export must be consistent with it",
            "  --tiles        read the log as C2SP tlog-tiles from a directory (foureyes export --tiles)",
            "                 or a URL prefix (the service's /tlog/ or any mirror); every tile and",
            "                 bundle must verify up to the checkpoint, or the mirror is refused (exit 1)",
            "  --progress     progress on stderr even when stderr is not a terminal",
            "  --json         print the result as one JSON object on stdout",
            "  --debug        print stack traces of unexpected errors",
            "",
            "exit codes:",
            "  0  verified",
            "  1  verification failed: the first failure and its evidence on stderr (or JSON on stdout)",
            "  2  usage or input error (bad arguments, unparsable key, missing or unreadable files,",
            "     not an export): nothing was verified",
            "");

    private VerifyMain() {
    }

    public static void main(String[] args) {
        // Libraries of the policy replay (CEL, JSON Schema) log through SLF4J, which has no
        // provider in this jar; keep its three-line warning off the auditor's stderr.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** The jar's version (its manifest's Implementation-Version), or what to say without one. */
    static String version() {
        String v = VerifyMain.class.getPackage().getImplementationVersion();
        return "foureyes-verify " + (v == null ? "(version unknown: not run from the built jar)" : v);
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = List.of(args).contains("--debug");
        try {
            if (args.length == 0) {
                err.print(USAGE_TEXT);
                return USAGE;
            }
            switch (args[0]) {
                case "log":
                    return log(args, out, err);
                case "receipt":
                    return ReceiptCommand.run(args, out, err);
                case "witness":
                    return org.foureyes.witness.WitnessMain.run(args, out, err);
                case "agent":
                    return org.foureyes.agent.AgentMain.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
                case "help":
                case "-h":
                case "--help":
                    out.print(USAGE_TEXT);
                    return OK;
                case "version":
                case "-v":
                case "--version":
                    out.println(version());
                    return OK;
                default:
                    err.println("foureyes-verify: unknown subcommand \"" + printable(args[0])
                            + "\" (known: log, receipt, witness, agent); run foureyes-verify --help");
                    return USAGE;
            }
        } catch (UsageException e) {
            err.println("foureyes-verify: " + e.getMessage());
            return USAGE;
        } catch (Throwable t) { // the last line of defence: one line, never a trace unless asked
            err.println("foureyes-verify: internal error: " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage()) + " (run with --debug for details)");
            if (debug) {
                t.printStackTrace(err);
            }
            return USAGE;
        }
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private static int log(String[] args, PrintStream out, PrintStream err) throws UsageException {
        String keyArg = null;
        String since = null;
        boolean progress = false;
        boolean json = false;
        boolean debug = false;
        boolean chainOnly = false;
        boolean allowOverdue = false;
        String pinPolicy = null;
        boolean tiles = false;
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--key":
                    keyArg = value(args, ++i, a);
                    break;
                case "--since":
                    since = value(args, ++i, a);
                    break;
                case "--progress":
                    progress = true;
                    break;
                case "--json":
                    json = true;
                    break;
                case "--debug":
                    debug = true;
                    break;
                case "--chain-only":
                    chainOnly = true;
                    break;
                case "--tiles":
                    tiles = true;
                    break;
                case "--allow-overdue-reviews":
                    allowOverdue = true;
                    break;
                case "--pin-policy":
                    pinPolicy = value(args, ++i, a);
                    break;
                case "-h":
                case "--help":
                    out.print(USAGE_TEXT);
                    return OK;
                default:
                    if (a.startsWith("--key=")) {
                        keyArg = a.substring(6);
                    } else if (a.startsWith("--since=")) {
                        since = a.substring(8);
                    } else if (a.startsWith("-") && !a.equals("-")) {
                        throw new UsageException("log: unknown option " + printable(a) + "\n" + USAGE_TEXT.trim());
                    } else {
                        positional.add(a);
                    }
            }
        }
        if (keyArg == null) {
            throw new UsageException("log: --key is required (the log's verifier key, or @file)");
        }
        if (positional.size() != 1) {
            throw new UsageException("log: expected exactly one export directory, got " + positional.size());
        }
        VerifierKey key = parseKey(keyArg);
        if (tiles) {
            return TilesLog.run(key, positional.get(0), since, chainOnly, pinPolicy, allowOverdue, progress, json,
                    debug, out, err);
        }
        Path dir = path(positional.get(0), "export directory");
        if (!chainOnly && java.nio.file.Files.isDirectory(dir) && LogVerifier.isRangeExport(dir)) {
            return inputError("this is a range export (it has " + org.foureyes.auditlog.export.ExportFormat.START_FILE
                    + "): its entries start after the genesis, and full verification replays the policy from the"
                    + " genesis, so it needs the whole log. Verify the range with --chain-only (chain, tree and"
                    + " checkpoint from the border in " + org.foureyes.auditlog.export.ExportFormat.START_FILE
                    + "), or export the whole log for full verification", json, out, err);
        }
        if (!chainOnly) {
            if (pinPolicy != null && !pinPolicy.matches("[0-9a-fA-F]{64}")) {
                throw new UsageException("log: --pin-policy needs the policy's SHA-256 as 64 hex digits");
            }
            return FullLog.run(key, dir, since, pinPolicy, allowOverdue, progress, json, debug, out, err);
        }
        if (pinPolicy != null || allowOverdue) {
            throw new UsageException("log: --pin-policy and --allow-overdue-reviews need full verification,"
                    + " not --chain-only");
        }

        LogVerifier.Builder b = LogVerifier.builder(key);
        try {
            if (since != null) {
                b.since(LogVerifier.readCheckpointFile(path(since, "--since"), "saved checkpoint"));
            }
        } catch (ExportInputException e) {
            return inputError(e.getMessage(), json, out, err);
        }
        StderrProgress listener = null;
        if (progress || stderrIsTerminal()) {
            listener = new StderrProgress(err, !stderrIsTerminal());
            b.progress(listener, Duration.ofSeconds(2));
        }
        VerificationResult r;
        try {
            r = b.build().verify(dir);
        } catch (ExportInputException e) {
            if (debug) {
                e.printStackTrace(err);
            }
            return inputError(e.getMessage(), json, out, err);
        } finally {
            if (listener != null) {
                listener.endLine();
            }
        }
        if (r instanceof VerificationResult.Verified v) {
            if (json) {
                out.println(toJson(v));
            } else {
                out.println(summary(v));
                v.since().ifPresent(c -> out.println(sinceSummary(v, c)));
            }
            return OK;
        }
        VerificationResult.Failed f = (VerificationResult.Failed) r;
        if (json) {
            out.println(toJson(f));
        }
        err.println("foureyes-verify: FAILED: " + f.failure().message());
        return FAILED;
    }

    static String summary(VerificationResult.Verified v) {
        if (v.start() > 0) {
            return "verified entries " + v.start() + " to " + (v.checkpoint().size() - 1) + " (" + v.entries()
                    + " entries, a range export continuing the tree from the border of the first " + v.start()
                    + " in start.json); root " + b64(v.checkpoint().rootHash()) + " matches checkpoint "
                    + v.checkpoint().origin() + " size " + v.checkpoint().size() + " signed by " + v.key().name()
                    + "+" + v.key().keyIdHex();
        }
        return "verified " + v.entries() + " entries; root " + b64(v.checkpoint().rootHash())
                + " matches checkpoint " + v.checkpoint().origin() + " size " + v.checkpoint().size()
                + " signed by " + v.key().name() + "+" + v.key().keyIdHex();
    }

    static String sinceSummary(VerificationResult.Verified v, VerificationResult.Consistency c) {
        return "consistent with the saved checkpoint of size " + c.saved().size() + " (root "
                + b64(c.saved().rootHash()) + "): the first " + c.saved().size() + " entries give its root"
                + " and the consistency proof to size " + v.entries() + " (" + c.proof().size()
                + " hashes) verifies";
    }

    /**
     * A tiles source failed while entries were read: a {@link org.foureyes.auditlog.tiles.MirrorException}
     * cause is a verification failure (exit 1, with the evidence), anything else an input error.
     */
    static int tilesError(java.io.IOException e, boolean json, PrintStream out, PrintStream err) {
        if (e.getCause() instanceof org.foureyes.auditlog.tiles.MirrorException m) {
            return mirrorRefused(m, json, out, err);
        }
        return inputError("cannot read the tiles: " + e.getMessage(), json, out, err);
    }

    /** The mirror served something that does not verify: exit 1 with the evidence. */
    static int mirrorRefused(org.foureyes.auditlog.tiles.MirrorException m, boolean json, PrintStream out,
            PrintStream err) {
        if (json) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("verified", false);
            ObjectNode fo = o.putObject("failure");
            fo.put("kind", "mirror");
            fo.put("message", m.getMessage());
            out.println(o);
        }
        err.println("foureyes-verify: FAILED: the tiles source is refused: " + m.getMessage());
        return FAILED;
    }

    static int inputError(String message, boolean json, PrintStream out, PrintStream err) {
        if (json) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("verified", false);
            o.put("error", "input");
            o.put("message", message);
            out.println(o);
        }
        err.println("foureyes-verify: " + message);
        return USAGE;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String toJson(VerificationResult.Verified v) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("verified", true);
        o.put("entries", v.entries());
        if (v.start() > 0) {
            o.put("start", v.start());
        }
        o.put("origin", v.checkpoint().origin());
        o.put("size", v.checkpoint().size());
        o.put("root", b64(v.checkpoint().rootHash()));
        o.put("key", v.key().name() + "+" + v.key().keyIdHex());
        v.since().ifPresent(c -> {
            ObjectNode s = o.putObject("since");
            s.put("size", c.saved().size());
            s.put("root", b64(c.saved().rootHash()));
            ArrayNode proof = s.putArray("consistency_proof");
            c.proof().forEach(h -> proof.add(b64(h)));
        });
        return o.toString();
    }

    static String toJson(VerificationResult.Failed f) {
        VerificationFailure x = f.failure();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("verified", false);
        ObjectNode fo = o.putObject("failure");
        fo.put("kind", x.kind().name().toLowerCase(Locale.ROOT));
        if (x.seq().isPresent()) {
            fo.put("seq", x.seq().getAsLong());
        } else {
            fo.putNull("seq");
        }
        fo.put("expected", x.expected());
        fo.put("computed", x.computed());
        fo.put("message", x.message());
        o.put("entries_checked", f.entriesChecked());
        return o.toString();
    }

    static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException("log: " + option + " needs a value");
        }
        return args[i];
    }

    static Path path(String s, String what) throws UsageException {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new UsageException(what + ": invalid path " + printable(s));
        }
    }

    static VerifierKey parseKey(String arg) throws UsageException {
        String text = arg;
        if (arg.startsWith("@")) {
            Path file = path(arg.substring(1), "--key");
            try {
                if (Files.size(file) > 4096) {
                    throw new UsageException("--key: " + file + " is larger than 4 KiB, not a verifier key file");
                }
                text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UsageException("--key: key file " + file + " does not exist");
            } catch (IOException e) {
                throw new UsageException("--key: cannot read key file " + file + ": " + e.getMessage());
            }
        }
        if (text.startsWith("PRIVATE+KEY+")) {
            throw new UsageException("--key: this is a private key; give the log's public verifier key"
                    + " (name+keyid+base64)");
        }
        try {
            return VerifierKey.parse(text);
        } catch (KeyFormatException e) {
            throw new UsageException("--key: not a verifier key: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new UsageException("--key: not a verifier key");
        }
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private static String b64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }

    /**
     * Whether stderr is a terminal. Java has no isatty; on Linux /proc/self/fd/2 points at the
     * terminal device, elsewhere fall back to whether the JVM has a console.
     */
    static boolean stderrIsTerminal() {
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            if (Files.isSymbolicLink(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.console() != null;
    }

    /** Progress on stderr: one rewritten line on a terminal, one line per report otherwise. */
    static final class StderrProgress implements ProgressListener {
        private final PrintStream err;
        private final boolean lines;
        private boolean partial;

        StderrProgress(PrintStream err, boolean lines) {
            this.err = err;
            this.lines = lines;
        }

        @Override
        public void progress(long entries, long bytes, long elapsedNanos, boolean done) {
            double s = Math.max(elapsedNanos / 1e9, 1e-9);
            String text = String.format(Locale.ROOT, "%,d entries, %,.0f entries/s, %.1f MB/s, %.1f s",
                    entries, entries / s, bytes / s / 1e6, s);
            if (lines) {
                err.println("progress: " + text + (done ? " (done)" : ""));
            } else {
                err.print("\r" + text + (done ? "\n" : ""));
                partial = !done;
            }
            err.flush();
        }

        /** Ends a rewritten progress line that a failure or error interrupted. */
        void endLine() {
            if (partial) {
                err.println();
                partial = false;
            }
        }
    }
}
