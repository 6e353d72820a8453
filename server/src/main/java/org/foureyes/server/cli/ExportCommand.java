package org.foureyes.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.export.ExportStart;
import org.foureyes.auditlog.export.LogExporter;
import org.foureyes.auditlog.LogStoreException;
import org.foureyes.auditlog.tiles.MirrorException;
import org.foureyes.auditlog.tiles.TileSource;
import org.foureyes.auditlog.tiles.TileWriter;
import org.foureyes.auditlog.tiles.TiledLog;
import org.foureyes.auditlog.verify.LogVerifier;
import org.foureyes.net.ServerTrouble;

/**
 * {@code foureyes export --url URL --out DIR [--start S] [--end E] [--key K|@FILE]}: writes the
 * export of a running service's log (docs/export-format.md) over its public read API, as an
 * auditor would: {@code GET /v1/log/key}, {@code GET /v1/log/checkpoint} (with {@code ?size=E} for
 * an earlier end), for a range the entry before it and its inclusion proof (the border of the tree
 * before the range), then {@code GET /v1/log/entries} page by page. Memory stays constant: each
 * page is streamed into {@link LogExporter}, which checks that the entries give the checkpoint's
 * root before it writes the checkpoint. Trusts nothing it fetched: the checkpoint must verify with
 * the log key (the pinned {@code --key}, or the served one, which is then printed to be compared).
 */
