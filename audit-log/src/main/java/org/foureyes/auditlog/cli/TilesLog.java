package org.foureyes.auditlog.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.tiles.MirrorException;
import org.foureyes.auditlog.tiles.TileSource;
import org.foureyes.auditlog.tiles.TiledLog;
import org.foureyes.auditlog.verify.ExportInputException;
import org.foureyes.auditlog.verify.LogVerifier;
import org.foureyes.auditlog.verify.VerificationResult;

/**
 * {@code foureyes-verify log --tiles <dir | URL>}: the same checks as for an export, on the entries
 * read from a C2SP tlog-tiles source through {@link TiledLog}, which first refuses a checkpoint not
 * signed by the pinned key and then every tile and bundle that does not hash up to it.
 */
final class TilesLog {
    private TilesLog() {
    }

    static int run(VerifierKey key, String location, String since, boolean chainOnly, String pinPolicy,
            boolean allowOverdue, boolean progress, boolean json, boolean debug, PrintStream out, PrintStream err)
            throws VerifyMain.UsageException {
        TiledLog log;
        try {
            log = TiledLog.open(TileSource.of(location), key);
        } catch (MirrorException e) {
            return VerifyMain.mirrorRefused(e, json, out, err);
        } catch (IOException | IllegalArgumentException e) {
            return VerifyMain.inputError("cannot read the tiles at " + location + ": " + e.getMessage(), json, out,
                    err);
        }
        if (!chainOnly) {
            if (pinPolicy != null && !pinPolicy.matches("[0-9a-fA-F]{64}")) {
                throw new VerifyMain.UsageException("log: --pin-policy needs the policy's SHA-256 as 64 hex digits");
            }
            return FullLog.run(key, v -> v.verify(log.ndjson(0), log.checkpointNote()), since, pinPolicy,
                    allowOverdue, progress, json, debug, out, err);
        }
        LogVerifier.Builder b = LogVerifier.builder(key);
        try {
            if (since != null) {
                b.since(LogVerifier.readCheckpointFile(Path.of(since), "saved checkpoint"));
            }
        } catch (ExportInputException e) {
            return VerifyMain.inputError(e.getMessage(), json, out, err);
        }
        VerifyMain.StderrProgress listener = null;
        if (progress || VerifyMain.stderrIsTerminal()) {
            listener = new VerifyMain.StderrProgress(err, !VerifyMain.stderrIsTerminal());
            b.progress(listener, Duration.ofSeconds(2));
        }
        VerificationResult r;
        try {
            r = b.build().verify(log.ndjson(0), log.checkpointNote());
        } catch (IOException e) {
            if (debug) {
                e.printStackTrace(err);
            }
            return VerifyMain.tilesError(e, json, out, err);
        } finally {
            if (listener != null) {
                listener.endLine();
            }
        }
        if (r instanceof VerificationResult.Verified v) {
            out.println(json ? VerifyMain.toJson(v) : VerifyMain.summary(v) + " (read from tiles at " + location + ")");
            return VerifyMain.OK;
        }
        VerificationResult.Failed f = (VerificationResult.Failed) r;
        if (json) {
            out.println(VerifyMain.toJson(f));
        }
        err.println("foureyes-verify: FAILED: " + f.failure().message());
        return VerifyMain.FAILED;
    }
}