public class ExportCommand extends Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;

    public ExportCommand() {
        this(System.out);
    }

    public ExportCommand(PrintStream out) {
        super("export", "Export the audit log of a running service over its public API into a directory");
        this.out = out;
    }

    @Override
    public void configure(Subparser p) {
        p.help(getDescription()); // the one line "--help" shows for this command
        p.addArgument("--url").dest("url").setDefault(OperatorCommand.DEFAULT_URL).metavar("URL")
                .help("the service's base URL"); // argparse4j adds "(default: ...)"
        p.addArgument("--out").dest("out").metavar("DIR")
                .help("the export directory to write (created; refused if it already holds an export)");
        p.addArgument("--tiles").dest("tiles").metavar("DIR")
                .help("instead of --out: bring DIR, a static C2SP tlog-tiles mirror (docs/tiles.md), up to the"
                        + " service's latest checkpoint, writing only new tiles, then the checkpoint");
        p.addArgument("--start").dest("start").type(Long.class).metavar("S")
                .help("first seq to export (default 0: the whole log from its genesis); above 0 writes a range"
                        + " export with start.json, which foureyes-verify log checks with --chain-only");
        p.addArgument("--end").dest("end").type(Long.class).metavar("E")
                .help("export up to seq E - 1; E must be the size of a signed checkpoint (default: the latest)");
        p.addArgument("--key").dest("key").metavar("K")
                .help("the log's verifier key you pinned (name+keyid+base64, or @FILE); the served key must"
                        + " equal it. Without it the served key is used and printed");
        p.addArgument("--progress").dest("progress").action(net.sourceforge.argparse4j.impl.Arguments.storeTrue())
                .help("print progress on standard error also when it is not a terminal (on a terminal it always is)");
        p.addArgument("--token-env").dest("tokenEnv").metavar("VAR")
                .help("send the access token in environment variable VAR as a bearer token (private logs)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
        String token = null;
        if (ns.getString("tokenEnv") != null) {
            token = System.getenv(ns.getString("tokenEnv"));
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("environment variable " + ns.getString("tokenEnv") + " is unset or empty");
            }
        }
        if ((ns.getString("out") == null) == (ns.getString("tiles") == null)) {
            throw new IllegalArgumentException("give exactly one of --out DIR (an export) and --tiles DIR (a mirror)");
        }
        if (ns.getString("tiles") != null) {
            TilesResult t = exportTiles(ServerTrouble.serverUrl(stripSlash(ns.getString("url")), "--url"),
                    Path.of(ns.getString("tiles")), ns.getString("key"), token);
            out.println("mirror " + t.dir() + " now at checkpoint size " + t.written().size() + " (was "
                    + t.written().fromSize() + "): wrote " + t.written().hashTiles() + " hash tiles and "
                    + t.written().bundles() + " entry bundles of " + t.key().name());
            out.println("log key " + t.key() + (t.pinned() ? " (equals the pinned --key)"
                    : " (as served: compare it with the key you pinned from another source)"));
            out.println("verify: java -jar foureyes-verify.jar log --key <pinned log key> --tiles " + t.dir());
            return;
        }
        boolean asked = Boolean.TRUE.equals(ns.getBoolean("progress"));
        Result r = export(ServerTrouble.serverUrl(stripSlash(ns.getString("url")), "--url"), Path.of(ns.getString("out")),
                ns.get("start"), ns.get("end"), ns.getString("key"), token,
                (start, end) -> new Progress(System.err, System.console() != null, asked, "exported", end - start,
                        System::nanoTime));
        out.println("exported " + r.entries + " entries (seq " + r.start + " to " + (r.end - 1) + ") of "
                + r.key.name() + " at its checkpoint of size " + r.end + " into " + r.dir);
        out.println("log key " + r.key + (r.pinned ? " (equals the pinned --key)"
                : " (as served: compare it with the key you pinned from another source)"));
        out.println("verify: java -jar foureyes-verify.jar log --key <pinned log key>"
                + (r.start > 0 ? " --chain-only " : " ") + r.dir);
    }

    /** What an export wrote. */
    public record Result(Path dir, long start, long end, long entries, VerifierKey key, boolean pinned) {
    }

    /** What a mirror update wrote. */
    public record TilesResult(Path dir, TileWriter.Result written, VerifierKey key, boolean pinned) {
    }

    /**
     * Brings the tiles mirror {@code dir} up to the latest checkpoint of the service at
     * {@code base}, reading its {@code /tlog/} resources. Everything copied is verified first:
     * the checkpoint with the log key, every tile up to its root, every entry against its leaf
     * hash ({@link TiledLog}); a service that serves something else is refused with the evidence.
     */
    public static TilesResult exportTiles(URI base, Path dir, String pinnedKey, String token)
            throws IOException, InterruptedException {
        Http http = new Http(base, token);
        VerifierKey key = logKey(http, pinnedKey, "nothing was written");
        try {
            TiledLog log = TiledLog.open(TileSource.url(URI.create(base + "/tlog/"), token), key);
            TileWriter.Result w = TileWriter.write(dir, log.checkpointNote(), log.checkpoint(), log.hashes(),
                    (from, to) -> {
                        try {
                            return log.entries(from, to);
                        } catch (IOException | MirrorException e) {
                            throw new LogStoreException(e.getMessage(), e);
                        }
                    });
            return new TilesResult(dir, w, key, pinnedKey != null);
        } catch (MirrorException | LogStoreException e) {
            throw new IOException("the service's tiles do not verify; the mirror is left at its previous checkpoint: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The log key the service serves, which must equal {@code pinnedKey} when one is given (then
     * the pinned key is returned); {@code nothingDone} ends the refusal's message.
     */
    private static VerifierKey logKey(Http http, String pinnedKey, String nothingDone)
            throws IOException, InterruptedException {
        VerifierKey served;
        try {
            served = VerifierKey.parse(http.text("/v1/log/key").strip());
        } catch (KeyFormatException e) {
            throw new IOException("the service's /v1/log/key is not a verifier key: " + e.getMessage(), e);
        }
        if (pinnedKey == null) {
            return served;
        }
        VerifierKey key = parseKey(pinnedKey);
        if (!key.toString().equals(served.toString())) {
            throw new IOException("the service's log key " + served + " is not the pinned key " + key + "; "
                    + nothingDone);
        }
        return key;
    }

    /** Exports {@code [start, end)} of the log at {@code base} into {@code dir}. */
    public static Result export(URI base, Path dir, Long start, Long end, String pinnedKey, String token)
            throws IOException, InterruptedException {
        return export(base, dir, start, end, pinnedKey, token, (s, e) -> new Progress(System.err, false, false,
                "", 0, System::nanoTime));
    }

    /** Makes the progress display once the range {@code [start, end)} is known. */
    interface ProgressFor {
        Progress of(long start, long end);
    }

    static Result export(URI base, Path dir, Long start, Long end, String pinnedKey, String token,
            ProgressFor progressFor) throws IOException, InterruptedException {
        Http http = new Http(base, token);
        VerifierKey key = logKey(http, pinnedKey, "nothing was exported");
        String note = http.text("/v1/log/checkpoint" + (end == null ? "" : "?size=" + end));
        Checkpoint cp;
        try {
            cp = SignedCheckpoint.open(note, key);
        } catch (GeneralSecurityException e) {
            throw new IOException("the served checkpoint does not verify with " + key + ": " + e.getMessage(), e);
        }
        if (end != null && cp.size() != end) {
            throw new IOException("asked for the checkpoint of size " + end + " but got one of size " + cp.size());
        }
        long n = cp.size();
        long s = start == null ? 0 : start;
        if (s < 0 || s > n) {
            throw new IllegalArgumentException("--start " + s + " is not in [0, " + n + "] (the checkpoint's size)");
        }
        ExportStart startState = null;
        if (s > 0) {
            byte[] before = http.entries(s - 1, s).get(0);
            JsonNode proof = JSON.readTree(http.text("/v1/log/proof/inclusion?index=" + (s - 1) + "&size=" + s));
            List<byte[]> hashes = new ArrayList<>();
            for (JsonNode h : proof.path("proof")) {
                hashes.add(Base64.getDecoder().decode(h.asText()));
            }
            startState = ExportStart.fromInclusionProof(s, before, hashes);
        }
        Progress progress = progressFor.of(s, n);
        try (LogExporter x = LogExporter.create(dir, startState)) {
            long next = s;
            while (next < n) {
                long before = next;
                next = http.streamEntries(next, n, x);
                progress.at(next - s);
                if (next == before) {
                    throw new IOException("the service returned no entries from seq " + before
                            + " although its checkpoint covers " + n);
                }
            }
            progress.done();
            try {
                x.finish(note, key);
            } catch (IllegalArgumentException e) {
                throw new IOException("the served entries do not match the signed checkpoint (" + e.getMessage()
                        + "); the export is left without its checkpoint", e);
            }
            return new Result(dir, s, n, x.count(), key, pinnedKey != null);
        }
    }

    static VerifierKey parseKey(String arg) throws IOException {
        String text = arg;
        if (arg.startsWith("@")) {
            text = Files.readString(Path.of(arg.substring(1))).strip();
        }
        try {
            return VerifierKey.parse(text);
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException("--key is not a verifier key: " + e.getMessage(), e);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** GETs against the service. */
    private static final class Http {
        private final URI base;
        private final String token;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        Http(URI base, String token) {
            this.base = base;
            this.token = token;
        }

        private HttpRequest request(String path) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5)).GET();
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return b.build();
        }

        String text(String path) throws IOException, InterruptedException {
            HttpResponse<byte[]> r = send(path, HttpResponse.BodyHandlers.ofByteArray());
            check(path, r.statusCode(), r.body());
            return new String(r.body(), StandardCharsets.UTF_8);
        }

        List<byte[]> entries(long start, long end) throws IOException, InterruptedException {
            List<byte[]> out = new ArrayList<>();
            streamEntriesTo(start, end, (b, len) -> out.add(Arrays.copyOf(b, len)));
            return out;
        }

        /** Appends the entries of one page to {@code x}; returns the next seq to ask for. */
        long streamEntries(long start, long end, LogExporter x) throws IOException, InterruptedException {
            return streamEntriesTo(start, end, (b, len) -> x.append(b, 0, len));
        }

        interface Line {
            void accept(byte[] buf, int len) throws IOException;
        }

        private long streamEntriesTo(long start, long end, Line sink) throws IOException, InterruptedException {
            String path = "/v1/log/entries?start=" + start + "&end=" + end;
            HttpResponse<InputStream> r = send(path, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = new BufferedInputStream(r.body(), 1 << 16)) {
                if (r.statusCode() != 200) {
                    check(path, r.statusCode(), in.readNBytes(8192));
                }
                ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
                long next = start;
                int c;
                while ((c = in.read()) != -1) {
                    if (c == '\n') {
                        sink.accept(line.toByteArray(), line.size());
                        line.reset();
                        next++;
                    } else {
                        if (line.size() >= LogVerifier.MAX_ENTRY_BYTES) {
                            throw new IOException("entry " + next + " is longer than " + LogVerifier.MAX_ENTRY_BYTES + " bytes");
                        }
                        line.write(c);
                    }
                }
                if (line.size() > 0) {
                    throw new IOException("the entries page from " + start + " ends without a newline (cut off)");
                }
                return next;
            }
        }

        /** Sends; says plainly when the server cannot be reached or is not the foureyes API. */
        private <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            HttpResponse<T> r;
            try {
                r = client.send(request(path), handler);
            } catch (IOException e) {
                throw new IOException(ServerTrouble.unreachable(base, e) + " (--url)", e);
            }
            String notApi = ServerTrouble.notTheApi(client, base, path.replaceFirst("\\?.*", ""), r);
            if (notApi != null) {
                if (r.body() instanceof InputStream in) {
                    in.close();
                }
                throw new IOException(notApi);
            }
            return r;
        }

        private void check(String path, int status, byte[] body) throws IOException {
            if (status != 200) {
                String text = new String(body, StandardCharsets.UTF_8);
                String detail = text;
                try {
                    JsonNode p = JSON.readTree(text);
                    if (p != null && p.hasNonNull("detail")) {
                        detail = p.get("detail").asText();
                    }
                } catch (IOException e) {
                    // not problem+json: show the start of the body
                }
                throw new IOException("GET " + base + path + " answered " + status + ": "
                        + (detail.length() > 300 ? detail.substring(0, 300) + "..." : detail));
            }
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("export: " + InputFiles.message(e));
    }
}
